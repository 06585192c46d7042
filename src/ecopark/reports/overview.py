"""The park's own facts in chapter 一、园区概况: location, area, leading industries, enterprises,
the approvals — written from the framework's `part: overview` profile fields, each only as the
park gave it. What the park has not given is named as missing, never guessed.

    park_paragraphs(evaluation, lang) -> list[str]   the facts, then what is missing (if any)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from ecopark.core.dataset.profile import number_of
from ecopark.core.evaluate import Evaluation
from ecopark.core.framework.profile import ProfileField
from ecopark.reports.wording import number, pick, plain, quantity

__all__ = ["date_text", "park_paragraphs"]

_PAIRS = (("approval_doc", "approval_date"), ("plan_approval_doc", "plan_approval_date"))


def park_paragraphs(ev: Evaluation, lang: str) -> list[str]:
    """The park-facts paragraph and, when some are not given, the paragraph naming them."""
    declared = _overview_fields(ev)
    if not declared:
        return []
    given = {k: v for k, v in ev.dataset.profile.fields.items() if k in declared}
    sentences = list(_sentences(ev, declared, given, lang))
    missing = [pick(lang, f.name_zh, f.name_en) for k, f in declared.items() if k not in given]
    out = [pick(lang, "", " ").join(sentences)] if sentences else []
    if missing:
        out.append(pick(lang, f"{'、'.join(missing)}：（未填报）。",
                        _capital(f"{'; '.join(missing)}: (not reported).")))
    return out


def _overview_fields(ev: Evaluation) -> dict[str, ProfileField]:
    return {k: f for k, f in ev.framework.spec.profile_fields.items() if f.part == "overview"}


def _sentences(ev: Evaluation, declared: dict[str, ProfileField], given: dict[str, str],
               lang: str) -> Iterator[str]:
    paired = {k for pair in _PAIRS for k in pair}
    for key, field in declared.items():
        if key in given and key not in paired:
            yield _fact(field, given[key], lang)
    for doc, day in _PAIRS:
        if doc in declared and day in declared and (doc in given or day in given):
            yield _approval(declared[doc], given.get(doc, ""), given.get(day, ""), lang)


def _fact(field: ProfileField, value: str, lang: str) -> str:
    if field.kind == "number":
        assert field.unit is not None
        amount = number_of(value)
        value = quantity(number(amount, 0) if field.whole else plain(amount), field.unit, lang)
    elif field.kind == "date":
        value = date_text(value, lang)
    return pick(lang, f"{field.name_zh}：{value.rstrip('。')}。",
                f"{_capital(field.name_en)}: {value.rstrip('.')}.")


def _approval(doc: ProfileField, doc_value: str, day: str, lang: str) -> str:
    """创建批复：环发﹝2013﹞41号（2013年4月）。 — the document's name without 文号."""
    name = pick(lang, doc.name_zh.removesuffix("文号"),
                doc.name_en.removesuffix(", document number"))
    when = date_text(day, lang) if day else ""
    if doc_value and when:
        shown = pick(lang, f"{doc_value}（{when}）", f"{doc_value} ({when})")
    else:
        shown = doc_value or when
    return pick(lang, f"{name}：{shown}。", f"{_capital(name)}: {shown}.")


def date_text(value: str, lang: str) -> str:
    """2013-04-08 → 2013年4月8日 / 8 April 2013; 2013-04 → 2013年4月 / April 2013."""
    parts = [int(p) for p in value.split("-")]
    day = datetime.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
    if len(parts) > 2:
        return pick(lang, f"{day.year}年{day.month}月{day.day}日", f"{day.day} {day:%B %Y}")
    return pick(lang, f"{day.year}年{day.month}月", f"{day:%B %Y}")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
