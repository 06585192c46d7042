"""The comparison of parks as a chart (statuses coloured, values written in the cells)."""

from __future__ import annotations

from ecopark.analysis.compare import Comparison
from ecopark.core.framework.model import Framework
from ecopark.core.numbers import format_value
from ecopark.core.results import Status
from ecopark.reports.charts import ComparisonChart

__all__ = ["comparison_chart"]

_ORDER = (Status.MET, Status.NOT_MET, Status.MISSING, Status.NOT_EVALUABLE, Status.NOT_APPLICABLE)
_NAMES = {"zh": ("达标", "未达标", "缺数据", "无法评价", "不适用"),
          "en": ("met", "not met", "missing data", "not evaluable", "not applicable")}


def comparison_chart(comparison: Comparison, framework: Framework, lang: str) -> ComparisonChart:
    rows = []
    cells = []
    for number in comparison.numbers:
        ind = framework.indicator(number)
        rows.append(f"{number} {ind.name_en if lang == 'en' else ind.name_zh}")
        cells.append(tuple((_ORDER.index(c.status),
                            "" if c.value is None else format_value(c.value, ind.decimals))
                           for c in comparison.row(number)))
    labels = tuple(f"{park}\n{year}" for park, year in zip(comparison.parks, comparison.years,
                                                          strict=True))
    return ComparisonChart(labels, tuple(rows), _NAMES["en" if lang == "en" else "zh"],
                           tuple(cells))
