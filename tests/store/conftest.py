"""Store fixtures (a fresh database per test, SQLite and PostgreSQL when configured)."""

from ..dbfixtures import db_url, settings, store, world

__all__ = ["db_url", "settings", "store", "world"]
