"""Roll-up rules: the data file (data/rollup-<framework>.yaml, grammar in its header), its
frozen models, the conditions a rule may name, and the named checks run at load.

    items:      <item>: {sum | count, when, omit_zero, requires, source}   park items
    include:    {<framework>: [item, ...]}   items whose rules are written once, in that
                framework's rule file (items the framework file shares with it)
    inventory:  <carrier>: {line, class | kind | use, direction, source}   inventory lines
                (a dataset's `inventory.<year>`) from the roster's energy-carrier columns

Loading follows `ecopark.core.framework.model`: a schema, then each function in `CHECKS` for one
cross-reference rule, each failure a `DataFileError` naming the file and the key path.
`check_rule_include` runs first: it copies the included rules in, so that every later check
sees them as this file's own.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from ecopark.accounting.coefficients import validate
from ecopark.accounting.library import load_library
from ecopark.accounting.roster import FIELDS, EnterpriseYear
from ecopark.core import units
from ecopark.core.errors import DataFileError, UnitError, UnknownFramework
from ecopark.core.yamlfile import read_yaml

if TYPE_CHECKING:
    from ecopark.accounting.coefficients import Carrier
    from ecopark.accounting.inventory_method import InventoryMethod
    from ecopark.core.framework.model import Framework

__all__ = ["CHECKS", "COMPUTED", "CONDITIONS", "DATA_DIR", "LineRule", "Parameters",
           "RollupFile", "RollupRules", "Rule", "enterprise_units", "inventory_method",
           "items_by_field", "line_unit", "load_rules"]

DATA_DIR = Path(__file__).parent / "data"
COMPUTED = {"energy_tce": "tce", "renewable_tce": "tce", "co2_total": "t", "co2_direct": "t",
            "co2_indirect": "t"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Model):
    sum: list[str] | None = None
    count: list[str] | None = None
    when: list[str] = []
    omit_zero: bool = False
    requires: str | None = None
    source: str


class LineRule(_Model):
    """How one carrier column becomes an inventory line (the fuel of a `fuels` line is the
    carrier itself)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    line: Literal["electricity", "heat", "fuels"]
    class_: str | None = Field(None, alias="class")
    kind: str | None = None
    use: str | None = None
    direction: Literal["received", "sent"] | None = None
    source: str = Field(min_length=1)


class Parameters(_Model):
    certificate_rule: Literal["any_day", "year_end"] = "any_day"
    audit_valid_years: int = Field(5, ge=1, le=50)
    steam: str | None = Field(None, description="steam_if97 set converting steam (t) to heat "
                              "(GJ) for inventory lines")


class RollupFile(_Model):
    format: Literal["ecopark-rollup/1"]
    framework: str
    source: str
    parameters: Parameters = Parameters()
    include: dict[str, list[str]] = {}
    items: dict[str, Rule] = {}
    inventory: dict[str, LineRule] = {}


@dataclasses.dataclass
class RollupRules:
    spec: RollupFile
    file: str
    factors: dict[str, float] = dataclasses.field(default_factory=dict)  # item → unit factor
    included: dict[str, str] = dataclasses.field(default_factory=dict)  # item → rule file


# ------------------------------------------------------------------------ conditions


def _hightech_valid(record: EnterpriseYear, year: int, params: Parameters) -> bool:
    start, end = record.values.get("hightech_from"), record.values.get("hightech_to")
    if not record.values.get("hightech_cert") or start is None or end is None:
        return False
    last = datetime.date(year, 12, 31)
    first = last if params.certificate_rule == "year_end" else datetime.date(year, 1, 1)
    return bool(start <= last and end >= first)


def _audited(record: EnterpriseYear, year: int, params: Parameters) -> bool:
    done = record.values.get("audit_year")
    return done is not None and done <= year < done + params.audit_valid_years


def _flag(key: str) -> Callable[[EnterpriseYear, int, Parameters], bool]:
    return lambda record, year, params: bool(record.values.get(key))


CONDITIONS: dict[str, tuple[str, Callable[[EnterpriseYear, int, Parameters], bool]]] = {
    "key_enterprise": ("key_enterprise", _flag("key_enterprise")),
    "key_polluter": ("key_polluter", _flag("key_polluter")),
    "disclosed": ("disclosed", _flag("disclosed")),
    "hightech_valid": ("hightech_cert", _hightech_valid),
    "audited": ("audit_year", _audited),
}
FLAGS = frozenset({"key_enterprise", "key_polluter", "disclosed"})
_FIELD_UNITS = {f.key: f.unit for f in FIELDS if f.kind == "number"} | COMPUTED


def enterprise_units() -> dict[str, str]:
    """Enterprise-level fields a rule may name (roster amounts, computed values) → unit."""
    return dict(_FIELD_UNITS)


def items_by_field(rules: RollupRules) -> dict[str, set[str]]:
    """Roster field → the park items the roll-up computes from it (counts by their column)."""
    out: dict[str, set[str]] = {}
    for name, rule in rules.spec.items.items():
        for field in (*(rule.sum or ()), *(CONDITIONS[c][0] for c in (*rule.when, *(rule.count or ())))):
            out.setdefault(field, set()).add(name)
    for field, item in (("energy_tce", "energy"), ("co2_total", "co2"), ("co2_direct", "co2"),
                        ("co2_indirect", "co2"), ("renewable_tce", "renewable_energy"),
                        ("stated_co2", "co2"), ("stated_energy", "energy")):
        out.setdefault(field, set()).add(item)
    return out


def inventory_method(framework: Framework) -> InventoryMethod | None:
    """The inventory method the framework's computed items come from (None: it has none)."""
    from ecopark.accounting.inventory import load_method

    link = framework.spec.inventory
    return None if link is None else load_method(link.method)


def line_unit(rule: LineRule, carrier: Carrier) -> str:
    """The unit of the inventory line a carrier goes into (kWh, GJ, or the fuel's own)."""
    return {"electricity": "kWh", "heat": "GJ"}.get(rule.line, carrier.unit)


# ------------------------------------------------------------------------ named checks


def _fail(rules: RollupRules, key_path: str, problem: str, hint: str = "") -> DataFileError:
    return DataFileError(rules.file, key_path, problem, hint)


def check_rule_include(rules: RollupRules, fw: Framework) -> None:
    """Included items come from another framework's rule file that includes nothing itself;
    each is an item this framework shares with that one, and is not also written under
    `items`. They are copied in: one rule for both frameworks."""
    merged = dict(rules.spec.items)
    for other_id, names in rules.spec.include.items():
        where = f"include.{other_id}"
        other = _included_file(rules, fw, other_id, where)
        for index, name in enumerate(names):
            if name not in other.spec.items:
                raise _fail(rules, f"{where}[{index}]", f"{Path(other.file).name} 没有 "
                            f"{name!r} 的规则 has no rule for {name!r}")
            if fw.shared_from.get(name) != other_id:
                raise _fail(rules, f"{where}[{index}]", f"{name!r} 不是 {fw.id} 与 {other_id} "
                            f"共享的数据项 is not an item {fw.id} shares with {other_id}",
                            "在指标体系文件的 shared_items 中共享，或在 items 下写自己的规则 share "
                            "it in the framework file, or write its own rule under items")
            if name in merged:
                raise _fail(rules, f"{where}[{index}]", f"{name!r} 已在 items 中定义 is also "
                            "defined under items", "删去其一 keep one rule")
            merged[name] = other.spec.items[name]
            rules.included[name] = other.file
    if rules.included:
        rules.spec = rules.spec.model_copy(update={"items": merged})


def _included_file(rules: RollupRules, fw: Framework, other_id: str, where: str) -> RollupRules:
    """The other framework's rules, loaded and checked; refused when it includes rules itself
    (looked at before loading it, so that two files including each other cannot loop)."""
    from ecopark.core.framework.loading import load_framework

    if other_id == fw.id:
        raise _fail(rules, where, "不能包含自身 a rule file cannot include itself")
    try:
        other = load_framework(other_id)
    except UnknownFramework as exc:
        raise _fail(rules, where, f"未知指标体系 unknown framework {other_id!r}",
                    f"可用 available: {exc.available}") from None
    path = (DATA_DIR / f"rollup-{other_id}.yaml").resolve()
    if not path.is_file():
        raise _fail(rules, where, f"{other_id} 没有汇总规则文件 has no roll-up rules")
    if _cached_rules(path).include:
        raise _fail(rules, where, f"{other_id} 的汇总规则本身包含其他文件 includes rules itself",
                    "只包含不再包含其他文件的规则 include only from a file that includes none")
    return _load_rules(path, other)


def check_rule_form(rules: RollupRules, fw: Framework) -> None:
    """A rule is a sum or a count; `when` goes with a sum, `omit_zero`/`requires` with a count."""
    for name, rule in rules.spec.items.items():
        if (rule.sum is None) == (rule.count is None):
            raise _fail(rules, f"items.{name}", "须有 sum 或 count 之一 give either sum or count")
        if rule.sum is not None and (rule.omit_zero or rule.requires):
            raise _fail(rules, f"items.{name}", "omit_zero/requires 只用于 count only with count")
        if rule.count is not None and rule.when:
            raise _fail(rules, f"items.{name}.when", "count 直接列条件 a count lists its "
                        "conditions itself")


def check_rule_framework(rules: RollupRules, fw: Framework) -> None:
    """The file is for this framework and names its number items."""
    if rules.spec.framework != fw.id:
        raise _fail(rules, "framework", f"规则针对 {rules.spec.framework!r}，而指标体系是 {fw.id!r}")
    for name in rules.spec.items:
        item = fw.spec.items.get(name)
        if item is None or item.kind != "number":
            raise _fail(rules, f"items.{name}", f"不是该指标体系的数值数据项 not a number item of "
                        f"{fw.id}")


def check_rule_not_computed(rules: RollupRules, fw: Framework) -> None:
    """No rule writes an item the framework computes from the inventory (`computed:`): such an
    item is never an observation; the roll-up gives the inventory lines instead."""
    for name in rules.spec.items:
        if fw.spec.items[name].computed:
            raise _fail(rules, f"items.{name}", f"{name!r} 由核算清单计算，不汇总 is computed "
                        "from the inventory, never rolled up", "在 inventory 下写能源品种的清单行规则 "
                        "write inventory-line rules for the carriers instead")


def check_rule_fields(rules: RollupRules, fw: Framework) -> None:
    """Sums name roster amount fields or computed values; conditions are known."""
    for name, rule in rules.spec.items.items():
        for field in rule.sum or ():
            if field not in _FIELD_UNITS:
                raise _fail(rules, f"items.{name}.sum", f"未知字段 unknown field {field!r}",
                            f"可用 available: {', '.join(sorted(_FIELD_UNITS))}")
        for condition in (*rule.when, *(rule.count or ())):
            if condition not in CONDITIONS:
                raise _fail(rules, f"items.{name}", f"未知条件 unknown condition {condition!r}",
                            f"可用 available: {', '.join(CONDITIONS)}")


def check_rule_units(rules: RollupRules, fw: Framework) -> None:
    """A sum's fields share a unit that converts to the item's; a count goes into a count."""
    for name, rule in rules.spec.items.items():
        target = fw.spec.items[name].unit
        sources = {_FIELD_UNITS[f] for f in rule.sum} if rule.sum else {"家"}
        if len(sources) != 1:
            raise _fail(rules, f"items.{name}.sum", f"字段单位不一致 the fields' units differ: "
                        f"{sorted(sources)}")
        try:
            rules.factors[name] = units.conversion_factor(sources.pop(), target)
        except UnitError as exc:
            raise _fail(rules, f"items.{name}", f"单位无法换算为 {target} ({exc.problem})") from None


def check_rule_requires(rules: RollupRules, fw: Framework) -> None:
    """`requires` names a count rule of the same file."""
    for name, rule in rules.spec.items.items():
        other = rules.spec.items.get(rule.requires or "")
        if rule.requires is not None and (other is None or other.count is None):
            raise _fail(rules, f"items.{name}.requires", f"{rule.requires!r} 不是本文件的 count 规则 "
                        "is not a count rule of this file")


def check_inventory_method(rules: RollupRules, fw: Framework) -> None:
    """Inventory-line rules need a framework with an inventory method (its `inventory:`)."""
    if rules.spec.inventory and fw.spec.inventory is None:
        raise _fail(rules, "inventory", f"{fw.id} 没有核算清单方法 has no inventory method",
                    "删去 inventory 部分 remove the section")


def check_inventory_carriers(rules: RollupRules, fw: Framework) -> None:
    """Every inventory rule is keyed by a carrier of carriers.yaml."""
    carriers = load_library().carriers
    for key in rules.spec.inventory:
        if key not in carriers:
            near = difflib.get_close_matches(key, list(carriers), n=1)
            raise _fail(rules, f"inventory.{key}", f"未知能源品种 unknown carrier {key!r}",
                        (f"是否应为 did you mean {near[0]!r}? " if near else "") +
                        f"可用 available: {', '.join(carriers)}")


def check_inventory_complete(rules: RollupRules, fw: Framework) -> None:
    """With an inventory section, every carrier has a rule: a roster's energy column is never
    dropped silently."""
    if not rules.spec.inventory:
        return
    missing = [key for key in load_library().carriers if key not in rules.spec.inventory]
    if missing:
        raise _fail(rules, "inventory", f"能源品种没有清单行规则 carriers without a rule: "
                    f"{', '.join(missing)}", "每个能源品种写一条规则 write one rule per carrier")


_NEEDS = {"electricity": ("class_", "direction"), "heat": ("kind", "direction"), "fuels": ("use",)}
_KEYS = {"class_": "class", "kind": "kind", "use": "use", "direction": "direction"}


def check_inventory_form(rules: RollupRules, fw: Framework) -> None:
    """A line rule gives exactly the keys its line needs (electricity: class, direction; heat:
    kind, direction; fuels: use), and the carrier fits the line: electricity in a unit of kWh,
    heat in GJ or by enthalpy (steam), a fuel a combustion carrier (co2: fuel)."""
    carriers = load_library().carriers
    for key, rule in rules.spec.inventory.items():
        for field, name in _KEYS.items():
            given = getattr(rule, field) is not None
            if given != (field in _NEEDS[rule.line]):
                raise _fail(rules, f"inventory.{key}.{name}", f"{rule.line} 行{'不用' if given else '须有'} "
                            f"{name} a {rule.line} line {'takes no' if given else 'needs a'} {name}")
        carrier = carriers[key]
        if not _fits(rule, carrier):
            raise _fail(rules, f"inventory.{key}.line", f"能源品种 {key}（{carrier.unit}，co2: "
                        f"{carrier.co2}）不能作为 {rule.line} 行 the carrier does not fit a "
                        f"{rule.line} line")


def _fits(rule: LineRule, carrier: Carrier) -> bool:
    if rule.line == "fuels":
        return carrier.co2 == "fuel"
    if rule.line == "heat" and carrier.enthalpy:
        return True
    try:
        units.conversion_factor(carrier.unit, line_unit(rule, carrier))
    except UnitError:
        return False
    return True


def check_inventory_vocabulary(rules: RollupRules, fw: Framework) -> None:
    """Classes, kinds and uses are ids of the framework's inventory method, and an electricity
    line's direction is one its class allows."""
    method = inventory_method(fw)
    if method is None:
        return
    spec = method.spec
    for key, rule in rules.spec.inventory.items():
        field, value = {"electricity": ("class", rule.class_), "heat": ("kind", rule.kind),
                        "fuels": ("use", rule.use)}[rule.line]
        vocabulary = {"electricity": list(spec.electricity_classes),
                      "heat": list(spec.heat_kinds), "fuels": list(spec.fuel_uses)}[rule.line]
        if value not in vocabulary:
            raise _fail(rules, f"inventory.{key}.{field}", f"核算方法 {method.id} 没有 {field} "
                        f"{value!r} the inventory method has no such {field}",
                        f"可用 available: {', '.join(vocabulary)}")
        cls = spec.electricity_classes.get(str(value)) if rule.line == "electricity" else None
        if cls is not None and rule.direction not in cls.directions:
            raise _fail(rules, f"inventory.{key}.direction", f"{value} 不能为 {rule.direction} "
                        "the class does not allow this direction", f"可用 allowed: {cls.directions}")


def check_inventory_direction(rules: RollupRules, fw: Framework) -> None:
    """A carrier passed on to others (sign −1 in carriers.yaml) is a `sent` line; every other
    electricity or heat carrier a `received` one."""
    carriers = load_library().carriers
    for key, rule in rules.spec.inventory.items():
        wanted = "sent" if carriers[key].sign < 0 else "received"
        if rule.line != "fuels" and rule.direction != wanted:
            raise _fail(rules, f"inventory.{key}.direction", f"{key} 的方向应为 {wanted} the "
                        f"carrier's line must be {wanted} (carriers.yaml sign)")
        if rule.line == "fuels" and carriers[key].sign < 0:
            raise _fail(rules, f"inventory.{key}.line", "外供能源不能作为燃料行 energy passed "
                        "on is not a fuel line")


def check_inventory_steam(rules: RollupRules, fw: Framework) -> None:
    """A carrier converted through its enthalpy (steam) needs `parameters.steam`, the id of a
    steam_if97 coefficient set."""
    library = load_library()
    if not any(library.carriers[k].enthalpy for k in rules.spec.inventory):
        return
    set_id = rules.spec.parameters.steam
    found = library.sets.get(set_id or "")
    if found is None or found.spec.kind != "steam_if97":
        have = sorted(k for k, s in library.sets.items() if s.spec.kind == "steam_if97")
        raise _fail(rules, "parameters.steam", f"须为 steam_if97 系数集 must name a steam_if97 "
                    f"set, not {set_id!r}", f"可用 available: {', '.join(have)}")


CHECKS: tuple[Callable[[RollupRules, Framework], None], ...] = (
    check_rule_include, check_rule_form, check_rule_framework, check_rule_not_computed,
    check_rule_fields, check_rule_units, check_rule_requires, check_inventory_method,
    check_inventory_carriers, check_inventory_complete, check_inventory_form,
    check_inventory_vocabulary, check_inventory_direction, check_inventory_steam,
)


# ------------------------------------------------------------------------ loading


def load_rules(framework: Framework, path: Path | None = None) -> RollupRules:
    """The roll-up rules for `framework` (the built-in file unless `path` is given)."""
    chosen = path or DATA_DIR / f"rollup-{framework.id}.yaml"
    if not chosen.is_file():
        raise DataFileError(str(chosen), "(file)", f"没有 {framework.id} 的汇总规则 no roll-up rules "
                            f"for {framework.id}", "用 --rules 指定 give one with --rules")
    return _load_rules(chosen.resolve(), framework)


@functools.cache
def _cached_rules(path: Path) -> RollupFile:
    return validate(RollupFile, read_yaml(path), str(path))  # type: ignore[no-any-return]


def _load_rules(path: Path, framework: Framework) -> RollupRules:
    rules = RollupRules(_cached_rules(path), str(path))
    for check in CHECKS:
        check(rules, framework)
    return rules
