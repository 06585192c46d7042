"""How the report writes numbers, units and comparisons, in Chinese and in English.

Chinese follows the usage of the annual reports parks file (the seed report): units in Chinese
after the number without a space ("135,509.97吨", "38.34万元/人", "34.97%"), thousands
separators, the indicator's own decimals. English writes 万元 as "10⁴ CNY" after a "×"
("38.34 × 10⁴ CNY/person").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecopark.core.framework.model import Framework

__all__ = ["MORE_LESS", "OP_WORDS", "amount", "decimals_for", "number", "pick", "plain",
           "quantity", "table_name", "tidy", "unit_text"]

_ZH_UNITS = {"t": "吨", "tce": "吨标准煤", "km2": "平方公里", "km²": "平方公里", "m3": "立方米",
             "m³": "立方米", "万m3": "万立方米", "万m³": "万立方米", "1": "", "dimensionless": "",
             "-": "", "kgce": "千克标准煤", "kWh": "千瓦时", "hm2": "公顷"}
_EN_UNITS = {"万元": "10⁴ CNY", "亿元": "10⁸ CNY", "元": "CNY", "万m3": "10⁴ m³", "万m³": "10⁴ m³",
             "万立方米": "10⁴ m³", "立方米": "m³", "m3": "m³", "万吨": "10⁴ t", "吨": "t",
             "人": "person", "个": "", "次": "", "家": "", "项": "", "吨标准煤": "tce",
             "吨标煤": "tce", "km2": "km²", "平方公里": "km²", "1": "", "dimensionless": "",
             "-": "", "hm2": "ha"}
_COUNTS = frozenset({"个", "人", "次", "家", "项"})
# the words for a requirement's operator: (zh, en)
OP_WORDS = {">=": ("不低于", "at least"), ">": ("高于", "above"), "<=": ("不高于", "at most"),
            "<": ("低于", "below"), "==": ("等于", "equal to")}
# how a value compares with a number: (zh more, zh equal, zh less), (en …)
MORE_LESS = {"zh": ("高于", "达到", "低于"), "en": ("above", "at", "below")}
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"


def pick(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def table_name(framework: Framework, lang: str) -> str:
    """What the framework calls its table in a sentence: 对照考核表 (HJ 274), 指标对照表
    (zero-carbon parks), "assessment table" / "indicator table"."""
    wording = framework.spec.wording
    return pick(lang, wording.table_name_zh, wording.table_name_en)


def number(value: float, decimals: int) -> str:
    """`value` with `decimals` and thousands separators; -0.00 prints as 0.00."""
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text


def plain(value: float) -> str:
    """A requirement's number as written: 15, 0.5, 100 (no exponent, no trailing zeros)."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def unit_text(unit: str, lang: str) -> str:
    """A framework unit as the report writes it: t → 吨 / t, 万元/人 → 万元/人 / 10⁴ CNY/person."""
    if unit in ("%", "％"):
        return "%"
    table = _EN_UNITS if lang == "en" else _ZH_UNITS
    parts = [table.get(part.strip(), part.strip()) for part in unit.split("/")]
    if lang == "en" and unit.strip() == "人":
        return "persons"
    return "/".join(parts) if parts[0] or len(parts) == 1 else "1/" + "/".join(parts[1:])


def quantity(text: str, unit: str, lang: str) -> str:
    """A formatted number followed by its unit: 38.34万元/人, 38.34 × 10⁴ CNY/person, 34.97%."""
    shown = unit_text(unit, lang)
    if not shown:
        return text
    if shown == "%" or lang != "en":
        return f"{text}{shown}"
    if shown.startswith("10"):
        return f"{text} × {shown}"
    return f"{text} {shown}"


def decimals_for(value: float, unit: str) -> int:
    """Decimals of an input amount: none for a whole count of persons or things, else two."""
    return 0 if unit in _COUNTS and float(value).is_integer() else 2


def amount(value: float, unit: str, lang: str) -> str:
    """An input amount with its unit (the gap solver's numbers, the data behind an indicator)."""
    return quantity(number(value, decimals_for(value, unit)), unit, lang)


def tidy(text: str) -> str:
    """Chinese typography: no space between a Chinese character and a number or letter
    (messages written for the terminal put one there: "指标 26" → "指标26")."""
    text = re.sub(rf"(?<={_CJK}) +(?=[\w(≥≤]|-\d)", "", text)
    return re.sub(rf"(?<=[\w)%]) +(?={_CJK})", "", text)
