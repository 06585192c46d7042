"""Alembic migrations, configured in code (`ecopark.store.migrate`): no alembic.ini is needed.

Add a revision with `.venv/bin/python scripts/db_revision.py "what changed"` and edit it.
"""
