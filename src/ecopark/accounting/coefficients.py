"""Coefficient sets, energy carriers and accounting methods: the data files' schemas and the
`Library` of them all.

    carriers.yaml        the carrier vocabulary (roster columns, coefficient keys)
    methods.yaml         methods: which set of each kind, and which calculation module
    <set>.yaml           one coefficient set each (kind: standard_coal, fuel_co2, …)

Loading and checking the files is `ecopark.accounting.library`; turning a method and the
park's settings into per-carrier factors is `ecopark.accounting.factors`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ecopark.core import units
from ecopark.core.errors import DataFileError
from ecopark.core.text import label_matches

__all__ = ["CO2_PER_C", "DATA_DIR", "FORMAT", "IF97", "Carrier", "CarriersFile", "CoefficientFile",
           "CoefficientSet", "Factor", "Library", "Method", "MethodsFile", "is_coal_equivalent",
           "validate"]

DATA_DIR = Path(__file__).parent / "data"
FORMAT = "ecopark-coefficients/1"
Kind = Literal["standard_coal", "electricity_equal_value", "fuel_co2", "heat_co2",
               "electricity_co2", "steam_if97"]
Basis = Literal["average", "residual", "fossil"]
CO2_PER_C = 44.0 / 12.0


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------------ schemas


class Carrier(_Model):
    name_zh: str
    name_en: str
    aliases: list[str] = []
    unit: str
    sign: Literal[1, -1] = 1
    coal_factor: str | None = None
    co2: Literal["fuel", "grid", "green", "heat", "none"]
    renewable: bool = False
    enthalpy: bool = False


class CarriersFile(_Model):
    format: Literal["ecopark-carriers/1"]
    carriers: dict[str, Carrier]


class Factor(_Model):
    value: float = Field(gt=0)
    unit: str
    source: str
    note: str = ""


class Amount(_Model):
    value: float = Field(gt=0)
    unit: str


class FuelFactor(_Model):
    ncv: Amount
    carbon: Amount
    oxidation: float = Field(gt=0, le=1)
    source: str
    note: str = ""


class YearFactor(_Model):
    year: int = Field(ge=1900, le=2200)
    value: float = Field(gt=0)
    unit: str
    source: str
    note: str = ""


class GridFactor(_Model):
    region: str
    year: int = Field(ge=1900, le=2200)
    basis: Basis
    value: float = Field(ge=0)
    unit: str
    source: str
    note: str = ""


class Series(_Model):
    J: list[int]
    n: list[float]
    I: list[int] = []  # noqa: E741 — the release's own symbol


class Region2(_Model):
    ideal: Series
    residual: Series


class Region4(_Model):
    n: list[float] = Field(min_length=10, max_length=10)


class SteamLimits(_Model):
    pressure_max: float = Field(gt=0)
    temperature_max: float = Field(gt=0)
    note: str = ""


class IF97(_Model):
    R: float = Field(gt=0)
    region2: Region2
    region4: Region4
    reference_enthalpy: Factor
    limits: SteamLimits


class CoefficientFile(_Model):
    format: Literal["ecopark-coefficients/1"]
    id: str
    kind: Kind
    name_zh: str
    name_en: str
    source: str
    vintage: str
    status: str = ""
    note: str = ""
    regions: list[str] = []
    factors: dict[str, Factor] = {}
    by_year: list[YearFactor] = []
    fuels: dict[str, FuelFactor] = {}
    grid: list[GridFactor] = []
    if97: IF97 | None = None


class Method(_Model):
    name_zh: str
    name_en: str
    source: str
    note: str = ""
    module: str
    standard_coal: str
    equal_value: str
    fuel_co2: str
    heat_co2: str
    grid: str
    grid_basis: Basis
    green_power: Literal["grid", "zero"]
    steam: str


class MethodsFile(_Model):
    format: Literal["ecopark-methods/1"]
    default: str
    methods: dict[str, Method]


# ------------------------------------------------------------------------ the library


@dataclasses.dataclass(frozen=True)
class CoefficientSet:
    spec: CoefficientFile
    file: str


@dataclasses.dataclass
class Library:
    """Every carrier, coefficient set and method loaded (built-in files plus the user's)."""

    carriers: dict[str, Carrier]
    carriers_file: str
    sets: dict[str, CoefficientSet]
    methods: dict[str, Method]
    methods_file: str
    default_method: str

    def set_of(self, set_id: str) -> CoefficientSet:
        return self.sets[set_id]

    def coal_key(self, carrier: str) -> str:
        return self.carriers[carrier].coal_factor or carrier

    def coal_units(self) -> dict[str, str]:
        """Standard-coal factor key → the carrier unit it multiplies."""
        return {self.coal_key(key): carrier.unit for key, carrier in self.carriers.items()}

    def carrier_of_name(self, text: str) -> str | None:
        """The carrier a roster header names (id, zh or en name, alias), compared loosely."""
        for key, carrier in self.carriers.items():
            if label_matches(text, (key, carrier.name_zh, carrier.name_en, *carrier.aliases)):
                return key
        return None


def validate(model: type[BaseModel], data: Any, file: str) -> Any:
    """Parsed YAML validated by a file's model; a `DataFileError` at the first failing key."""
    if not isinstance(data, dict):
        raise DataFileError(file, "(top)", "文件应为键值映射 the file must be a mapping")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key_path = ".".join(str(part) for part in first["loc"]) or "(top)"
        more = f"（另有 {exc.error_count() - 1} 处 and {exc.error_count() - 1} more）" \
            if exc.error_count() > 1 else ""
        raise DataFileError(file, key_path, f"{first['msg']}{more}") from None


def is_coal_equivalent(unit: str) -> bool:
    """Whether a unit is a coal equivalent (tce, kgce, 吨标煤 …): never a carrier's quantity."""
    parsed = str(units.parse_unit(unit))
    return any(name in parsed for name in ("kgce", "tce", "gce", "标准煤", "标煤"))
