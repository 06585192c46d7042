"""An item's name as an enterprise's form shows it: the framework names the park's totals
(园区工业总产值, "… of the park"); what an enterprise reports is its own share of them
(企业工业总产值, "… of the enterprise"). The framework's item ids stay as they are."""

from __future__ import annotations

from ecopark.core.framework.model import Framework

__all__ = ["enterprise_item_name"]


def enterprise_item_name(framework: Framework, item: str, lang: str) -> str:
    name = framework.item_name(item, lang)
    if lang == "en":
        return name.replace("of the park", "of the enterprise")
    return name.replace("园区", "企业", 1) if name.startswith("园区") else name
