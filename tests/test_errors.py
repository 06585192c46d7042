"""Every error class: fields, messages built from them (zh and en), pickling."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

import ecopark.core.errors as errors_module
from ecopark.core.errors import EcoparkError


def _subclasses(cls: type[EcoparkError]) -> list[type[EcoparkError]]:
    out = []
    for sub in cls.__subclasses__():
        out.append(sub)
        out.extend(_subclasses(sub))
    return out


ALL = [EcoparkError, *_subclasses(EcoparkError)]


def _sample(cls: type[EcoparkError]) -> EcoparkError:
    values: dict[str, object] = {}
    for f in dataclasses.fields(cls):
        values[f.name] = 2018 if f.type in ("int", int) else f"<{f.name}>"
    if "problems" in values:
        values["problems"] = [errors_module.WorkbookError("<file>", "基础数据", "E7", "<p>")]
    if "coverage" in values:
        values["coverage"] = [{"item": "iva", "year": 2018, "enterprises": 1, "known": 3,
                               "total": 1300.0, "previous": 28110.0, "share": 1300 / 28110}]
    if "stale" in values:
        values["stale"] = [{"item": "co2", "year": 2012, "yours": "90000 吨",
                            "current": "100000 吨", "version": 3, "by": "officer-b",
                            "at": "2026-12-06T09:30:00+00:00"}]
    if "findings" in values:
        values["findings"] = [_FINDING]
    return cls(**values)


@dataclasses.dataclass(frozen=True)
class _Quality:
    zh: str
    en: str
    fix_zh: str
    fix_en: str


_FINDING = _Quality("绿化覆盖率 2018年 为 0.17 %", "green coverage 2018 is 0.17 %", "填 16.5",
                    "enter 16.5")


def test_every_error_class_is_exported_from_the_errors_module() -> None:
    assert {cls.__name__ for cls in ALL} == set(errors_module.__all__)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_message_is_built_from_every_place_field(cls: type[EcoparkError]) -> None:
    error = _sample(cls)
    for lang in ("zh", "en"):
        text = error.message(lang)
        for f in dataclasses.fields(cls):
            if f.name in ("hint", "detail", "detail_en", "value", "expression"):
                continue
            if f.name == "problems":
                assert "基础数据" in text and "E7" in text
                continue
            if f.name == "stale":
                assert "co2" in text and "2012" in text and "90000 吨" in text
                assert "100000 吨" in text and "officer-b" in text
                continue
            if f.name == "findings":
                assert ("绿化覆盖率 2018年 为 0.17 %" in text and "填 16.5" in text) or (
                    "green coverage 2018 is 0.17 %" in text and "enter 16.5" in text)
                continue
            if f.name == "coverage":
                assert "iva 2018" in text and "1300" in text and "28110" in text
                assert "4.6 %" in text and "33 %" in text
                continue
            assert str(getattr(error, f.name)) in text, (cls.__name__, f.name, lang)
    assert str(error) == error.message("zh")


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_errors_pickle_with_their_fields(cls: type[EcoparkError]) -> None:
    error = _sample(cls)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls and copy.message("en") == error.message("en")
    assert copy.message("zh") == error.message("zh")


def test_hint_is_appended_in_both_languages() -> None:
    error = errors_module.DatasetError("d.yaml", "park.base_year", "missing", "add it")
    assert error.message("zh").endswith("。建议：add it")
    assert error.message("en").endswith(". Fix: add it")
