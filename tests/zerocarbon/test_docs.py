"""The zero-carbon page documents every setting of the framework, in both languages."""

from __future__ import annotations

from ecopark import load_framework

from .conftest import ROOT


def test_every_setting_is_documented_in_chinese_and_english() -> None:
    text = (ROOT / "docs" / "zero-carbon-park.md").read_text(encoding="utf-8")
    zh, en = text.split("## English")
    for name in load_framework("zero-carbon-park-2025").spec.settings:
        assert f"`{name}`" in zh and f"`{name}`" in en, name


def test_framework_format_documents_every_named_check() -> None:
    from ecopark.core.framework.loading import CHECKS

    text = (ROOT / "docs" / "framework-format.md").read_text(encoding="utf-8")
    for check in CHECKS:
        assert f"`{check.__name__}`" in text and (check.__doc__ or "").split("\n")[0][:40] in text
