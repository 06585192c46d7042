"""Texts as a page shows them to a person: a requirement in one plain notation (≥ 3, never
`>= 3` or `≥3`), and an error's message in the page's language only.

The core's errors carry bilingual fields ("公开信息 published information", "写法应为 … expected
…") and hints written for the command line ("用 --year 指定评价年份 pass --year"): `message`
keeps the part of each field in the page's language and drops a hint that names a command-line
option or command, which a web user cannot type.

    plain_rule(">= 3") == "≥ 3"
    one_language("公开信息 published information", "en") == "published information"
    message(exc, "zh")
"""

from __future__ import annotations

import dataclasses
import re

from ecopark.core.errors import EcoparkError

__all__ = ["for_page", "message", "one_language", "plain_rule"]

_OPERATORS = ((">=", "≥"), ("<=", "≤"), ("!=", "≠"), ("==", "="))
_SPACED = re.compile(r"\s*([≥≤≠<>])\s*(?=[-+\d.])")
_CJK = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]")
# where the English part begins: after the last Chinese character, at the first word that starts
# in lower case (the Chinese part keeps what follows it up to there: "U+202E", "2018", "单位]")
_ENGLISH_START = re.compile(r"(?:^|(?<=\s)|(?<=[^\sA-Za-z0-9_+\-.@\[]))[a-z(\"']")
_COMMAND_LINE = re.compile(r"(?:^|[\s(（])--[a-z]|\becopark\s+[a-z]")


def plain_rule(text: str) -> str:
    """A requirement in symbols with one space before the number: `>= 3`, `≥3` → `≥ 3`."""
    for code, symbol in _OPERATORS:
        text = text.replace(code, symbol)
    return _SPACED.sub(lambda m: f"{' ' if m.start() else ''}{m.group(1)} ", text).strip()


def one_language(text: str, lang: str) -> str:
    """The part of a bilingual "中文 English" text in `lang`; a text in one language as it is."""
    text = text.strip()
    last = max((m.end() for m in _CJK.finditer(text)), default=0)
    if not last:
        return text
    start = _ENGLISH_START.search(text, last)
    cut = start.start() if start else len(text)
    english = text[cut:].strip()
    if len(english) < 4 or not re.search(r"[a-z]{2,}\s|[a-z]{4,}", english):
        return text  # no English part ("… 5 t" is a unit, not a translation)
    return english if lang == "en" else text[:cut].strip()


def for_page(text: str, lang: str) -> str:
    """A problem or hint of a file as a page shows it: in `lang`, and nothing when it tells a
    command-line option or command."""
    shown = one_language(text, lang)
    return "" if _COMMAND_LINE.search(shown) else shown


def message(exc: EcoparkError, lang: str) -> str:
    """The error's message in `lang` only, without a hint meant for the command line."""
    fields = exc.fields()
    changed = {key: one_language(value, lang) if isinstance(value, str) else value
               for key, value in fields.items()}
    if isinstance(changed.get("hint"), str) and _COMMAND_LINE.search(changed["hint"]):
        changed["hint"] = ""
    if changed == fields:
        return exc.message(lang)
    try:
        return dataclasses.replace(exc, **changed).message(lang)
    except (TypeError, ValueError):  # an error whose fields are not all init fields
        return exc.message(lang)
