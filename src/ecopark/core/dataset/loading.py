"""Loading a dataset: the file is validated by its schema (`ecopark.core.dataset.schema`), then
checked against a framework into a `Dataset` whose observations are held in each item's
canonical unit.

A dataset may name several frameworks (its own `framework:` and `also_frameworks`). Loaded under
one of them, it keeps what that framework declares and skips what only another named framework
declares (items, park fields, settings, gates); anything declared by none is an error naming
it. `park.selected` and `reported` belong to the dataset's own `framework:`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ecopark.core.dataset.derived import check_inventory_section, derived_observations
from ecopark.core.dataset.model import Dataset, Observation, record_number
from ecopark.core.dataset.observations import known_item, observation, unit_factor
from ecopark.core.dataset.profile import read_profile
from ecopark.core.dataset.schema import FORMAT, DatasetFile, Reported
from ecopark.core.dataset.settings import exemptions_for, gates_for, near, resolve_settings
from ecopark.core.errors import DatasetError
from ecopark.core.framework.loading import available_frameworks, load_framework
from ecopark.core.framework.model import Framework
from ecopark.core.text import HINT as TEXT_HINT
from ecopark.core.text import find_unsafe
from ecopark.core.text import problem as text_problem
from ecopark.core.yamlfile import read_yaml

__all__ = ["build_dataset", "load_dataset", "other_frameworks", "schema_error"]


def load_dataset(path: str | Path, framework: Framework | None = None) -> Dataset:
    """Read a dataset file and check it against its framework (loaded by id if not given)."""
    file = str(path)
    data = read_yaml(Path(path), floats_as_text=True)
    if not isinstance(data, dict):
        raise DatasetError(file, "(top)", "文件应为键值映射 the file must be a mapping",
                           f"参考 see examples/wujin-2018/dataset.yaml; format: {FORMAT}")
    try:
        spec = DatasetFile.model_validate(data)
    except ValidationError as exc:
        raise schema_error(exc, file) from None
    return build_dataset(spec, framework or load_framework(spec.framework), file)


def schema_error(exc: ValidationError, file: str) -> DatasetError:
    """A schema failure as a `DatasetError` at its first key path, with a hint where one helps."""
    first = exc.errors()[0]
    key_path = ".".join(str(part) for part in first["loc"]) or "(top)"
    hint = ""
    if first["type"] == "missing" and first["loc"][-1] == "base_year":
        hint = "在 park 下填写 base_year（规划基准年，如 2012） add park.base_year"
    elif first["type"] == "literal_error":
        hint = f"写 format: {FORMAT}"
    more = f"（另有 {exc.error_count() - 1} 处 and {exc.error_count() - 1} more）" \
        if exc.error_count() > 1 else ""
    return DatasetError(file, key_path, f"{first['msg']}{more}", hint)


def build_dataset(spec: DatasetFile, framework: Framework, file: str) -> Dataset:
    _check_text(spec, file)
    _check_framework_id(spec, framework, file)
    others = other_frameworks(spec.framework, spec.also_frameworks, framework.id, file)
    values: dict[tuple[str, int], Observation] = {}
    for name, series in spec.observations.items():
        if name not in framework.spec.items and _elsewhere(others, "items", name):
            continue
        item = known_item(framework, name, file)
        if item.computed:
            raise DatasetError(file, f"observations.{name}", f"{item.name_zh} 由核算清单计算，"
                               "不能直接填报 is computed from the inventory, not observed",
                               "在 inventory 中填写核算清单 give the inventory lines instead")
        for year, raw in series.values.items():
            values[(name, year)] = observation(framework, item, name, year, raw, series, file)
    _check_declared(spec, framework, file, others)
    _check_contributions(spec, framework, file, others)
    settings = resolve_settings(framework, dict(spec.settings), others, file)
    check_inventory_section(framework, spec.inventory, others, file)
    derived, warnings, inventory = derived_observations(framework, spec.inventory, settings, file)
    values.update(derived)
    primary = spec.framework == framework.id
    listed = [spec.framework, *spec.also_frameworks]
    return Dataset(file, framework.id, read_profile(spec, framework, file, others), spec.year, values,
                   spec.checklists, spec.lists, spec.reported if primary else None,
                   spec.contributions, spec.accounting, settings,
                   exemptions_for(framework, dict(spec.exemptions), spec.framework, listed, file),
                   gates_for(framework, spec.gates, others, file), inventory, warnings)


def other_frameworks(own: str, also: Iterable[str], current: str, file: str = ""
                     ) -> list[Framework]:
    """The frameworks other than `current` that a dataset names (its own, `framework:`, and
    `also_frameworks`), loaded. `also_frameworks` takes ids of frameworks ecopark ships only: a
    dataset must not make ecopark read a file it names."""
    shipped = available_frameworks()
    names = [own, *also]
    for name in also:
        if name not in shipped:
            raise DatasetError(file, "also_frameworks", f"未知指标体系 unknown framework {name!r}",
                               near(name, shipped) or f"可用 available: {', '.join(shipped)}")
    return [load_framework(name) for name in dict.fromkeys(names) if name != current]



def _elsewhere(others: list[Framework], section: str, name: str) -> bool:
    """Whether another framework the dataset names declares `name` in `section`."""
    return any(name in getattr(fw.spec, section) for fw in others)


def _check_contributions(spec: DatasetFile, framework: Framework, file: str,
                         others: list[Framework] | None = None) -> None:
    """Contributions and stated totals name declared number items."""
    stated = spec.accounting.stated if spec.accounting else {}
    for section, names in (("contributions", spec.contributions), ("accounting.stated", stated)):
        for name in names:
            if name not in framework.spec.items and _elsewhere(others or [], "items", name):
                continue
            item = framework.spec.items.get(name)
            if item is None or item.kind != "number":
                _raise_unknown(file, f"{section}.{name}", name, framework)


def _check_framework_id(spec: DatasetFile, framework: Framework, file: str) -> None:
    if spec.framework != framework.id and framework.id not in spec.also_frameworks:
        raise DatasetError(file, "framework", f"数据文件针对 {spec.framework!r}，而当前指标体系是 "
                           f"{framework.id!r} the dataset is for {spec.framework!r}")


def _check_text(spec: DatasetFile, file: str) -> None:
    """No text of the dataset (names, notes, sources, labels, keys) holds a control character."""
    found = find_unsafe(spec.model_dump(exclude_none=True))
    if found is not None:
        raise DatasetError(file, found[0], text_problem(found[1]), TEXT_HINT)



def _check_declared(spec: DatasetFile, framework: Framework, file: str,
                    others: list[Framework] | None = None) -> None:
    for name in spec.checklists:
        if name not in framework.spec.checklists and not _elsewhere(others or [], "checklists",
                                                                    name):
            raise DatasetError(file, f"checklists.{name}", "未声明的清单 unknown checklist",
                               f"可用 declared: {', '.join(framework.spec.checklists)}")
    for name, records in spec.lists.items():
        if name not in framework.spec.lists and _elsewhere(others or [], "lists", name):
            continue
        if name not in framework.spec.lists:
            raise DatasetError(file, f"lists.{name}", "未声明的列表 unknown list",
                               f"可用 declared: {', '.join(framework.spec.lists)}")
        for index, record in enumerate(records):
            if not isinstance(record.get("year"), int):
                raise DatasetError(file, f"lists.{name}[{index}].year",
                                   "每条记录须有整数年份 every record needs an integer year")
        _check_record_numbers(framework, name, records, file)
    if spec.reported is not None and spec.framework == framework.id:
        _check_reported(spec.reported, framework, file)


def _check_record_numbers(framework: Framework, name: str, records: list[dict[str, Any]],
                          file: str) -> None:
    """Records a list rule judges give numbers in its number fields."""
    declared = framework.spec.lists[name]
    if declared.record_rule is None:
        return
    for index, record in enumerate(records):
        if declared.applies_if and not record.get(declared.applies_if):
            continue
        for field in declared.numbers:
            value = record.get(field)
            if record_number(value) is None:
                raise DatasetError(file, f"lists.{name}[{index}].{field}",
                                   f"应为数字 expected a number, got {value!r}",
                                   f"{declared.applies_if or ''} 已填，须填写 {field}".strip())


def _check_reported(reported: Reported, framework: Framework, file: str) -> None:
    for number in reported.indicators:
        if number not in framework.by_number:
            raise DatasetError(file, f"reported.indicators.{number}",
                               f"没有序号为 {number} 的指标 no such indicator")
    for index, row in enumerate(reported.rows):
        if row.item not in framework.spec.items:
            _raise_unknown(file, f"reported.rows[{index}].item", row.item, framework)
        _check_unit(framework, row.item, row.unit, f"reported.rows[{index}].unit", file)
    for index, stated in enumerate(reported.text):
        where = f"reported.text[{index}]"
        if (stated.indicator is None) == (stated.item is None):
            raise DatasetError(file, where, "须有 indicator 或 item 之一 give either indicator "
                               "or item")
        if stated.item is not None and stated.item not in framework.spec.items:
            _raise_unknown(file, f"{where}.item", stated.item, framework)
        if stated.item is not None:
            _check_unit(framework, stated.item, stated.unit, f"{where}.unit", file)
        if stated.indicator is not None and stated.indicator not in framework.by_number:
            raise DatasetError(file, f"{where}.indicator", f"没有序号为 {stated.indicator} 的指标")


def _check_unit(framework: Framework, name: str, unit: str | None, where: str,
                file: str) -> None:
    item = framework.spec.items[name]
    if unit is not None and item.kind == "number":
        unit_factor(unit, item, where, file, unit)


def _raise_unknown(file: str, where: str, name: str, framework: Framework) -> None:
    near = difflib.get_close_matches(name, list(framework.spec.items), n=1)
    raise DatasetError(file, where, f"未知数据项 unknown item {name!r}",
                       f"是否应为 did you mean {near[0]!r}?" if near else "")
