"""Accounting commands: rollup, energy, carbon, check, roster-template."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from ecopark.cli.common import (
    FrameworkOpt,
    JsonOpt,
    Lang,
    LangOpt,
    YearOpt,
    app,
    console,
    handles_errors,
    load_file,
    named_frameworks,
    print_json,
    write_atomically,
    writing,
)

RosterArg = Annotated[Path, typer.Argument(help="企业名录 enterprise roster (.xlsx sheet 企业数据, "
                                           "or .csv)")]
MethodOpt = Annotated[str | None, typer.Option("--method", help="核算方法 accounting method "
                                               "(methods.yaml; default hj274-cn)")]
ElectricityOpt = Annotated[str | None, typer.Option(
    "--electricity", help="电力折标 equivalent（当量值，默认）| equal_value（等价值）")]
RegionOpt = Annotated[str | None, typer.Option("--grid-region", help="电网区域或省份 grid region "
                                               "or province (default 全国)")]
GridYearOpt = Annotated[int | None, typer.Option(
    "--grid-year", help="电网因子年份，所有年份同用 the one grid-factor year used for every year "
    "(default: the latest published)")]
GridSetOpt = Annotated[str | None, typer.Option("--grid-set", help="电网因子集 grid factor set id")]
CoefficientsOpt = Annotated[list[Path] | None, typer.Option(
    "--coefficients", help="附加系数文件 extra coefficient file (repeatable)")]
KeepRowOpt = Annotated[list[str] | None, typer.Option(
    "--keep-row", help="统一社会信用代码重复时保留的行，可重复 CODE=ROW: the row that stands when a "
    "credit code appears twice in a year (row number in the roster file); the others are not "
    "summed")]
UseOpt = Annotated[list[str] | None, typer.Option(
    "--use", help="能源品种=数量单位，可重复 CARRIER=AMOUNT UNIT, repeatable, e.g. 天然气=35万立方米")]


def _settings(method: str | None, electricity: str | None, region: str | None,
              grid_year: int | None, grid_set: str | None) -> Any:
    from ecopark.accounting.factors import Settings
    from ecopark.core.errors import InvalidValue

    if electricity not in (None, "equivalent", "equal_value", "equal-value"):
        raise InvalidValue("--electricity", f"取值 {electricity!r} 无效 not a basis",
                           "用 equivalent 或 equal_value")
    basis = "equal_value" if electricity in ("equal_value", "equal-value") else "equivalent"
    return Settings(method=method, electricity=basis,  # type: ignore[arg-type]
                    grid_region=region or "全国", grid_year=grid_year, grid_set=grid_set)


def _library(coefficients: list[Path] | None) -> Any:
    from ecopark.accounting.library import load_library

    return load_library(coefficients or ())


# ------------------------------------------------------------------------ rollup


@app.command()
@handles_errors
def rollup(roster: RosterArg,
           output: Annotated[Path, typer.Option("--output", "-o", help="输出数据文件 dataset "
                                                "file to write (YAML)")],
           profile: Annotated[Path | None, typer.Option(
               "--profile", help="园区信息与其他数据（数据文件格式）park facts and other data "
               "(dataset format)")] = None,
           framework: FrameworkOpt = None, method: MethodOpt = None,
           electricity: ElectricityOpt = None, grid_region: RegionOpt = None,
           grid_year: GridYearOpt = None, grid_set: GridSetOpt = None,
           coefficients: CoefficientsOpt = None,
           top: Annotated[int, typer.Option("--top", min=0, help="每项列出的企业数（0 = 全部）"
                                            "contributors listed per item-year (0 = all)")] = 10,
           park_name: Annotated[str | None, typer.Option("--park-name", help="园区名称")] = None,
           base_year: Annotated[int | None, typer.Option("--base-year", help="规划基准年")] = None,
           keep_row: KeepRowOpt = None,
           confirm_coverage: Annotated[bool, typer.Option(
               "--confirm-coverage", help="确认以未覆盖全部企业的汇总替换 --profile 的园区填报值 "
               "confirm replacing park-stated totals with a roll-up of fewer than every "
               "enterprise")] = False,
           lang: LangOpt = Lang.zh) -> None:
    """企业汇总 — park items from an enterprise roster, each traceable to its enterprises (for
    a framework with an inventory method, e.g. zero-carbon-park-2025, also its inventory lines).

    A credit code on two rows of one year stops the roll-up unless --keep-row says which row
    stands; replacing a --profile total with a roll-up of fewer than every enterprise of the
    roster's year needs --confirm-coverage."""
    from ecopark.accounting.coverage import require_confirmed
    from ecopark.accounting.duplicates import parse_keep, resolve
    from ecopark.accounting.rollup import Options
    from ecopark.accounting.rollup import rollup as run_rollup
    from ecopark.accounting.rollup_rules import load_rules
    from ecopark.accounting.roster_quality import check_roster
    from ecopark.core.framework.loading import load_framework
    from ecopark.core.quality import check_dataset
    from ecopark.io.roster import read_roster
    from ecopark.io.yamlout import dataset_yaml

    spec = _profile(profile)
    fw = load_framework(framework or (spec.framework if spec else "hj274-2015"))
    rules = load_rules(fw)
    _require_usable(fw, rules, spec, method=method, electricity=electricity,
                    grid_region=grid_region, grid_year=grid_year, grid_set=grid_set)
    library = _library(coefficients)
    keep = parse_keep(keep_row or [])
    read, settled = resolve(read_roster(roster, library), keep)
    options = Options(_settings(method, electricity, grid_region, grid_year, grid_set), top,
                      park_name, base_year)
    result = run_rollup(read, fw, library, rules, options, spec, str(output))
    require_confirmed(f"--profile {profile.name if profile else ''}", result.coverage,
                      confirm_coverage, "核对名录是否列全企业；确需替换时加 --confirm-coverage "
                      "check that the roster lists every enterprise; to replace anyway, add "
                      "--confirm-coverage")
    from ecopark.core.dataset.loading import build_dataset

    findings = [*check_roster(read, result.computed, fw),
                *check_dataset(build_dataset(result.spec, fw, str(output)), fw)]
    write_atomically(output, dataset_yaml(result.spec))
    _summary(read, result, findings, output, lang.value, settled)


def _require_usable(fw: Any, rules: Any, spec: Any, **given: object) -> None:
    """Refuse what the roll-up would ignore or cannot fill: accounting-method options when no
    rule uses a method, and a park field without default when there is no --profile."""
    from ecopark.accounting.rollup import needs_method
    from ecopark.core.errors import InvalidValue

    unused = [f"--{k.replace('_', '-')}" for k, v in given.items() if v is not None]
    if unused and not needs_method(rules):
        raise InvalidValue(unused[0], f"{fw.id} 的汇总不使用企业核算方法，该选项无效 the roll-up for "
                           f"{fw.id} uses no accounting method: the option would be ignored",
                           "电力、热力因子由核算清单方法决定；等价值年份用 --profile 的 settings."
                           "equal_value_year 设定 the inventory method sets the factors; set "
                           "equal_value_year in the profile's settings")
    missing = [k for k, f in fw.spec.profile_fields.items()
               if f.kind == "choice" and f.default is None]
    if spec is None and missing:
        raise InvalidValue("--profile", f"{fw.id} 需要园区信息 {', '.join(missing)}（如申报范围），"
                           f"名录不能给出 the framework needs park facts the roster cannot give",
                           "用 --profile 给出 park.yaml（数据文件格式）give them in a profile")


def _profile(path: Path | None) -> Any:
    if path is None:
        return None
    from pydantic import ValidationError

    from ecopark.core.dataset.loading import schema_error
    from ecopark.core.dataset.schema import DatasetFile
    from ecopark.core.yamlfile import read_yaml

    try:
        return DatasetFile.model_validate(read_yaml(path, floats_as_text=True))
    except ValidationError as exc:
        raise schema_error(exc, str(path)) from None


def _summary(read: Any, result: Any, findings: list[Any], output: Path, lang: str,
             settled: tuple[str, ...] = ()) -> None:
    zh = lang != "en"
    spec = result.spec
    items = len(spec.contributions)
    years = ", ".join(map(str, read.years()))
    out = console()
    out.print(f"{'已写入' if zh else 'wrote'} {output}：{len(read.records)} "
              f"{'行企业数据' if zh else 'roster rows'}，{items} "
              f"{'个数据项' if zh else 'items'}，{'年份' if zh else 'years'} {years}")
    if result.resolved is not None:
        d = result.resolved.describe()
        out.print(f"{'核算方法' if zh else 'method'} {d['method']}，{'电力' if zh else 'electricity'} "
                  f"{d['electricity']}，{'电网因子' if zh else 'grid factor'} {d['grid_region']} "
                  f"{d['grid_year']}（{'所有年份同一因子' if zh else 'one factor for every year'}）")
    for year, lines in spec.inventory.items():
        count = len(lines.electricity) + len(lines.heat) + len(lines.fuels) + \
            len(lines.conversion) + len(lines.process)
        out.print(f"{'核算清单' if zh else 'inventory'} {year}：{count} {'行' if zh else 'lines'}")
    _replaced(out, result.replaced, zh)
    for coverage in result.coverage:
        out.print(f"[yellow]{'覆盖' if zh else 'coverage'} {coverage.text(lang)}[/yellow]")
    for note in (*settled, *result.notes):
        out.print(f"[yellow]{note}[/yellow]")
    for cell in read.ignored:
        out.print(f"[dim]{'忽略的列' if zh else 'ignored column'}: {cell}[/dim]")
    for key, unit in read.assumed.items():
        assumed = "表头未写单位，按" if zh else "no unit in the header, assumed"
        out.print(f"[dim]{assumed} {unit}: {key}[/dim]")
    if findings:
        from ecopark.cli.terminal import quality_table

        out.print(quality_table(findings, lang))


def _replaced(out: Any, replaced: list[tuple[str, int]], zh: bool) -> None:
    value = "园区填报值被企业汇总替代，已保留于 accounting.stated" if zh else \
        "park-stated value replaced by the roll-up, kept in accounting.stated"
    line = "园区填报的核算清单行被企业汇总替代（见 --profile 原文件）" if zh else \
        "park-stated inventory line replaced by the roll-up (see the --profile file)"
    for item, year in replaced:
        out.print(f"[yellow]{line if item.startswith('inventory.') else value}: {item} {year}"
                  "[/yellow]")


# ------------------------------------------------------------------------ energy, carbon


def _use(library: Any, specs: list[str], pressure: float | None, temperature: float | None,
         enthalpy: float | None) -> Any:
    from ecopark.accounting.energy import Use
    from ecopark.accounting.roster import all_fields
    from ecopark.accounting.steam import SteamState
    from ecopark.core.errors import InvalidValue
    from ecopark.io.cells import Problem
    from ecopark.io.roster import read_cell

    fields = {f.key: f for f in all_fields(library) if f.kind == "carrier"}
    amounts: dict[str, float] = {}
    for text in specs:
        name, _, amount = text.partition("=")
        key = library.carrier_of_name(name.strip())
        if key is None or not amount.strip():
            raise InvalidValue("--use", f"“{text}”：未知能源品种或缺少数量 unknown carrier or no "
                               "amount", f"能源品种 carriers: {', '.join(fields)}")
        value = read_cell(fields[key], amount.strip(), False, 1.0)
        if isinstance(value, Problem) or value is None:
            raise InvalidValue("--use", f"“{text}”：{value.problem if value else '无数量'}",
                               value.hint if value else "")
        amounts[key] = amounts.get(key, 0.0) + value
    return Use(amounts, SteamState(pressure, temperature, enthalpy))


def _one(roster: Path | None, uses: list[str] | None, enterprise: str | None, year: int | None,
         library: Any, steam: tuple[float | None, float | None, float | None]) -> tuple[Any, float, str]:
    """The use to explain: from --use amounts, or one enterprise-year of a roster."""
    from ecopark.accounting.energy import Use
    from ecopark.core.errors import InvalidValue
    from ecopark.io.roster import read_roster

    if roster is None:
        return _use(library, uses or [], *steam), 0.0, "--use"
    read = read_roster(roster, library)
    chosen = [r for r in read.records if enterprise in (r.name, r.code) and
              (year is None or r.year == year)]
    if not chosen:
        raise InvalidValue("--enterprise", f"名录中没有 {enterprise}" + (f"（{year}年）" if year else
                           ""), "写企业名称或统一社会信用代码，并用 --year 指定年份")
    record = max(chosen, key=lambda r: r.year)
    return Use(record.carriers, record.steam()), record.values.get("process_co2") or 0.0, \
        f"{record.name} {record.code} {record.year}"


def _account(kind: str, roster: Path | None, uses: list[str] | None, enterprise: str | None,
             year: int | None, settings: Any, coefficients: list[Path] | None, json_out: bool,
             lang: str, steam: tuple[float | None, float | None, float | None],
             process: float | None, keep: list[str] | None = None) -> None:
    from ecopark.accounting.factors import resolve
    from ecopark.core.errors import InvalidValue

    library = _library(coefficients)
    if roster is not None and enterprise is None:
        _park_totals(kind, roster, library, settings, json_out, lang, keep or [])
        return
    if keep:
        raise InvalidValue("--keep-row", "只用于名录的园区合计，此处会被忽略 only used for a "
                           "roster's park totals: it would be ignored here",
                           "给出名录且不用 --enterprise give a roster without --enterprise")
    if roster is None and not uses:
        raise InvalidValue("--use", "没有能源数据 nothing to convert", "给出 ROSTER 或 --use")
    use, stated_process, label = _one(roster, uses, enterprise, year, library, steam)
    from ecopark.accounting.breakdown import explain_use
    from ecopark.accounting.steam import SteamStateError

    resolved = resolve(library, settings, use.amounts)
    try:
        data = explain_use(use, resolved, library, process if process is not None else
                           stated_process)
    except SteamStateError as exc:
        raise InvalidValue("--steam-pressure/--steam-temperature", exc.problem) from None
    data["subject"] = label
    if json_out:
        print_json(data)
        return
    console().print(_carrier_table(kind, data, lang))


def _carrier_table(kind: str, data: dict[str, Any], lang: str) -> Any:
    from rich.table import Table

    from ecopark.core.numbers import format_value

    zh = lang != "en"
    s = data["settings"]
    table = Table(title=f"{data['subject']} — {'核算方法' if zh else 'method'} {s['method']}，"
                  f"{'电力' if zh else 'electricity'} {s['electricity']}，"
                  f"{'电网' if zh else 'grid'} {s['grid_region']} {s['grid_year'] or ''}")
    value = "tce" if kind == "energy" else "t CO2"
    for header in (("能源品种", "carrier"), ("数量", "amount"), ("单位", "unit"), (value, value),
                   ("系数出处", "coefficient")):
        table.add_column(header[0] if zh else header[1], overflow="fold")
    for row in data["carriers"]:
        amount = format_value(row["amount"] * row["sign"], 2)
        result = row["tce"] if kind == "energy" else row["co2"]
        source = row["tce_source"] if kind == "energy" else row["co2_source"]
        table.add_row(row["name_zh"] if zh else row["name_en"], amount, row["unit"],
                      format_value(result, 3), source)
    if kind == "energy":
        table.add_row("综合能耗" if zh else "total", "", "", format_value(data["energy_tce"], 3), "")
        table.add_row("其中可再生" if zh else "of which renewable", "", "",
                      format_value(data["renewable_tce"], 3), "")
    else:
        names = {"combustion": "燃料燃烧", "process": "工业过程", "electricity": "电力",
                 "heat": "热力", "direct": "直接排放", "indirect": "间接排放", "total": "合计"}
        for key, label in names.items():
            table.add_row(label if zh else key, "", "", format_value(data["co2"][key], 3), "")
    return table


def _park_totals(kind: str, roster: Path, library: Any, settings: Any, json_out: bool,
                 lang: str, keep: list[str]) -> None:
    """Per year, the park's totals: each credit code counted once (a duplicate stops, unless
    --keep-row settles it)."""
    from rich.table import Table

    from ecopark.accounting.aggregate import compute
    from ecopark.accounting.breakdown import by_year
    from ecopark.accounting.duplicates import parse_keep
    from ecopark.accounting.duplicates import resolve as resolve_duplicates
    from ecopark.accounting.factors import resolve
    from ecopark.core.numbers import format_value
    from ecopark.io.roster import read_roster

    read, settled = resolve_duplicates(read_roster(roster, library), parse_keep(keep))
    resolved = resolve(library, settings, read.carriers())
    totals = by_year(read, compute(read, resolved))
    if json_out:
        print_json({"settings": resolved.describe(), "years": totals,
                    **({"notes": list(settled)} if settled else {})})
        return
    keys = ("energy_tce", "renewable_tce") if kind == "energy" else (
        "combustion", "process", "electricity", "heat", "co2_direct", "co2_indirect", "co2_total")
    table = Table(title=f"{Path(roster).name} — {resolved.method_id}，{resolved.settings.grid_region} "
                  f"{resolved.grid_year or ''}")
    for header in ("year", "enterprises", *keys):
        table.add_column(header, justify="right")
    for year, values in totals.items():
        table.add_row(str(year), str(int(values["enterprises"])),
                      *(format_value(values[k], 2) for k in keys))
    console().print(table)
    for note in settled:
        console().print(f"[yellow]{note}[/yellow]")


EnterpriseOpt = Annotated[str | None, typer.Option("--enterprise", help="企业名称或统一社会信用代码 "
                                                   "enterprise name or credit code")]
PressureOpt = Annotated[float | None, typer.Option("--steam-pressure", help="蒸汽绝对压力 MPa")]
TemperatureOpt = Annotated[float | None, typer.Option("--steam-temperature", help="蒸汽温度 ℃")]
EnthalpyOpt = Annotated[float | None, typer.Option("--steam-enthalpy", help="蒸汽焓值 kJ/kg")]


@app.command()
@handles_errors
def energy(roster: Annotated[Path | None, typer.Argument(help="企业名录（可选）roster (optional)")]
           = None, use: UseOpt = None, enterprise: EnterpriseOpt = None, year: YearOpt = None,
           method: MethodOpt = None, electricity: ElectricityOpt = None,
           grid_region: RegionOpt = None, grid_year: GridYearOpt = None,
           grid_set: GridSetOpt = None, coefficients: CoefficientsOpt = None,
           steam_pressure: PressureOpt = None, steam_temperature: TemperatureOpt = None,
           steam_enthalpy: EnthalpyOpt = None, keep_row: KeepRowOpt = None,
           json_out: JsonOpt = False, lang: LangOpt = Lang.zh) -> None:
    """综合能耗 — consumption by carrier to tce (GB/T 2589), for one enterprise or the park."""
    settings = _settings(method, electricity, grid_region, grid_year, grid_set)
    _account("energy", roster, use, enterprise, year, settings, coefficients, json_out,
             lang.value, (steam_pressure, steam_temperature, steam_enthalpy), None, keep_row)


@app.command()
@handles_errors
def carbon(roster: Annotated[Path | None, typer.Argument(help="企业名录（可选）roster (optional)")]
           = None, use: UseOpt = None, enterprise: EnterpriseOpt = None, year: YearOpt = None,
           process: Annotated[float | None, typer.Option("--process", help="工业过程排放 t CO2")]
           = None, method: MethodOpt = None, electricity: ElectricityOpt = None,
           grid_region: RegionOpt = None, grid_year: GridYearOpt = None,
           grid_set: GridSetOpt = None, coefficients: CoefficientsOpt = None,
           steam_pressure: PressureOpt = None, steam_temperature: TemperatureOpt = None,
           steam_enthalpy: EnthalpyOpt = None, keep_row: KeepRowOpt = None,
           json_out: JsonOpt = False, lang: LangOpt = Lang.zh) -> None:
    """二氧化碳排放 — direct and indirect CO2 by carrier, for one enterprise or the park; for a
    dataset (.yaml) with an `inventory`, its inventory as a tree (e.g. --method
    zero-carbon-park-2025, 附件4)."""
    if roster is not None and roster.suffix.lower() in (".yaml", ".yml"):
        _dataset_inventory(roster, method, year, json_out, lang.value)
        return
    settings = _settings(method, electricity, grid_region, grid_year, grid_set)
    _account("carbon", roster, use, enterprise, year, settings, coefficients, json_out,
             lang.value, (steam_pressure, steam_temperature, steam_enthalpy), process, keep_row)


def _dataset_inventory(path: Path, method: str | None, year: int | None, json_out: bool,
                       lang: str) -> None:
    """The inventory of a dataset by the inventory method of its framework."""
    from ecopark.core.errors import InvalidValue

    _, dataset = _inventory_framework(path, method)
    if not dataset.inventory:
        raise InvalidValue(str(path), "数据文件没有 inventory（核算清单）the dataset has no "
                           "inventory", "在数据文件中填写 inventory.<年份> add inventory.<year>")
    chosen = year or (dataset.year if dataset.year in dataset.inventory else
                      max(dataset.inventory))
    if chosen not in dataset.inventory:
        raise InvalidValue("--year", f"没有 {chosen} 年的核算清单 no inventory for {chosen}",
                           f"已有 available: {', '.join(map(str, sorted(dataset.inventory)))}")
    result = dataset.inventory[chosen]
    if json_out:
        from ecopark.core.contract import inventory_json

        print_json(inventory_json(result))
        return
    from ecopark.cli.terminal import inventory_tree

    console().print(inventory_tree(result, lang, dataset.profile.name))


def _inventory_framework(path: Path, method: str | None) -> tuple[Any, Any]:
    """The dataset loaded under the framework (of those it names) whose inventory method is
    `method` (default: the first that has one)."""
    from ecopark.core.errors import InvalidValue
    from ecopark.core.framework.loading import load_framework

    names = named_frameworks(path)
    candidates = [n for n in names if (link := load_framework(n).spec.inventory) is not None
                  and (method is None or link.method == method)]
    if not candidates:
        from ecopark.accounting.inventory import available_methods

        raise InvalidValue("--method", f"数据文件所列指标体系 {', '.join(names)} 没有核算清单方法 "
                           f"{method or ''}".strip() + " no framework of the dataset uses this "
                           "inventory method", f"可用 available: {', '.join(available_methods())}")
    return load_file(path, candidates[0])


# ------------------------------------------------------------------------ check


@app.command()
@handles_errors
def check(path: Annotated[Path, typer.Argument(help="数据文件或企业名录 dataset (YAML) or roster "
                                               "(.xlsx/.csv)")],
          framework: FrameworkOpt = None, method: MethodOpt = None,
          electricity: ElectricityOpt = None, grid_region: RegionOpt = None,
          grid_year: GridYearOpt = None, grid_set: GridSetOpt = None,
          coefficients: CoefficientsOpt = None,
          rules: Annotated[Path | None, typer.Option("--rules", help="质量规则文件 quality-rule "
                                                     "file")] = None,
          json_out: JsonOpt = False, lang: LangOpt = Lang.zh) -> None:
    """数据质量检查 — every data-quality rule that fired, where, and why."""
    from ecopark.core.quality import findings_json, load_rules

    if path.suffix.lower() in (".xlsx", ".xlsm", ".csv"):
        fw, findings = _check_roster(path, framework, coefficients,
                                     _settings(method, electricity, grid_region, grid_year,
                                               grid_set), rules)
    else:
        from ecopark.core.quality import check_dataset

        fw, dataset = load_file(path, framework)
        findings = check_dataset(dataset, fw, load_rules(fw, rules))
    rule_set = load_rules(fw, rules)
    if json_out:
        print_json({"file": str(path), "rules": rule_set.file, "rules_version": rule_set.spec.version,
                    "rules_run": [r.id for r in rule_set.spec.rules],
                    "findings": findings_json(findings)})
        return
    out = console()
    zh = lang != Lang.en
    if findings:
        from ecopark.cli.terminal import quality_table

        out.print(quality_table(findings, lang.value))
    count = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    out.print(f"{'规则' if zh else 'rules'} {len(rule_set.spec.rules)}（{'版本' if zh else 'version'} "
              f"{rule_set.spec.version}），{'发现' if zh else 'findings'} {len(findings)}："
              f"{'错误' if zh else 'errors'} {count['error']}，{'警告' if zh else 'warnings'} "
              f"{count['warning']}，{'提示' if zh else 'info'} {count['info']}")


def _check_roster(path: Path, framework: str | None, coefficients: list[Path] | None,
                  settings: Any, rules: Path | None) -> tuple[Any, list[Any]]:
    """The roster's findings (a duplicated credit code among them) and the park-level ones of
    its roll-up, which counts the first row of a duplicate only."""
    from ecopark.accounting.aggregate import compute
    from ecopark.accounting.duplicates import first_rows
    from ecopark.accounting.rollup import Options, needs_method
    from ecopark.accounting.rollup import rollup as run_rollup
    from ecopark.accounting.rollup_rules import load_rules
    from ecopark.accounting.roster_quality import check_roster
    from ecopark.core.dataset.loading import build_dataset
    from ecopark.core.framework.loading import load_framework
    from ecopark.core.quality import check_dataset
    from ecopark.core.quality import load_rules as quality_rules
    from ecopark.io.roster import read_roster

    fw = load_framework(framework or "hj274-2015")
    library = _library(coefficients)
    read = read_roster(path, library)
    rollup_rules = load_rules(fw)
    result = run_rollup(first_rows(read), fw, library, rollup_rules, Options(settings))
    computed = compute(read, result.resolved) if needs_method(rollup_rules) else [
        {} for _ in read.records]
    rule_set = quality_rules(fw, rules)
    dataset = build_dataset(result.spec, fw, str(path))
    return fw, [*check_roster(read, computed, fw, rule_set),
                *check_dataset(dataset, fw, rule_set)]


@app.command("roster-template")
@handles_errors
def roster_template(output: Annotated[Path, typer.Option("--output", "-o", help="输出文件 .xlsx")]
                    ) -> None:
    """企业名录模板 — write the roster workbook (sheet 企业数据) to fill in."""
    from ecopark.io.roster_template import write_roster_template

    with writing(output):
        output.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=".xlsx",
                                        dir=output.parent)
        os.close(handle)
        try:
            write_roster_template(Path(temp))
            os.replace(temp, output)
        finally:
            Path(temp).unlink(missing_ok=True)
    typer.echo(f"已写入 wrote {output}")
