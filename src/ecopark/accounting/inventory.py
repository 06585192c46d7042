"""A park's carbon inventory (核算清单): the dataset section that carries it, and the inventory
method files that say how it is accounted (e.g. 发改环资〔2025〕910号 附件4).

Two shapes live here:

- `InventoryYear`: one year of a dataset's `inventory:` section — electricity by class and
  direction, heat by kind and direction, fuel use by fuel and activity type (feedstock and
  international bunkers kept apart), energy conversion as a carbon balance, process products.
  Amounts carry their own units; a line may carry a measured factor (`factor`, `coal_factor`)
  with its source, which then replaces the method's default for that line only.
- `InventoryMethod`: an inventory-method file (`format: ecopark-inventory-method/1`, in
  `accounting/data/`; grammar in its header): the coefficient sets it uses, the vocabulary of
  electricity classes, heat kinds, fuel uses and process products, with per-product factors.

Loading a method file follows `ecopark.core.framework.model`: a schema, then each function in
`METHOD_CHECKS` for one cross-reference rule, each failure a `DataFileError` naming the file
and key path. The computation is a module named by the file (`module:`), found in `MODULES`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from ecopark.accounting.coefficients import Factor
from ecopark.core import units
from ecopark.core.errors import DataFileError, UnitError
from ecopark.core.yamlfile import read_yaml

if TYPE_CHECKING:
    from ecopark.accounting.coefficients import Library

__all__ = [
    "METHOD_CHECKS",
    "MODULES",
    "InventoryMethod",
    "InventoryModule",
    "InventoryYear",
    "available_methods",
    "load_method",
]

DATA_DIR = Path(__file__).parent / "data"
METHOD_FORMAT = "ecopark-inventory-method/1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------------ the dataset section


class LineFactor(_Model):
    """A measured (or otherwise documented) factor for one line, replacing the default."""

    value: float = Field(ge=0)
    unit: str = Field(description="per the line's unit, e.g. t/t, kg/m3, t/GJ, kgce/kg")
    source: str = Field(min_length=1, description="where the figure comes from (required)")


class ElectricityLine(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    class_: str = Field(alias="class", description="electricity class (the method's "
                        "electricity_classes: grid, direct_nonfossil, green_certified, "
                        "self_renewable)")
    direction: Literal["received", "sent"] = "received"
    amount: float = Field(ge=0)
    unit: str = "kWh"
    source: str = ""
    note: str = ""


class HeatLine(_Model):
    kind: str = Field(description="heat kind (the method's heat_kinds: fossil, nonfossil)")
    direction: Literal["received", "sent"] = "received"
    amount: float = Field(ge=0)
    unit: str = "GJ"
    factor: LineFactor | None = Field(None, description="measured CO2 factor (t/GJ)")
    source: str = ""
    note: str = ""


class FuelLine(_Model):
    fuel: str = Field(description="a fuel carrier (accounting/data/carriers.yaml) or, with "
                      "`factor` and `coal_factor`, any other fuel")
    use: str = Field("final_consumption", description="activity type (the method's fuel_uses)")
    amount: float = Field(ge=0)
    unit: str | None = Field(None, description="default: the carrier's unit")
    factor: LineFactor | None = Field(None, description="measured CO2 factor per unit")
    coal_factor: LineFactor | None = Field(None, description="measured tce per unit")
    source: str = ""
    note: str = ""


class Flow(_Model):
    fuel: str
    amount: float = Field(ge=0)
    unit: str | None = None
    factor: LineFactor | None = Field(None, description="measured CO2 per unit at 100 % "
                                      "oxidation (carbon content × 44/12)")
    coal_factor: LineFactor | None = None


class ConversionLine(_Model):
    process: str = Field(description="e.g. 炼焦, 炼油, 制气, 煤制油")
    inputs: list[Flow]
    outputs: list[Flow] = []
    source: str = ""
    note: str = ""


class MassBalance(_Model):
    carbon_in: float = Field(ge=0, description="carbon in the inputs")
    carbon_out: float = Field(ge=0, description="carbon leaving in products and wastes")
    unit: str = "t"
    source: str = Field(min_length=1)


class ProcessLine(_Model):
    product: str = Field(description="a product of the method's `products`")
    amount: float = Field(ge=0)
    unit: str = "t"
    factor: LineFactor | None = Field(None, description="measured t CO2 per t of product")
    mass_balance: MassBalance | None = None
    enterprise: str = ""
    source: str = ""
    note: str = ""


class InventoryYear(_Model):
    """One calendar year of a park's inventory inputs (the dataset's `inventory.<year>`)."""

    source: str = ""
    note: str = ""
    electricity: list[ElectricityLine] = []
    heat: list[HeatLine] = []
    fuels: list[FuelLine] = []
    conversion: list[ConversionLine] = []
    process: list[ProcessLine] = []


# ------------------------------------------------------------------------ the method file


class ElectricityClass(_Model):
    name_zh: str
    name_en: str
    factor: Literal["fossil", "zero"]
    nonfossil: bool
    direct: bool = Field(description="counts as directly supplied green power (≥ 50 % check)")
    directions: list[Literal["received", "sent"]] = ["received"]
    source: str
    note: str = ""


class HeatKind(_Model):
    name_zh: str
    name_en: str
    factor: Literal["heat_set", "zero"]
    nonfossil: bool
    source: str
    note: str = ""


class FuelUse(_Model):
    name_zh: str
    name_en: str
    in_e_fuel: bool = Field(description="its CO2 counts in E_fuel")
    in_energy: bool = Field(description="counts in the energy denominator")
    memo: bool = Field(False, description="also listed apart (international bunkers)")
    source: str
    note: str = ""


class Product(_Model):
    name_zh: str
    name_en: str
    aliases: list[str] = []
    factor: Factor | None = None  # a cited default, as in the coefficient sets
    note: str = ""


class FossilPower(_Model):
    region: str
    year: int
    basis: Literal["average", "residual", "fossil"]


class MethodSets(_Model):
    standard_coal: str
    equal_value: str
    fuel_co2: str
    heat_co2: str
    electricity_co2: str


class MethodFile(_Model):
    format: Literal["ecopark-inventory-method/1"]
    id: str
    version: str
    status: str = ""
    name_zh: str
    name_en: str
    source: str
    note: str = ""
    module: str
    sets: MethodSets
    fossil_power: FossilPower
    electricity_classes: dict[str, ElectricityClass]
    heat_kinds: dict[str, HeatKind]
    fuel_uses: dict[str, FuelUse]
    products: dict[str, Product]


@dataclasses.dataclass(frozen=True)
class InventoryMethod:
    spec: MethodFile
    file: str

    @property
    def id(self) -> str:
        return self.spec.id


# ------------------------------------------------------------------------ modules


class InventoryModule(Protocol):
    """A calculation module: the quantities it provides (id → unit), the parameters it reads
    (id → setting type: number | bool | choice), and the computation."""

    @property
    def quantities(self) -> Mapping[str, str]: ...
    @property
    def parameters(self) -> Mapping[str, str]: ...

    def compute(self, method: InventoryMethod, library: Library, year: int,
                lines: InventoryYear, params: Mapping[str, Any], file: str) -> Any: ...


def _modules() -> dict[str, InventoryModule]:
    from ecopark.accounting.zerocarbon import MODULE

    return {"annex4-2025": MODULE}


class _Registry(Mapping[str, InventoryModule]):
    """`MODULES`: inventory calculation modules by name (filled lazily, no import cycle)."""

    def __getitem__(self, key: str) -> InventoryModule:
        return _modules()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(_modules())

    def __len__(self) -> int:
        return len(_modules())


MODULES: Mapping[str, InventoryModule] = _Registry()


# ------------------------------------------------------------------------ named checks


def check_module_known(method: InventoryMethod, library: Library) -> None:
    """The method names a known calculation module."""
    if method.spec.module not in MODULES:
        raise DataFileError(method.file, "module", f"未知计算模块 unknown module "
                            f"{method.spec.module!r}", f"可用 available: {', '.join(MODULES)}")


_SET_KINDS = {"standard_coal": "standard_coal", "equal_value": "electricity_equal_value",
              "fuel_co2": "fuel_co2", "heat_co2": "heat_co2",
              "electricity_co2": "electricity_co2"}


def check_method_sets(method: InventoryMethod, library: Library) -> None:
    """The coefficient sets the method names exist and are of the right kind; the fossil-power
    entry exists in its electricity set."""
    for field, kind in _SET_KINDS.items():
        set_id = getattr(method.spec.sets, field)
        found = library.sets.get(set_id)
        if found is None or found.spec.kind != kind:
            raise DataFileError(method.file, f"sets.{field}", f"没有 kind 为 {kind} 的系数集 "
                                f"{set_id!r} no {kind} set {set_id!r}")
    fp = method.spec.fossil_power
    grid = library.sets[method.spec.sets.electricity_co2].spec.grid
    if not any((g.region, g.year, g.basis) == (fp.region, fp.year, fp.basis) for g in grid):
        raise DataFileError(method.file, "fossil_power", f"电力排放因子集中没有 {fp.region} "
                            f"{fp.year} {fp.basis} no such entry in the electricity set")


def check_product_units(method: InventoryMethod, library: Library) -> None:
    """Every product factor is a mass of CO2 per mass of product."""
    for key, product in method.spec.products.items():
        if product.factor is None:
            continue
        try:
            units.conversion_factor(product.factor.unit, "t/t")
        except UnitError as exc:
            raise DataFileError(method.file, f"products.{key}.factor.unit", f"应为 t/t "
                                f"expected CO2 mass per product mass ({exc.problem})") from None


def check_vocabulary(method: InventoryMethod, library: Library) -> None:
    """The vocabulary has the entries the module relies on: a fossil heat kind using the heat
    set, at least one fuel use counted in E_fuel, and a product without a factor says why."""
    spec = method.spec
    if not any(k.factor == "heat_set" for k in spec.heat_kinds.values()):
        raise DataFileError(method.file, "heat_kinds", "至少一种热力使用热力因子集 one heat kind "
                            "must use the heat set")
    if not any(u.in_e_fuel for u in spec.fuel_uses.values()):
        raise DataFileError(method.file, "fuel_uses", "至少一种用途计入 E_fuel one use must "
                            "count in E_fuel")
    for key, product in spec.products.items():
        if product.factor is None and not product.note:
            raise DataFileError(method.file, f"products.{key}.note", "没有缺省因子的产品须说明"
                                "原因 a product without a factor needs a note saying why")


METHOD_CHECKS: tuple[Callable[[InventoryMethod, Library], None], ...] = (
    check_module_known, check_method_sets, check_product_units, check_vocabulary,
)


# ------------------------------------------------------------------------ loading


def _method_files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(DATA_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            if not any(line.strip() == f"format: {METHOD_FORMAT}" for line in handle):
                continue
        data = read_yaml(path)
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found[data["id"]] = path
    return found


def available_methods() -> list[str]:
    """The ids of the inventory-method files shipped."""
    return sorted(_method_files())


def load_method(method_id: str) -> InventoryMethod:
    """The inventory method with this id, validated against the coefficient library."""
    return _load(method_id)


@functools.cache
def _load(method_id: str) -> InventoryMethod:
    from ecopark.accounting.coefficients import _validate, load_library

    files = _method_files()
    if method_id not in files:
        raise DataFileError(str(DATA_DIR), "id", f"没有核算清单方法 no inventory method "
                            f"{method_id!r}", f"可用 available: {', '.join(files) or '—'}")
    path = files[method_id]
    method = InventoryMethod(_validate(MethodFile, read_yaml(path), str(path)), str(path))
    return build_method(method, load_library())


def build_method(method: InventoryMethod, library: Library) -> InventoryMethod:
    """Run every named check on a parsed method file."""
    for check in METHOD_CHECKS:
        check(method, library)
    return method
