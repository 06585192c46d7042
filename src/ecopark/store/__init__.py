"""The store: parks and their years of data, enterprises and submissions, users and roles, and
the audit log, in SQLite (default) or PostgreSQL.

    store = Store(resolve_url(db))           # engine.py
    upgrade(store)                           # migrate.py: create / upgrade the schema
    with store.session(actor="cli:me") as session:
        park_year = save_dataset(session, spec, framework)   # repository.py, one transaction

The core (ecopark.core.dataset.model, evaluate, verify) never imports this package.
"""
