"""The 2025 zero-carbon park inventory (发改环资〔2025〕910号 附件4): CO2 by source and energy
by carrier for one park-year, as a tree whose every line shows its amount, factor, the factor's
source and the version of the set it comes from.

    E_park = E_fuel + E_conversion + E_elec + E_heat + E_process      (t CO2)
    energy = fuel and feedstock + conversion losses + net electricity + net heat   (tce)

Electricity is converted at equal value (the year's power-supply coal rate, a cited versioned
set) and, beside it, at equivalent value. A factor that no file has and the line does not give
raises `MissingCoefficient` naming it and what to add; an unknown class, kind, use or product is
a `DatasetError` at the line — never a silent zero. Net exporters get a negative E_elec or
E_heat: allowed, shown and warned.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ecopark.accounting.coefficients import CO2_PER_C
from ecopark.accounting.inventory_factors import Factors, convert, measured, pick
from ecopark.core import units
from ecopark.core.dataset.inventory import (
    Flow,
    FuelLine,
    InventoryResult,
    InventoryWarning,
    InventoryYear,
    Line,
)
from ecopark.core.dataset.inventory import number_text as _num
from ecopark.core.errors import DatasetError, MissingCoefficient

if TYPE_CHECKING:
    from ecopark.accounting.coefficients import Library
    from ecopark.accounting.inventory_method import InventoryMethod

__all__ = ["LABEL", "MODULE", "compute"]

QUANTITIES: dict[str, str] = {
    "e_fuel": "t", "e_conversion": "t", "e_elec": "t", "e_heat": "t", "e_indirect": "t",
    "e_energy": "t", "e_process": "t", "e_park": "t", "e_bunker": "t",
    "energy_equal_value": "tce", "energy_equivalent": "tce", "energy_nonfossil": "tce",
    "energy_natural_gas": "tce", "energy_grid_electricity": "tce",
    "electricity_received": "kWh", "electricity_sent": "kWh", "electricity_net": "kWh",
    "electricity_direct": "kWh", "direct_green_share": "1",
    "equal_value_factor": "kgce/kWh", "equivalent_factor": "kgce/kWh",
}
PARAMETERS: dict[str, str] = {"equal_value_year": "number", "equal_value_override": "number",
                              "green_share_denominator": "choice"}
DIRECT_SHARE_MIN = 0.5  # 附件4: directly supplied green power ≥ 50 % "in principle"
LABEL = "附件4 核算清单 inventory"  # how an observation's source names the inventory


# ------------------------------------------------------------------------ the computation


@dataclasses.dataclass
class _Run:
    f: Factors
    year: int
    lines: InventoryYear
    params: Mapping[str, Any]
    warnings: list[InventoryWarning] = dataclasses.field(default_factory=list)
    q: dict[str, float] = dataclasses.field(default_factory=dict)
    ev: float = 0.0
    ev_source: str = ""

    @property
    def where(self) -> str:
        return self.f.where

    # -- electricity ---------------------------------------------------------------------
    def electricity(self) -> tuple[Line, Line, Line]:
        fossil = self.f.fossil_power()
        equivalent, _ = self.f.coal("electricity", "kWh")
        lines: list[tuple[Line, Line, Line]] = []
        sums = {"received": 0.0, "sent": 0.0, "direct": 0.0, "nonfossil": 0.0, "grid": 0.0}
        for i, line in enumerate(self.lines.electricity):
            lines.append(self._electricity_line(i, line, fossil, equivalent, sums))
        self._electricity_quantities(sums)
        co2, tce, eq = ([t[k] for t in lines] for k in range(3))
        return (_total("e_elec", "电力净受入间接排放 E_elec", "indirect emissions of net "
                       "electricity E_elec", co2, "t"),
                _total("energy_electricity", "电力（等价值）", "electricity (equal value)", tce,
                       "tce"),
                _total("energy_electricity_eq", "电力（当量值）", "electricity (equivalent "
                       "value)", eq, "tce"))

    def _electricity_line(self, i: int, line: Any, fossil: tuple[float, str], equivalent: float,
                          sums: dict[str, float]) -> tuple[Line, Line, Line]:
        """One electricity line: CO2 (Ef by class), tce at equal and at equivalent value."""
        where = f"{self.where}.electricity[{i}]"
        classes = self.f.method.spec.electricity_classes
        cls = pick(classes, line.class_, "电力类别 electricity class", self.f.file, f"{where}.class")
        if line.direction not in cls.directions:
            key = next(k for k, v in classes.items() if v is cls)
            raise DatasetError(self.f.file, f"{where}.direction", f"{key} 不能为 "
                               f"{line.direction}", f"可用 allowed: {cls.directions}")
        kwh = convert(line.amount, line.unit, "kWh", self.f.file, where)
        sign = 1.0 if line.direction == "received" else -1.0
        factor, source = fossil if cls.factor == "fossil" else (0.0, f"0 — {cls.source}")
        zh = f"{cls.name_zh}（{'受入' if sign > 0 else '送出'}）"
        en = f"{cls.name_en} ({line.direction})"
        amount = f"{'' if sign > 0 else '−'}{_num(line.amount)} {line.unit}"
        sums["received" if sign > 0 else "sent"] += kwh
        sums["nonfossil"] += sign * kwh if cls.nonfossil else 0.0
        sums["direct"] += kwh if cls.direct and sign > 0 else 0.0
        sums["grid"] += kwh if cls.factor == "fossil" and sign > 0 else 0.0
        key = f"electricity[{i}]"
        return (Line(key, zh, en, sign * kwh * factor, "t",
                     f"{amount} × {factor * 1e3:g} kg/kWh", source),
                Line(key, zh, en, sign * kwh * self.ev, "tce",
                     f"{amount} × {self.ev * 1e3:.4g} kgce/kWh", self.ev_source),
                Line(key, zh, en, sign * kwh * equivalent, "tce"))

    def _electricity_quantities(self, sums: dict[str, float]) -> None:
        q = self.q
        q["electricity_received"], q["electricity_sent"] = sums["received"], sums["sent"]
        q["electricity_net"] = sums["received"] - sums["sent"]
        q["electricity_direct"] = sums["direct"]
        q["energy_nonfossil"] = sums["nonfossil"] * self.ev
        q["energy_grid_electricity"] = sums["grid"] * self.ev
        basis = self.params.get("green_share_denominator") or "received"
        denominator = q["electricity_received"] if basis == "received" else q["electricity_net"]
        text_zh = "园区全部受入电量" if basis == "received" else "园区净受入电量（受入 − 送出）"
        text_en = "all electricity received by the park" if basis == "received" else \
            "net electricity received (received − sent)"
        if denominator <= 0:
            return
        share = sums["direct"] / denominator
        q["direct_green_share"] = share
        if share < DIRECT_SHARE_MIN:
            self.warnings.append(InventoryWarning(
                f"直供绿电占比 {share:.1%} 低于 50%（附件4 原则性要求）；分子：直供非化石能源电力"
                f"与园区内自发自用可再生电力 {_num(sums['direct'])} kWh，分母：{text_zh} "
                f"{_num(denominator)} kWh（设置 green_share_denominator = {basis}）",
                f"directly supplied green power is {share:.1%}, below 50 % (附件4, in "
                f"principle); numerator: direct non-fossil supply and on-site renewables "
                f"{_num(sums['direct'])} kWh; denominator: {text_en} {_num(denominator)} kWh "
                f"(setting green_share_denominator = {basis})",
                ("e_park", "direct_green_share")))

    # -- heat ----------------------------------------------------------------------------
    def heat(self) -> tuple[Line, Line]:
        hf, hf_source = self.f.heat()
        heat_tce, heat_tce_source = self.f.coal("heat", "GJ")
        co2: list[Line] = []
        tce: list[Line] = []
        nonfossil = 0.0
        kinds = self.f.method.spec.heat_kinds
        for i, line in enumerate(self.lines.heat):
            where = f"{self.where}.heat[{i}]"
            kind = pick(kinds, line.kind, "热力类别 heat kind", self.f.file, f"{where}.kind")
            gj = convert(line.amount, line.unit, "GJ", self.f.file, where)
            sign = 1.0 if line.direction == "received" else -1.0
            if line.factor is not None:
                factor, source = measured(line.factor, "t/GJ", self.f.file, f"{where}.factor")
            elif kind.factor == "heat_set":
                factor, source = hf, hf_source
            else:
                factor, source = 0.0, f"0 — {kind.source}"
            label_zh = f"{kind.name_zh}（{'受入' if sign > 0 else '送出'}）"
            label_en = f"{kind.name_en} ({line.direction})"
            amount = f"{'' if sign > 0 else '−'}{_num(line.amount)} {line.unit}"
            co2.append(Line(f"heat[{i}]", label_zh, label_en, sign * gj * factor, "t",
                            f"{amount} × {factor:g} t/GJ", source))
            tce.append(Line(f"heat[{i}]", label_zh, label_en, sign * gj * heat_tce, "tce",
                            f"{amount} × {heat_tce:.5g} tce/GJ", heat_tce_source))
            if kind.nonfossil:
                nonfossil += sign * gj * heat_tce
        self.q["energy_nonfossil"] = self.q.get("energy_nonfossil", 0.0) + nonfossil
        return (_total("e_heat", "热力净受入间接排放 E_heat", "indirect emissions of net heat "
                       "E_heat", co2, "t"),
                _total("energy_heat", "热力", "heat", tce, "tce"))

    # -- fuels ---------------------------------------------------------------------------
    def fuels(self) -> tuple[Line, Line, Line, tuple[Line, ...]]:
        fuel_lines: list[Line] = []
        feedstock: list[Line] = []
        energy: list[Line] = []
        memo: list[Line] = []
        gas = 0.0
        uses = self.f.method.spec.fuel_uses
        for i, line in enumerate(self.lines.fuels):
            where = f"{self.where}.fuels[{i}]"
            use = pick(uses, line.use, "用途 fuel use", self.f.file, f"{where}.use")
            co2, tce = self._fuel_line(line, use.in_e_fuel, use.in_energy, where)
            label_zh, label_en = f"{self._fuel_name(line.fuel)} · {use.name_zh}", \
                f"{self._fuel_name(line.fuel, 'en')} · {use.name_en}"
            if co2 is not None:
                fuel_lines.append(dataclasses.replace(co2, zh=label_zh, en=label_en))
                if use.memo:
                    memo.append(dataclasses.replace(co2, zh=label_zh, en=label_en))
            elif not use.in_e_fuel:
                feedstock.append(Line(f"fuels[{i}]", label_zh, label_en, 0.0, "t",
                                      f"{_num(line.amount)} {line.unit or ''}".strip(),
                                      f"不计入 E_fuel — {use.source}"))
            if tce is not None:
                energy.append(dataclasses.replace(tce, zh=label_zh, en=label_en))
                if line.fuel == "natural_gas":
                    gas += tce.value
        self.q["energy_natural_gas"] = gas
        e_fuel = _total("e_fuel", "化石能源用作燃料排放 E_fuel", "fossil fuel used as fuel "
                        "E_fuel", fuel_lines, "t")
        kept = _total("feedstock", "用作原料、材料（不计入 E_fuel，计入能耗）", "used as "
                      "feedstock (not in E_fuel; in the energy)", feedstock, "t")
        return e_fuel, kept, _total("energy_fuels", "化石能源（燃料与原料）", "fossil energy "
                                    "(fuel and feedstock)", energy, "tce"), tuple(memo)

    def _fuel_name(self, fuel: str, lang: str = "zh") -> str:
        carrier = self.f.library.carriers.get(fuel)
        if carrier is None:
            return fuel
        return carrier.name_en if lang == "en" else carrier.name_zh

    def _fuel_line(self, line: FuelLine | Flow, co2_needed: bool, tce_needed: bool,
                   where: str, oxidised: bool = True) -> tuple[Line | None, Line | None]:
        carrier = self.f.library.carriers.get(line.fuel)
        known = carrier is not None and carrier.co2 == "fuel"
        if not known and (line.unit is None or (co2_needed and line.factor is None) or
                          (tce_needed and line.coal_factor is None)):
            near = difflib.get_close_matches(line.fuel, [k for k, c in
                                             self.f.library.carriers.items() if c.co2 == "fuel"],
                                             n=1)
            raise DatasetError(self.f.file, f"{where}.fuel", f"{line.fuel!r} 不是已知燃料 not a "
                               "known fuel carrier", (f"是否应为 did you mean {near[0]!r}? " if near
                                                      else "") + "或给出 unit、factor 与 "
                               "coal_factor（含出处）or give unit, factor and coal_factor with "
                               "their sources")
        unit = carrier.unit if carrier is not None and known else str(line.unit)
        amount = convert(line.amount, line.unit or unit, unit, self.f.file, where)
        shown = f"{_num(line.amount)} {line.unit or unit}"
        co2 = tce = None
        if co2_needed:
            if line.factor is not None:
                factor, source = measured(line.factor, f"t/{unit}", self.f.file,
                                           f"{where}.factor")
            else:
                factor, source = self.f.fuel_co2(line.fuel, oxidised, f"或在 {where} 给出实测 "
                                                 "factor（含出处）or give the line a measured "
                                                 "factor with its source")
            co2 = Line(where.rsplit(".", 1)[-1], line.fuel, line.fuel, amount * factor, "t",
                       f"{shown} × {factor:.6g} t/{units.pretty(unit)}", source)
        if tce_needed:
            if line.coal_factor is not None:
                coal, coal_source = measured(line.coal_factor, f"tce/{unit}", self.f.file,
                                              f"{where}.coal_factor")
            else:
                coal, coal_source = self.f.coal(self.f.library.coal_key(line.fuel), unit)
            tce = Line(where.rsplit(".", 1)[-1], line.fuel, line.fuel, amount * coal, "tce",
                       f"{shown} × {coal:.6g} tce/{units.pretty(unit)}", coal_source)
        return co2, tce

    # -- conversion ----------------------------------------------------------------------
    def conversion(self) -> tuple[Line, Line]:
        co2: list[Line] = []
        tce: list[Line] = []
        for i, conv in enumerate(self.lines.conversion):
            where = f"{self.where}.conversion[{i}]"
            parts_co2: list[Line] = []
            parts_tce: list[Line] = []
            for side, flows, sign in (("inputs", conv.inputs, 1.0), ("outputs", conv.outputs,
                                                                       -1.0)):
                for j, flow in enumerate(flows):
                    c, t = self._fuel_line(flow, True, True, f"{where}.{side}[{j}]",
                                           oxidised=False)
                    assert c is not None and t is not None
                    name = self._fuel_name(flow.fuel)
                    tag = ("投入 in", "产出 out")[sign < 0]
                    parts_co2.append(dataclasses.replace(
                        c, zh=f"{tag} {name}", en=f"{tag} {self._fuel_name(flow.fuel, 'en')}",
                        value=sign * c.value))
                    parts_tce.append(dataclasses.replace(t, zh=f"{tag} {name}", en=tag,
                                                         value=sign * t.value))
            co2.append(_total(f"conversion[{i}]", conv.process, conv.process, parts_co2, "t"))
            tce.append(_total(f"conversion[{i}]", conv.process, conv.process, parts_tce, "tce"))
        e_conv = _total("e_conversion", "能源加工转换排放 E_conversion（碳平衡，氧化率 100%）",
                        "energy conversion E_conversion (carbon balance, 100 % oxidation)", co2,
                        "t")
        if e_conv.value < 0:
            self.warnings.append(InventoryWarning(
                f"E_conversion 为负（{_num(e_conv.value)} t）：产出含碳多于投入，请核对",
                f"E_conversion is negative ({_num(e_conv.value)} t): outputs carry more carbon "
                "than inputs; check the data", ("e_conversion", "e_park")))
        return e_conv, _total("energy_conversion", "加工转换损失（投入 − 产出）", "conversion "
                              "losses (inputs − outputs)", tce, "tce")

    # -- process -------------------------------------------------------------------------
    def process(self) -> Line:
        out: list[Line] = []
        products = self.f.method.spec.products
        for i, line in enumerate(self.lines.process):
            where = f"{self.where}.process[{i}]"
            product = pick(products, line.product, "产品 product", self.f.file,
                            f"{where}.product")
            tonnes = convert(line.amount, line.unit, "t", self.f.file, where)
            shown = f"{_num(line.amount)} {line.unit}"
            if line.mass_balance is not None:
                mb = line.mass_balance
                c_in = convert(mb.carbon_in, mb.unit, "t", self.f.file, f"{where}.mass_balance")
                c_out = convert(mb.carbon_out, mb.unit, "t", self.f.file,
                                 f"{where}.mass_balance")
                value, how = (c_in - c_out) * CO2_PER_C, f"({_num(mb.carbon_in)} − " \
                    f"{_num(mb.carbon_out)}) {mb.unit} C × 44/12"
                source = f"碳平衡 mass balance: {mb.source}"
            else:
                factor, source = self._product_factor(line, product, where)
                value, how = tonnes * factor, f"{shown} × {factor:g} t/t"
            out.append(Line(f"process[{i}]", product.name_zh, product.name_en, value, "t", how,
                            source))
        return _total("e_process", "工业生产过程排放 E_process", "industrial process E_process",
                      out, "t")

    def _product_factor(self, line: Any, product: Any, where: str) -> tuple[float, str]:
        if line.factor is not None:
            return measured(line.factor, "t/t", self.f.file, f"{where}.factor")
        if product.factor is None:
            key = next(k for k, v in self.f.method.spec.products.items() if v is product)
            raise MissingCoefficient(
                f"工业过程 CO2 排放因子 process CO2 factor of {key!r} "
                f"({product.name_zh})", self.f.method.file,
                f"在 {where} 给出实测 factor（含出处）或 mass_balance；give {where} a measured "
                f"`factor` with its source or a `mass_balance`. {product.note}".strip())
        pf = product.factor
        value = pf.value * units.conversion_factor(pf.unit, "t/t")
        note = f"；{pf.note}" if pf.note else ""
        return value, f"{pf.value} {pf.unit} — {self.f.method.id} " \
            f"{self.f.method.spec.version}（{pf.source}{note}）"


def _total(key: str, zh: str, en: str, children: list[Line], unit: str) -> Line:
    return Line(key, zh, en, sum((c.value for c in children), 0.0), unit,
                children=tuple(children))


def compute(method: InventoryMethod, library: Library, year: int, lines: InventoryYear,
            params: Mapping[str, Any], file: str) -> InventoryResult:
    """The inventory of one park-year under the 附件4 method."""
    run = _Run(Factors(method, library, file, f"inventory.{year}"), year, lines, params)
    run.ev, run.ev_source, fallback = run.f.electricity_tce(year, params)
    if fallback is not None:
        run.warnings.append(InventoryWarning(fallback.zh, fallback.en, (
            "energy_equal_value", "equal_value_factor", "energy_nonfossil",
            "energy_grid_electricity")))
    e_elec, en_elec, eq_elec = run.electricity()
    e_heat, en_heat = run.heat()
    e_fuel, feedstock, en_fuels, memo = run.fuels()
    e_conv, en_conv = run.conversion()
    e_proc = run.process()
    indirect = _total("e_indirect", "间接排放 E_indirect", "indirect E_indirect",
                      [e_elec, e_heat], "t")
    e_energy = _total("e_energy", "能源活动排放 E_energy", "energy activities E_energy",
                      [e_fuel, e_conv, indirect], "t")
    e_park = _total("e_park", "园区碳排放 E_park", "park emissions E_park", [e_energy, e_proc],
                    "t")
    co2 = dataclasses.replace(e_park, children=(*e_park.children, feedstock)) \
        if feedstock.children else e_park
    energy = _total("energy_equal_value", "年综合能源消费量（电力等价值）", "annual energy use "
                    "(electricity at equal value)", [en_fuels, en_conv, en_elec, en_heat], "tce")
    _net_export_warnings(run, e_elec, e_heat)
    _quantities(run, (e_fuel, e_conv, e_elec, e_heat, indirect, e_energy, e_proc, e_park),
                memo, energy, eq_elec.value - en_elec.value)
    params_used = {"equal_value": run.ev_source,
                   **{k: str(v) for k, v in params.items() if v is not None}}
    return InventoryResult(method.id, method.spec.version, year, co2, energy, memo, run.q,
                           tuple(run.warnings), params_used, LABEL)


def _net_export_warnings(run: _Run, e_elec: Line, e_heat: Line) -> None:
    for line, name in ((e_elec, "E_elec"), (e_heat, "E_heat")):
        if line.value < 0:
            run.warnings.append(InventoryWarning(
                f"{name} 为负（{_num(line.value)} t）：园区是净输出方，送出多于受入（附件4 允许，"
                "已计入总量）", f"{name} is negative ({_num(line.value)} t): the park is a net "
                "exporter (allowed by 附件4 and kept in the total)",
                (line.key, "e_indirect", "e_energy", "e_park")))


def _quantities(run: _Run, totals: tuple[Line, ...], memo: tuple[Line, ...], energy: Line,
                equivalent_delta: float) -> None:
    for line in totals:
        run.q[line.key] = line.value
    run.q["e_bunker"] = sum(line.value for line in memo)
    run.q["energy_equal_value"] = energy.value
    run.q["energy_equivalent"] = energy.value + equivalent_delta
    eqv, _ = run.f.coal("electricity", "kWh")
    run.q["equal_value_factor"] = run.ev * 1e3
    run.q["equivalent_factor"] = eqv * 1e3


@dataclasses.dataclass(frozen=True)
class _Module:
    quantities: Mapping[str, str]
    parameters: Mapping[str, str]

    def compute(self, method: InventoryMethod, library: Library, year: int,
                lines: InventoryYear, params: Mapping[str, Any], file: str) -> InventoryResult:
        return compute(method, library, year, lines, params, file)


MODULE = _Module(QUANTITIES, PARAMETERS)
