"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character.

    1 登记管理部门代码 · 1 机构类别代码 · 6 登记管理机关行政区划码 (digits) ·
    9 主体标识码（组织机构代码）· 1 校验码

The character set is 0–9 and the capital letters without I, O, S, V, Z (31 characters, each
worth its position 0–30). Weights are 3^i mod 31 for positions 1–17; the check character is
the one worth (31 − Σ value × weight mod 31) mod 31.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ALPHABET", "check_character", "normalize", "problem"]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, …
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def normalize(text: str) -> str:
    """Full-width to half-width, spaces and dashes removed, upper case."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text)).upper()


def check_character(first17: str) -> str:
    """The check character of the first 17 characters (which must be in the alphabet)."""
    total = sum(_VALUE[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why `code` (normalized) is not a valid credit code, zh-CN then English; None if valid."""
    if len(code) != 18:
        return f"应为 18 位，实为 {len(code)} 位 must have 18 characters, has {len(code)}"
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        return (f"含有不允许的字符 {''.join(bad)}（不用 I、O、S、V、Z）contains characters not "
                f"allowed: {''.join(bad)} (I, O, S, V, Z are never used)")
    if not _SHAPE.match(code):
        return "第 3–8 位应为行政区划代码（数字）positions 3–8 must be digits (region code)"
    expected = check_character(code[:17])
    if code[17] != expected:
        return (f"校验位应为 {expected}，实为 {code[17]} the check character should be {expected}, "
                f"not {code[17]}")
    return None
