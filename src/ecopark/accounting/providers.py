"""What accounting provides to the core, registered when `ecopark` is imported: the inventory
methods it ships, as providers by their id (`ecopark.core.framework.providers`), and the
enterprise-level field names of the data-quality rules: the roster's fields and the values
computed per enterprise (`ecopark.core.quality.rules.register_enterprise_fields`)."""

from __future__ import annotations

import functools

from ecopark.accounting.inventory import DATA_DIR, method_provider
from ecopark.accounting.rollup_rules import enterprise_units
from ecopark.core.framework.providers import register_provider
from ecopark.core.quality.rules import register_enterprise_fields

__all__ = ["register"]


def register() -> None:
    """Register every inventory-method file shipped (`method-<id>.yaml`) as the provider `<id>`
    (each read when a framework first names it), and the enterprise-level fields."""
    for path in sorted(DATA_DIR.glob("method-*.yaml")):
        method_id = path.stem.removeprefix("method-")
        register_provider(method_id, functools.partial(method_provider, method_id))
    register_enterprise_fields(enterprise_units)
