"""Alembic's environment: run the migrations on the connection `ecopark.store.migrate` passes."""

from __future__ import annotations

from alembic import context

from ecopark.store.models import Base


def _run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


_run()
