"""The frameworks ecopark ships, each a YAML file here, declared as entry points of the group
`ecopark.frameworks` in pyproject.toml: they are found exactly as another package's are
(`ecopark.core.framework.discovery`). Their inventory method, the zero-carbon park's, is
registered by accounting when `ecopark` is imported (`ecopark.accounting.providers`)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DIRECTORY", "HJ274_2015", "ZERO_CARBON_PARK_2025"]

DIRECTORY = Path(__file__).parent
HJ274_2015 = DIRECTORY / "hj274-2015.yaml"
ZERO_CARBON_PARK_2025 = DIRECTORY / "zero-carbon-park-2025.yaml"
