"""Schema revisions, oldest first: 0001 the first schema, 0002 the audit log made append-only."""
