"""Providers: computation a framework needs beyond its formula language, registered by name.

A framework names its inventory method (`inventory: {method: <name>, settings: …}`); the
method computes a park-year's inventory from the dataset's `inventory:` section, and its
quantities become the values of the framework's `computed` items. The core defines what such
a provider is (`InventoryProvider`) and keeps the registry; the package that implements a
method registers it under its name with `register_provider` (the shipped zero-carbon method:
`ecopark.accounting.providers.register`, called when `ecopark` is imported), and
the core finds it with `provider(name)`. The core imports no provider.

A registration holds a factory, called once on first use: a provider may read its data files
then, not when it is registered.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from ecopark.core.dataset.inventory import InventoryResult, InventoryYear

__all__ = ["InventoryProvider", "provider", "provider_names", "register_provider"]


class InventoryProvider(Protocol):
    """An inventory method: the quantities it provides (id → unit), the parameters it reads
    (id → setting type: number | bool | choice; a framework feeds each from one of its
    settings), and the computation of one park-year."""

    @property
    def quantities(self) -> Mapping[str, str]: ...
    @property
    def parameters(self) -> Mapping[str, str]: ...

    def compute(self, year: int, lines: InventoryYear, params: Mapping[str, Any],
                file: str) -> InventoryResult: ...


_FACTORIES: dict[str, Callable[[], InventoryProvider]] = {}
_BUILT: dict[str, InventoryProvider] = {}
_LOCK = threading.Lock()


def register_provider(name: str, factory: Callable[[], InventoryProvider]) -> None:
    """Register the provider `name`; a second registration of the name replaces the first."""
    with _LOCK:
        _FACTORIES[name] = factory
        _BUILT.pop(name, None)


def provider_names() -> list[str]:
    """The names registered, sorted."""
    return sorted(_FACTORIES)


def provider(name: str) -> InventoryProvider | None:
    """The provider registered as `name` (built on first use), or None when there is none."""
    with _LOCK:
        factory = _FACTORIES.get(name)
        if factory is None:
            return None
        if name not in _BUILT:
            _BUILT[name] = factory()
        return _BUILT[name]
