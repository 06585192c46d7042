"""No stored text holds an invisible control character, whichever way it came in (a web form,
the API, a command, a roll-up): checked once, at every flush of a session, on the text columns
of the rows it inserts or changes (`ecopark.core.text` says which characters and why). The web and
the dataset readers refuse such text earlier, naming their field; this is the store's own
guarantee for every other path (a park or user created from the command line)."""

from __future__ import annotations

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from ecopark.core.errors import InvalidValue
from ecopark.core.text import HINT, problem, unsafe_char

__all__ = ["install"]


def install(session: Session | sessionmaker[Session]) -> None:
    if not event.contains(session, "before_flush", _check):
        event.listen(session, "before_flush", _check)


def _check(session: Session, _context: object, _instances: object) -> None:
    for obj in (*session.new, *session.dirty):
        mapper = inspect(obj).mapper
        for column in mapper.columns:
            if not isinstance(column.type, String):
                continue
            value = getattr(obj, mapper.get_property_by_column(column).key, None)
            char = unsafe_char(value) if isinstance(value, str) else None
            if char is not None:
                raise InvalidValue(f"{mapper.local_table.name}.{column.name}", problem(char),
                                   HINT)
