"""Text a person typed (names, labels, notes): no character that is invisible and changes what
is shown or stored; and labels (headers, names of sheets, carriers, frameworks) compared
loosely, as people write them.

Refused: NUL and the other C0 control characters but tab, line feed and carriage return (Excel
cannot store them; a NUL cuts a name short in C libraries), DEL, and the bidirectional controls
(U+200E/U+200F marks, U+061C, the embeddings and overrides U+202A–U+202E, the isolates
U+2066–U+2069) with which "evil‮txt.exe" shows as "evilexe.txt". The check is one function,
used by the dataset (every text of a dataset file or workbook), the API's request bodies and the
web forms.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from ecopark.core.errors import InvalidValue

__all__ = ["HINT", "check_text", "find_unsafe", "label_forms", "label_matches", "near_miss",
           "normalize_label", "problem", "unsafe_char"]

_UNSAFE = frozenset({*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x061C, 0x200E,
                     0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})
_TABLE = dict.fromkeys(_UNSAFE, None)
HINT = "删除其中的控制字符（重新输入该文字）retype the text without control characters"


def unsafe_char(text: str) -> str | None:
    """The first refused character of `text` as "U+XXXX", or None."""
    if len(text.translate(_TABLE)) == len(text):
        return None
    return next(f"U+{ord(c):04X}" for c in text if ord(c) in _UNSAFE)


def problem(char: str) -> str:
    return f"含有不可见的控制字符 {char} contains the invisible control character {char}"


def check_text(value: str, field: str) -> str:
    """`value` unchanged, or InvalidValue naming `field` and the character."""
    char = unsafe_char(value)
    if char is not None:
        raise InvalidValue(field, problem(char), HINT)
    return value


def find_unsafe(data: Any, where: str = "") -> tuple[str, str] | None:
    """(key path, "U+XXXX") of the first refused character in nested mappings, lists and
    strings (keys too), or None."""
    stack: list[tuple[Any, str]] = [(data, where)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            char = unsafe_char(value)
            if char is not None:
                return path or "(top)", char
        elif isinstance(value, Mapping):
            for key, inner in reversed(list(value.items())):
                name = str(key)
                stack.append((inner, f"{path}.{name}" if path else name))
                stack.append((name, f"{path}.{name}" if path else name))
        elif isinstance(value, list | tuple):
            stack += [(inner, f"{path}[{n}]") for n, inner in reversed(list(enumerate(value)))]
    return None


# ------------------------------------------------------------------------ labels compared loosely


def normalize_label(text: str) -> str:
    """Header/label text compared loosely: full-width → half-width, no spaces or line breaks,
    case-folded, no trailing colon."""
    normal = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", normal).casefold().rstrip(":")


def label_forms(text: str) -> set[str]:
    """The ways a bilingual label may be meant: "单位\\n(unit)" → {单位(unit), 单位, unit}."""
    full = normalize_label(text)
    forms = {full, re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", full)}
    for inner in re.findall(r"\((.*?)\)|\[(.*?)\]|【(.*?)】", full):
        forms.update(inner)
    if re.search(r"[^\x00-\x7f]", full) and re.search(r"[a-z]", full):
        forms.add(re.sub(r"[\x00-\x7f]+", "", full))
        forms.add(re.sub(r"[^a-z0-9_]+", "", re.sub(r"[^\x00-\x7f]+", " ", full)))
    return {form for form in forms if form}


def label_matches(text: str, names: Iterable[str]) -> bool:
    """Whether `text` is one of `names`, compared loosely (any of its forms)."""
    forms = label_forms(text)
    return any(normalize_label(name) in forms for name in names)


def near_miss(text: str, candidates: Iterable[str], cutoff: float = 0.5) -> str | None:
    """The candidate closest to `text` (compared loosely), if any is close enough."""
    by_form: dict[str, str] = {}
    for candidate in candidates:
        for form in label_forms(candidate):
            by_form.setdefault(form, candidate)
    best = difflib.get_close_matches(normalize_label(text), list(by_form), n=1, cutoff=cutoff)
    return by_form[best[0]] if best else None
