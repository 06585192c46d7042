"""What a browser handed over that must outlive a redirect, kept server-side for a short
while under a random token (only its SHA-256 is stored): the fields of a form saved after the
session expired, given back on the form's page after signing in again."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ecopark.store import models as m

__all__ = ["KEEP_MINUTES", "Fields", "keep", "kept", "one"]

KEEP_MINUTES = 60


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


Fields = dict[str, str | list[str]]  # a name given more than once keeps all its values


def keep(session: Session, path: str, fields: Fields) -> str:
    """Keep `fields` (the form posted to `path`); the token that finds them again."""
    cutoff = m.utcnow() - dt.timedelta(minutes=KEEP_MINUTES)
    session.execute(delete(m.KeptForm).where(m.KeptForm.created_at < cutoff))
    token = secrets.token_urlsafe(24)
    session.add(m.KeptForm(token_hash=_digest(token), path=path,
                           fields_json=json.dumps(fields, ensure_ascii=False)))
    session.flush()
    return token


def kept(session: Session, token: str) -> tuple[str, Fields] | None:
    """The form's path and fields kept under `token` (None: unknown or too old)."""
    if not token or len(token) > 64:
        return None
    row = session.scalars(select(m.KeptForm).where(
        m.KeptForm.token_hash == _digest(token))).one_or_none()
    if row is None or row.created_at < m.utcnow() - dt.timedelta(minutes=KEEP_MINUTES):
        return None
    return row.path, json.loads(row.fields_json)


def one(fields: Fields, name: str) -> str:
    """The one value kept under `name` ('' when absent; the last, if it was given twice)."""
    value = fields.get(name, "")
    return value if isinstance(value, str) else value[-1]
