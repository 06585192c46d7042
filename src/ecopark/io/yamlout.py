"""Writing a dataset as readable YAML, laid out like examples/wujin-2018/dataset.yaml.

The text is written line by line (block mappings for the structure, one flow mapping per
record) so that a park office can read and edit it; every scalar is rendered so that
`load_dataset` (a safe loader that keeps decimal numbers as written) reads back the same
dataset: years and indicator numbers as integer keys, observation values as plain decimals
(723782.20 stays 723782.20; never exponent notation, which the dataset reader refuses), and
strings quoted whenever they could be read as something else — "/" and the other "not
reported" marks always are, and so are printed indicator values ("39.31").
"""

from __future__ import annotations

import decimal
import json
import re
from typing import Any

import yaml

from ecopark.core.dataset.schema import DatasetFile, Series, ValueEntry
from ecopark.core.numbers import ABSENT

__all__ = ["dataset_yaml"]

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`/][^,\[\]{}#:\"']*$")
_DECIMAL = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")
_RULE = "# " + "=" * 93


def _text(value: str) -> str:
    """A string as a YAML scalar: plain when unambiguous, else double-quoted (JSON escapes are
    valid YAML)."""
    plain = (bool(_PLAIN.match(value)) and value == value.strip() and value not in ABSENT
             and yaml.safe_load(value) == value)
    return value if plain else json.dumps(value, ensure_ascii=False)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _text(value)
    if value is None or isinstance(value, bool | int | float):
        dumped = yaml.safe_dump(value, default_flow_style=True)
        return dumped.removesuffix("\n...\n").strip()
    if isinstance(value, dict):
        return _flow(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    return _text(str(value))


def _number(value: Any) -> str:
    """An observation value: numbers and decimal strings plain and positional, others as text."""
    if isinstance(value, float):
        return format(decimal.Decimal(repr(value)), "f")
    if isinstance(value, str) and _DECIMAL.match(value):
        return value
    return _scalar(value)


def _flow(mapping: dict[Any, Any], numbers: bool = False) -> str:
    """A flow mapping; `numbers`: its "value" is an observation value (see `_number`)."""
    return "{" + ", ".join(f"{_key(k)}: {_number(v) if numbers and k == 'value' else _scalar(v)}"
                           for k, v in mapping.items()) + "}"


def _key(key: Any) -> str:
    return str(key) if isinstance(key, int) else _text(str(key))


def _framework_names(framework_id: str) -> dict[str, str]:
    """Item names for comments, when the framework is one ecopark ships (else none)."""
    from ecopark.core.errors import EcoparkError
    from ecopark.core.framework.loading import load_framework

    try:
        framework = load_framework(framework_id)
    except EcoparkError:
        return {}
    return {key: item.name_zh for key, item in framework.spec.items.items()}


def _header(spec: DatasetFile) -> list[str]:
    year = f"，评价年份 {spec.year}" if spec.year else ""
    name = " ".join(spec.park.name.split())  # a comment is one line
    return [
        _RULE,
        f"# ecopark 数据集 dataset — {name}{year}（指标体系 {spec.framework}）",
        "# 由 ecopark 生成，可直接编辑。written by ecopark; edit freely.",
        "# 数值按原表单位录入，\"/\" 表示未填报（绝不按 0 计）。values in the units written; "
        "\"/\" = not reported, never 0.",
        _RULE,
        "",
        f"format: {_text(spec.format)}",
        f"framework: {_text(spec.framework)}",
        "",
    ]


def _park(spec: DatasetFile) -> list[str]:
    park = spec.park
    lines = ["park:", f"  name: {_text(park.name)}", f"  base_year: {park.base_year}"]
    if park.base_year_note:
        lines.append(f"  base_year_note: {_text(park.base_year_note)}")
    lines += [f"  {_key(k)}: {_scalar(v)}" for k, v in (park.model_extra or {}).items()]
    lines.append(f"  selected: {_scalar(list(park.selected))}")
    if spec.year is not None:
        lines += ["", f"year: {spec.year}"]
    return [*lines, ""]


def _entry(value: Any) -> Any:
    return value.model_dump(exclude_none=True) if isinstance(value, ValueEntry) else value


def _series(key: str, series: Series, name: str) -> list[str]:
    lines = [f"  {_key(key)}:" + (f"  # {name}" if name else "")]
    for field in ("unit", "source", "note"):
        value = getattr(series, field)
        if value is not None:
            lines.append(f"    {field}: {_text(value)}")
    values = {year: _entry(v) for year, v in series.values.items()}
    rendered = {year: _flow(v, numbers=True) if isinstance(v, dict) else _number(v)
                for year, v in values.items()}
    if any(isinstance(v, dict) for v in values.values()):
        lines.append("    values:")
        lines += [f"      {year}: {text}" for year, text in rendered.items()]
    else:
        lines.append("    values: {" + ", ".join(f"{y}: {t}" for y, t in rendered.items()) + "}")
    return lines


def _observations(spec: DatasetFile) -> list[str]:
    if not spec.observations:
        return []
    names = _framework_names(spec.framework)
    lines = ["observations:"]
    for key, series in spec.observations.items():
        lines += _series(key, series, names.get(key, ""))
    return [*lines, ""]


def _checklists(spec: DatasetFile) -> list[str]:
    if not spec.checklists:
        return []
    lines = ["checklists:"]
    for key, years in spec.checklists.items():
        lines.append(f"  {_key(key)}:")
        for year, entries in years.items():
            lines.append(f"    {year}:")
            lines += [f"      - {_flow(entry.model_dump())}" for entry in entries]
    return [*lines, ""]


def _lists(spec: DatasetFile) -> list[str]:
    if not spec.lists:
        return []
    lines = ["lists:"]
    for key, records in spec.lists.items():
        lines.append(f"  {_key(key)}:")
        lines += [f"    - {_flow(record)}" for record in records]
    return [*lines, ""]


def _reported(spec: DatasetFile) -> list[str]:
    reported = spec.reported
    if reported is None:
        return []
    lines = ["reported:", f"  year: {reported.year}"]
    if reported.source:
        lines.append(f"  source: {_text(reported.source)}")
    if reported.indicators:
        lines.append("  indicators:")
        lines += [f"    {n}: {_text(str(v)) if isinstance(v, str) else _scalar(v)}"
                  for n, v in reported.indicators.items()]
    for field in ("rows", "text"):
        records = getattr(reported, field)
        if records:
            lines.append(f"  {field}:")
            lines += [f"    - {_flow(r.model_dump(exclude_defaults=True))}" for r in records]
    return [*lines, ""]


def _contributions(spec: DatasetFile) -> list[str]:
    """Enterprises behind each rolled-up item-year, one flow mapping per enterprise."""
    if not spec.contributions:
        return []
    lines = ["contributions:"]
    for key, years in spec.contributions.items():
        lines.append(f"  {_key(key)}:")
        for year, entries in years.items():
            lines.append(f"    {year}:" if entries else f"    {year}: []")
            lines += [f"      - {_flow(e.model_dump(exclude_defaults=True), numbers=True)}"
                      for e in entries]
    return [*lines, ""]


def _accounting(spec: DatasetFile) -> list[str]:
    accounting = spec.accounting
    if accounting is None:
        return []
    lines = ["accounting:"]
    for key, value in accounting.model_dump(exclude_defaults=True).items():
        if isinstance(value, dict) and value:
            lines.append(f"  {key}:")
            lines += [f"    {_key(k)}: {_scalar(v)}" for k, v in value.items()]
        else:
            lines.append(f"  {key}: {_scalar(value)}")
    return [*lines, ""]


_EXTENSIONS = ("also_frameworks", "settings", "exemptions", "gates")


def _extensions(spec: DatasetFile) -> list[str]:
    """The sections frameworks other than HJ 274 use (settings, gates, exemptions), written as
    PyYAML writes them."""
    import yaml

    data = spec.model_dump(mode="python", include=set(_EXTENSIONS), exclude_defaults=True)
    if not data:
        return []
    return [yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).rstrip(), ""]


def _inventory(spec: DatasetFile) -> list[str]:
    """The inventory: one flow mapping per line, under its year and section."""
    if not spec.inventory:
        return []
    lines = ["inventory:"]
    for year, entry in sorted(spec.inventory.items()):
        lines.append(f"  {year}:")
        data = entry.model_dump(mode="python", by_alias=True, exclude_defaults=True)
        for key, value in data.items():
            if isinstance(value, list):
                lines.append(f"    {key}:")
                lines += [f"      - {_nested(line)}" for line in value]
            else:
                lines.append(f"    {key}: {_scalar(value)}")
    return [*lines, ""]


def _nested(value: Any) -> str:
    """A flow mapping or list of any depth; whole floats as integers (50000, not 50000.0)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {_nested(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return _scalar(value)


def dataset_yaml(spec: DatasetFile) -> str:
    """The dataset as YAML text that `load_dataset` reads back to the same dataset."""
    parts = [_header(spec), _park(spec), _observations(spec), _checklists(spec), _lists(spec),
             _reported(spec), _contributions(spec), _accounting(spec), _extensions(spec),
             _inventory(spec)]
    lines = [line for part in parts for line in part]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
