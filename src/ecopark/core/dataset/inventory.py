"""A park's carbon inventory (核算清单): the dataset section that carries its inputs, and the
inventory an inventory method computes from them.

- `InventoryYear`: one year of a dataset's `inventory:` section — electricity by class and
  direction, heat by kind and direction, fuel use by fuel and activity type (feedstock and
  international bunkers kept apart), energy conversion as a carbon balance, process products.
  Amounts carry their own units; a line may carry a measured factor (`factor`, `coal_factor`)
  with its source, which then replaces the method's default for that line only. The classes,
  kinds, uses and products are the vocabulary of the framework's inventory method.
- `InventoryResult`: what a method computes for one park-year: CO2 and energy as trees of
  `Line`s, each with how it was computed and the source of its factor, the method's quantities
  (which the framework's `computed` items take) and its warnings. A method is a provider
  registered by name (`ecopark.core.framework.providers`).
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ConversionLine", "ElectricityLine", "Flow", "FuelLine", "HeatLine", "InventoryResult",
           "InventoryWarning", "InventoryYear", "Line", "LineFactor", "MassBalance", "ProcessLine"]


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


# ------------------------------------------------------------------------ the computed inventory




@dataclasses.dataclass(frozen=True)
class Line:
    """One node of the inventory tree: a value (t CO2 or tce), how it was computed and the
    source (with version) of the factor used."""

    key: str
    zh: str
    en: str
    value: float
    unit: str
    how: str = ""
    source: str = ""
    children: tuple[Line, ...] = ()


@dataclasses.dataclass(frozen=True)
class InventoryWarning:
    zh: str
    en: str
    quantities: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class InventoryResult:
    method_id: str
    method_version: str
    year: int
    co2: Line
    energy: Line
    memo: tuple[Line, ...]
    quantities: dict[str, float]
    warnings: tuple[InventoryWarning, ...]
    parameters: dict[str, str]  # parameter → the value used, as text
    label: str  # what the method calls its inventory, e.g. "附件4 核算清单 inventory"

    def how(self, quantity: str) -> str:
        """A short text of how a quantity was obtained (used as the observation's source)."""
        found = _find(self.co2, quantity) or _find(self.energy, quantity)
        head = f"{self.label} ({self.method_id} {self.method_version}, {self.year})"
        if found is not None and found.children:
            parts = " + ".join(f"{c.key} {number_text(c.value)}" for c in found.children)
            return f"{head}: {quantity} = {parts} {found.unit}"
        return f"{head}: {quantity}"


def _find(line: Line, key: str) -> Line | None:
    if line.key == key:
        return line
    for child in line.children:
        found = _find(child, key)
        if found is not None:
            return found
    return None


def number_text(value: float) -> str:
    """A value as an inventory line shows it: 6 significant digits, or whole above a million."""
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
