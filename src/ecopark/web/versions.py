"""The versions of the park's values a page was read at, carried by its form as one hidden
field ("item:year:version;…"), so a save is based on what its user saw: the store refuses a
value changed since (`StaleWrite`). A forged field can only claim what the user could re-apply
deliberately anyway."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from ecopark.store import models as m
from ecopark.store import repository
from ecopark.web.i18n import Translator

__all__ = ["decode_versions", "encode_versions", "year_as_read"]

Cell = tuple[str, int]
_MAX = 5000  # cells a form may carry


def encode_versions(versions: Mapping[Cell, int]) -> str:
    return ";".join(f"{i}:{y}:{v}" for (i, y), v in sorted(versions.items()) if v)


def decode_versions(text: str) -> dict[Cell, int]:
    out = {}
    for part in text.split(";")[:_MAX]:
        pieces = part.split(":")
        if len(pieces) == 3 and pieces[1].isdigit() and pieces[2].isdigit():
            out[(pieces[0], int(pieces[1]))] = int(pieces[2])
    return out


def year_as_read(session: Session, park: m.Park, year: int, based: str,
                 t: Translator) -> tuple[m.ParkYear, str]:
    """The park-year, and why nothing may be saved when it is no longer at the version a page
    was read at (`based`, its hidden `year_version`): "" when it still is."""
    park_year = repository.get_park_year(session, park, year)
    if based == str(park_year.version):
        return park_year, ""
    return park_year, t.gettext("Nothing was saved: someone else changed this assessment year "
                                "since you opened this page. Your entries are shown below; "
                                "saving them again replaces the other change.")
