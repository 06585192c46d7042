"""The version of ecopark (also `ecopark.__version__`), importable without the public API."""

__version__ = "0.1.0"
