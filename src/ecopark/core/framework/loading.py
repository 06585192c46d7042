"""Loading a framework file: the schema validates the shape of every entry (unknown keys are
refused); then each function in `CHECKS` validates one rule that spans entries and compiles
what it checked. Any failure is a `FrameworkError` naming the file and the key path.

Most checks stay within the file (`ecopark.core.framework.checks`); the three here reach out:
items shared with another framework, crosswalk links to another framework's indicators, and
the inventory method whose quantities `computed` items take.

A framework is named by its id (found by `ecopark.core.framework.discovery`: an entry point or
a framework directory; its file's `id:` must be that id) or given by its file's path.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ecopark.core import units
from ecopark.core.errors import (
    DataFileError,
    FrameworkError,
    PluginError,
    UnitError,
    UnknownFramework,
)
from ecopark.core.framework.checks import indicators, items, settings
from ecopark.core.framework.discovery import GROUP, found_frameworks
from ecopark.core.framework.model import Framework, FrameworkFile
from ecopark.core.framework.providers import InventoryProvider, provider, provider_names
from ecopark.core.framework.settings import InventoryLink
from ecopark.core.yamlfile import read_yaml

__all__ = ["CHECKS", "available_frameworks", "build_framework", "is_loading", "load_framework"]


def available_frameworks() -> dict[str, Path]:
    """Every framework found (entry points and framework directories): id → file."""
    return {name: found.file for name, found in found_frameworks().items()}


_STATE = threading.local()  # per thread: framework ids and files being built (cycle guard)


def _loading() -> set[str]:
    names: set[str] | None = getattr(_STATE, "names", None)
    if names is None:
        names = _STATE.names = set()
    return names


def is_loading(name_or_path: str) -> bool:
    """Whether a framework (by id or file) is being built right now, further up this thread's
    stack (a framework that refers to another which refers back)."""
    return name_or_path in _loading()


def load_framework(name_or_path: str | Path) -> Framework:
    """Load a built-in framework by id, or a framework file by path."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return _load(path.resolve())
    found = available_frameworks()
    if not found:
        raise PluginError(GROUP, "没有找到任何指标体系 no framework is found, not even ecopark's own",
                          "重新安装 ecopark 以登记其入口 reinstall ecopark so that its entry "
                          "points are registered (pip install -e .)")
    if str(name_or_path) not in found:
        raise UnknownFramework(str(name_or_path), ", ".join(found))
    framework = _load(found[str(name_or_path)])
    if framework.spec.id != str(name_or_path):
        raise FrameworkError(framework.file, "id", f"应为 should be {str(name_or_path)!r}, "
                             f"the name it is found under", "文件名（或入口名）与 id 一致 name "
                             "the file (or the entry point) after the id")
    return framework


@functools.cache
def _load(path: Path) -> Framework:
    data = read_yaml(path)
    loading = _loading()
    if str(path) in loading:
        raise FrameworkError(str(path), "shared_items", "指标体系之间循环引用 frameworks refer "
                             "to each other in a cycle")
    names = {str(path), path.stem}
    loading.update(names)
    try:
        return build_framework(data, str(path))
    finally:
        loading.difference_update(names)


def build_framework(data: Any, file: str) -> Framework:
    """Validate parsed YAML and run every named check."""
    if not isinstance(data, dict):
        raise FrameworkError(file, "(top)", "文件应为键值映射 the file must be a mapping")
    try:
        spec = FrameworkFile.model_validate(data)
    except ValidationError as exc:
        raise _schema_error(exc, file) from None
    framework = Framework(spec, file)
    for check in CHECKS:
        check(framework)
    return framework


def _schema_error(exc: ValidationError, file: str) -> FrameworkError:
    first = exc.errors()[0]
    key_path = ".".join(str(part) for part in first["loc"]) or "(top)"
    more = f"（另有 {exc.error_count() - 1} 处 and {exc.error_count() - 1} more）" \
        if exc.error_count() > 1 else ""
    return FrameworkError(file, key_path, f"{first['msg']}{more}")


# ------------------------------------------------------------------------ checks that reach out


def _fail(fw: Framework, key_path: str, problem: str, hint: str = "") -> FrameworkError:
    return FrameworkError(fw.file, key_path, problem, hint)


def check_shared_items(fw: Framework) -> None:
    """Shared items name items of another framework that shares none itself, and no local item
    has the same id; they are copied in, one definition for both frameworks."""
    merged = dict(fw.spec.items)
    for other_id, names in fw.spec.shared_items.items():
        where = f"shared_items.{other_id}"
        if other_id == fw.spec.id:
            raise _fail(fw, where, "不能与自身共享 a framework cannot share with itself")
        other = load_framework(other_id)
        if other.spec.shared_items:
            raise _fail(fw, where, f"{other_id} 本身共享其他指标体系的数据项 shares items itself",
                        "只从不共享数据项的指标体系共享 share only from a framework that shares none")
        for index, name in enumerate(names):
            if name not in other.spec.items:
                raise _fail(fw, f"{where}[{index}]", f"{other_id} 没有数据项 has no item {name!r}")
            if name in merged:
                raise _fail(fw, f"{where}[{index}]", f"数据项 {name!r} 已在 items 中定义 is "
                            "already defined in items", "删去其一 keep one definition")
            merged[name] = other.spec.items[name]
            fw.shared_from[name] = other_id
    if fw.shared_from:
        fw.spec = fw.spec.model_copy(update={"items": merged})


def check_inventory(fw: Framework) -> None:
    """`computed` items name a quantity of the framework's inventory method in a compatible
    unit; every parameter of the method is fed by a declared setting of its type."""
    computed = {k: v for k, v in fw.spec.items.items() if v.computed}
    link = fw.spec.inventory
    if link is None:
        if computed:
            raise _fail(fw, f"items.{next(iter(computed))}.computed", "没有 inventory 声明 the "
                        "framework declares no inventory method", "添加 add `inventory: "
                        "{method: ...}`")
        return
    module = _provider(fw, link)
    for name, item in computed.items():
        where = f"items.{name}.computed"
        if item.computed not in module.quantities:
            raise _fail(fw, where, f"方法没有量 the method has no quantity {item.computed!r}",
                        f"可用 available: {', '.join(module.quantities)}")
        try:
            units.conversion_factor(module.quantities[str(item.computed)], item.unit)
        except UnitError as exc:
            raise _fail(fw, f"items.{name}.unit", exc.problem) from None
    for param, kind in module.parameters.items():
        setting_id = link.settings.get(param)
        setting = fw.spec.settings.get(setting_id or "")
        if setting is None or setting.type != kind:
            raise _fail(fw, f"inventory.settings.{param}", f"方法参数 {param}（{kind}）须由一个"
                        f"同类型的设置提供 the method parameter needs a declared {kind} setting")
    for param in link.settings:
        if param not in module.parameters:
            raise _fail(fw, f"inventory.settings.{param}", f"方法没有参数 the method has no "
                        f"parameter {param!r}", f"可用 available: {', '.join(module.parameters)}")


def _provider(fw: Framework, link: InventoryLink) -> InventoryProvider:
    """The provider the framework names, registered (`ecopark.core.framework.providers`) and
    readable."""
    found_frameworks()  # a plugin registers its providers when it is found
    try:
        found = provider(link.method)
    except DataFileError as exc:
        raise _fail(fw, "inventory.method", exc.problem, exc.hint) from None
    if found is None:
        raise _fail(fw, "inventory.method", f"没有核算清单方法 no inventory method "
                    f"{link.method!r}", f"可用 available: {', '.join(provider_names()) or '—'}")
    return found


def check_related(fw: Framework) -> None:
    """Crosswalk links name another framework's existing indicator."""
    for ind in fw.spec.indicators:
        for index, link in enumerate(ind.related):
            where = f"indicators[number={ind.number}].related[{index}]"
            if link.framework == fw.spec.id:
                raise _fail(fw, f"{where}.framework", "应为另一个指标体系 another framework")
            if is_loading(link.framework):
                continue  # a mutual link: checked when that framework finishes loading
            other = load_framework(link.framework)
            if link.number not in other.by_number:
                raise _fail(fw, f"{where}.number", f"{link.framework} 没有序号为 {link.number} "
                            "的指标 has no such indicator")


CHECKS: tuple[Callable[[Framework], None], ...] = (
    check_shared_items,
    indicators.check_unique_numbers, indicators.check_categories_exist,
    indicators.check_membership, items.check_units_known, items.check_variables,
    indicators.check_formulas, indicators.check_no_times_hundred,
    indicators.check_units_compatible, indicators.check_requirements,
    settings.check_profile_kinds, settings.check_profile_defaults, items.check_identities,
    items.check_consistency_checks, items.check_plausible_ranges,
    settings.check_settings, settings.check_setting_choices, items.check_list_rules,
    indicators.check_guidance, settings.check_gates, indicators.check_companions,
    indicators.check_advisories, check_inventory, check_related,
)
