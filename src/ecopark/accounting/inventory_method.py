"""The inventory-method file (`format: ecopark-inventory-method/1`, in `accounting/data/`;
grammar in its header), e.g. 发改环资〔2025〕910号 附件4: the coefficient sets it uses, the
vocabulary of electricity classes, heat kinds, fuel uses and process products (with per-product
factors), and the calculation module that computes with it (`InventoryModule`).

Loading and checking a method file is `ecopark.accounting.inventory`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from ecopark.accounting.coefficients import Factor

if TYPE_CHECKING:
    from ecopark.accounting.coefficients import Library
    from ecopark.core.dataset.inventory import InventoryResult, InventoryYear

__all__ = ["METHOD_FORMAT", "InventoryMethod", "InventoryModule", "MethodFile"]

METHOD_FORMAT = "ecopark-inventory-method/1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)




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


class InventoryModule(Protocol):
    """A calculation module: the quantities it provides (id → unit), the parameters it reads
    (id → setting type: number | bool | choice), and the computation."""

    @property
    def quantities(self) -> Mapping[str, str]: ...
    @property
    def parameters(self) -> Mapping[str, str]: ...

    def compute(self, method: InventoryMethod, library: Library, year: int,
                lines: InventoryYear, params: Mapping[str, object], file: str
                ) -> InventoryResult: ...
