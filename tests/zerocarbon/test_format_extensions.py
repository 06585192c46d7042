"""The keys the zero-carbon framework brought (settings, gates, guidance, companions, warnings,
inventory, shared items, crosswalk links): one broken framework per named check of theirs (with
tests/test_bad_input.py, every named check has one), the schema of settings, and the formula
functions."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ecopark.core.errors import FormulaError, FrameworkError
from ecopark.core.formula import BOOL, TEXT, FormulaSyntaxError, Scope, compile_formula
from ecopark.core.framework.loading import CHECKS, build_framework
from ecopark.core.yamlfile import read_yaml
from ecopark.frameworks import DIRECTORY as FRAMEWORK_DIR

FILE = str(FRAMEWORK_DIR / "zero-carbon-park-2025.yaml")
RAW: dict[str, Any] = read_yaml(FRAMEWORK_DIR / "zero-carbon-park-2025.yaml")


def indicator(data: dict[str, Any], number: int) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in data["indicators"] if i["number"] == number)
    return found


@dataclass(frozen=True)
class Broken:
    check: str
    id: str
    mutate: Callable[[dict[str, Any]], None]
    key_path: str
    fragment: str


def _set(path: Callable[[dict[str, Any]], dict[str, Any]], **values: Any
         ) -> Callable[[dict[str, Any]], None]:
    return lambda data: path(data).update(values)


BROKEN = [
    Broken("schema", "bool_setting_with_text_default",
           _set(lambda d: d["settings"]["include_hazardous_waste"], default="no"),
           "settings.include_hazardous_waste", "does not fit type bool"),
    Broken("check_shared_items", "unknown_shared_item",
           lambda d: d["shared_items"]["hj274-2015"].append("fresh_watr"),
           "shared_items.hj274-2015[8]", "has no item 'fresh_watr'"),
    Broken("check_shared_items", "shared_and_local",
           lambda d: d["items"].update(fresh_water={"name_zh": "x", "name_en": "x", "unit": "万m3",
                                                    "source": "x"}),
           "shared_items.hj274-2015[6]", "already defined in items"),
    Broken("check_settings", "choice_default_not_a_value",
           _set(lambda d: d["settings"]["band_year"], default="application"),
           "settings.band_year.default", "'application' not in values"),
    Broken("check_settings", "setting_id_taken",
           lambda d: d["settings"].update(water_reuse={"name_zh": "x", "name_en": "x",
                                                       "type": "bool", "default": False,
                                                       "source": "x"}),
           "settings.water_reuse", "already used"),
    Broken("check_setting_choices", "unknown_choice_in_a_formula",
           _set(lambda d: d["variables"]["band_energy"],
                formula="if(band_year == 'baseline', energy_inventory, energy_inventory)"),
           "variables.band_energy.formula", "has no value 'baseline'"),
    Broken("check_list_rules", "rule_on_undeclared_field",
           _set(lambda d: d["lists"]["product_energy"], numbers=["value", "level3"]),
           "lists.product_energy", "'level3'"),
    Broken("check_guidance", "exemptible_core",
           _set(lambda d: indicator(d, 1), exemptible=True),
           "indicators[number=1].exemptible", "cannot be exempted"),
    Broken("check_guidance", "groups_under_gate_guidance", lambda d: (
        d["verdict"].update(groups={"G1": {"name_zh": "x", "name_en": "x"}}),
        indicator(d, 2).update(guidance=False, group="G1")), "verdict.groups", "takes no groups"),
    Broken("check_gates", "duplicate_gate",
           lambda d: d["gates"].append(dict(d["gates"][0])), "gates[4].id", "duplicate"),
    Broken("check_companions", "companion_unit",
           lambda d: indicator(d, 1)["companions"][0].update(unit="%"),
           "indicators[number=1].companions.co2_per_energy_equivalent.unit", "incompatible"),
    Broken("check_advisories", "warning_on_unknown_indicator",
           _set(lambda d: d["warnings"][0], indicators=[9]), "warnings[0].indicators",
           "no such indicator"),
    Broken("check_inventory", "unknown_quantity",
           _set(lambda d: d["items"]["co2_park"], computed="e_parc"), "items.co2_park.computed",
           "no quantity 'e_parc'"),
    Broken("check_inventory", "parameter_without_setting",
           lambda d: d["inventory"]["settings"].pop("green_share_denominator"),
           "inventory.settings.green_share_denominator", "needs a declared choice setting"),
    Broken("check_inventory", "computed_without_inventory", lambda d: d.pop("inventory"),
           "items.co2_park.computed", "declares no inventory method"),
    Broken("check_related", "related_to_a_missing_indicator",
           lambda d: indicator(d, 6)["related"][0].update(number=99),
           "indicators[number=6].related[0].number", "has no such indicator"),
]


def test_unbroken_copy_builds() -> None:
    framework = build_framework(copy.deepcopy(RAW), FILE)
    assert len(framework.indicators) == 6 and framework.spec.verdict.kind == "gate_guidance"


def test_every_case_breaks_a_named_check() -> None:
    assert {c.check for c in BROKEN} <= {c.__name__ for c in CHECKS} | {"schema"}


@pytest.mark.parametrize("case", BROKEN, ids=lambda c: f"{c.check}-{c.id}")
def test_broken_framework_raises(case: Broken) -> None:
    data = copy.deepcopy(RAW)
    case.mutate(data)
    with pytest.raises(FrameworkError) as caught:
        build_framework(data, FILE)
    assert caught.value.key_path == case.key_path, caught.value
    assert case.fragment in caught.value.message("en")


def test_companion_formula_names_are_checked() -> None:
    data = copy.deepcopy(RAW)
    indicator(data, 1)["companions"][0]["formula"] = "co2_parc / energy_use"
    with pytest.raises(FormulaError, match="did you mean 'co2_park'"):
        build_framework(data, FILE)


def test_hj274_needs_none_of_the_extensions() -> None:
    raw = read_yaml(FRAMEWORK_DIR / "hj274-2015.yaml")
    assert not {"settings", "gates", "warnings", "inventory", "shared_items"} & set(raw)
    framework = build_framework(raw, "hj.yaml")
    assert framework.spec.verdict.kind == "groups" and not framework.spec.settings


# ------------------------------------------------------------------ formula functions


SCOPE = Scope(items={"a": "t", "b": "kg", "n": "1"},
              settings={"switch": BOOL, "mode": TEXT, "limit": "t"},
              lists=frozenset({"products"}), rule_lists=frozenset({"products"}))


@dataclass
class Env:
    settings: dict[str, Any]
    t: int = 2027
    warnings: list[tuple[str, str]] | None = None

    def base_year(self) -> int:
        return 2025

    def item(self, name: str, year: int) -> tuple[float | str, str | None]:
        return {"a": 2.0, "b": 500.0, "n": 3.0}[name], "fixture"

    def setting(self, name: str) -> tuple[Any, str]:
        return self.settings.get(name), "fixture"

    def list_rule(self, name: str, year: int) -> tuple[int, int, list[str]]:
        return (2, 4, ["✓ a", "✗ b", "✓ c", "✗ d"]) if self.settings.get("records") else \
            (0, 0, ["— x"])

    def warn(self, zh: str, en: str) -> None:
        pass


def _eval(text: str, **settings: Any) -> Any:
    value, _ = compile_formula(text, SCOPE).evaluate(Env(settings))  # type: ignore[arg-type]
    return value


def test_if_takes_one_branch_and_aligns_units() -> None:
    assert _eval("if(switch, a, b)", switch=True) == 2.0
    assert _eval("if(switch, a, b)", switch=False) == pytest.approx(0.5)  # 500 kg in t
    assert _eval("if(switch, a, 0) + a", switch=False) == 2.0  # the literal takes t
    assert _eval("if(mode == 'x', 1, n)", mode="y") == 3.0


def test_defined_tells_whether_a_setting_has_a_value() -> None:
    assert _eval("defined(limit)", limit=1.0) is True
    assert _eval("defined(limit)") is False


def test_unset_setting_is_not_evaluable_naming_it() -> None:
    from ecopark.core.formula import NotEvaluable

    with pytest.raises(NotEvaluable, match="setting limit has no value"):
        _eval("a - limit")


def test_met_share_and_not_applicable() -> None:
    from ecopark.core.formula import NotApplicable

    assert _eval("met_share(products)", records=True) == 0.5
    with pytest.raises(NotApplicable):
        _eval("met_share(products)")


@pytest.mark.parametrize(("text", "problem"), [
    ("if(a, a, b)", "a condition"),
    ("if(switch, a, mode)", "a number"),
    ("defined(a)", "expects a setting"),
    ("met_share(a)", "expected a name declared in 'lists (with record_rule)'"),
    ("switch + 1", "a number"),
])
def test_function_misuse_is_refused(text: str, problem: str) -> None:
    with pytest.raises(FormulaSyntaxError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        compile_formula(text, SCOPE)


def test_mutual_links_load_and_a_sharing_cycle_is_named(tmp_path: Any) -> None:
    import yaml

    from ecopark.core.framework.loading import load_framework

    def write(name: str, other: str, key: str) -> None:
        data = copy.deepcopy(RAW)
        data["id"] = name
        if key == "related":
            indicator(data, 6)["related"] = [{"framework": str(tmp_path / f"{other}.yaml"),
                                              "number": 6, "note_zh": "x", "note_en": "x"}]
        else:
            data["shared_items"] = {str(tmp_path / f"{other}.yaml"): []}
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                               encoding="utf-8")

    write("a", "b", "related")
    write("b", "a", "related")
    assert load_framework(tmp_path / "a.yaml").id == "a"
    write("c", "d", "shared_items")
    write("d", "c", "shared_items")
    with pytest.raises(FrameworkError, match="cycle"):
        load_framework(tmp_path / "c.yaml")
