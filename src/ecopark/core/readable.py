"""Formula text made readable for people: data-item ids become their names, the functions of the
formula grammar become words ("elasticity(nh3n, iva, t0, t)" → "氨氮排放量对工业增加值的弹性系数").

Used where a computation's reason or warning reaches a reader (verify's findings); the reasons
kept on an evaluation stay as computed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecopark.core.framework.model import Framework

__all__ = ["readable"]

_ASCII = r"(?<![A-Za-z0-9_])"
_CALL = re.compile(_ASCII + r"(elasticity|cagr|mean|count|coalesce|checklist|met_share)"
                   r"\(([^()]*)\)")
_GROUP = re.compile(r"(?<![A-Za-z0-9_])\(([^()]*)\)")  # brackets of arithmetic, not of a call
_NAME = re.compile(_ASCII + r"[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_])")
_WORDS = {
    "elasticity": ("{0}对{1}的弹性系数", "the elasticity of {0} to {1}"),
    "cagr": ("{0}的年均增长率", "the annual growth of {0}"),
    "mean": ("{all}的平均值", "the mean of {all}"),
    "count": ("{0}的项数", "the number of {0}"),
    "coalesce": ("{0}（无此数据时取{1}）", "{0} (else {1})"),
    "checklist": ("{0}的核查项完成比例", "the share of {0} completed"),
    "met_share": ("{0}中达到要求的比例", "the share of {0} meeting the rule"),
}


def readable(framework: Framework, text: str, lang: str = "zh") -> str:
    """`text` with every function call of the formula grammar in words and every declared name
    (item, variable, list, checklist) replaced by its name in `lang`. Brackets and calls are
    worded on the ids first (names may hold brackets of their own), then the ids are named."""
    while True:
        worded = _CALL.sub(lambda m: _call(m, lang), _GROUP.sub(_bracket(lang), text))
        if worded == text:
            if lang == "en":  # square brackets held the groups while calls were worded
                worded = worded.replace("[", "(").replace("]", ")")
            return _NAME.sub(lambda m: _name(framework, m.group(0), lang), worded)
        text = worded


def _bracket(lang: str) -> Callable[[re.Match[str]], str]:
    """Arithmetic brackets as the text's language writes them (full-width in Chinese), so that
    the call around them reads as one."""
    return lambda m: f"（{m.group(1)}）" if lang != "en" else f"[{m.group(1)}]"


def _name(framework: Framework, word: str, lang: str) -> str:
    if word in _WORDS:
        return word
    return framework.item_name(word, lang)


def _call(match: re.Match[str], lang: str) -> str:
    args = [_grouped(a.strip(), lang) for a in match.group(2).split(",")]
    zh, en = _WORDS[match.group(1)]
    joined = ("、" if lang != "en" else ", ").join(args)
    return (en if lang == "en" else zh).format(*args, all=joined)


def _grouped(arg: str, lang: str) -> str:
    """An argument that is itself arithmetic, in brackets: "（二氧化碳排放量 / 工业增加值）"."""
    if not any(op in arg for op in (" + ", " - ", " * ", " / ")):
        return arg
    return f"({arg})" if lang == "en" else f"（{arg}）"
