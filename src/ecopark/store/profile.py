"""Writing a park-year's profile fields (园区概况, and the chapters 四/五 the officer writes):
the framework-declared values kept as `ProfileValue` rows, the same rows a loaded dataset's
`park:` extras become (no new table).

    set_profile(session, park_year, {"area": "20.14", "location": "…", "problems_text": ""})

Checked by the core first (the dataset as it would be is built): a value the field cannot hold
raises the core's DatasetError at `park.<field>`, and nothing is written. An empty value
removes the field. A change is a new version of the park-year (forms based on the old version
are refused), and audited like every write.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.errors import InvalidValue
from ecopark.core.framework.loading import load_framework
from ecopark.store import models as m
from ecopark.store.repository import read_spec

__all__ = ["set_profile"]

_LABEL = "园区概况 park profile"


def set_profile(session: Session, park_year: m.ParkYear, changes: Mapping[str, str]) -> bool:
    """Set (or, with "", remove) profile fields of `park_year`; whether anything changed."""
    framework = load_framework(park_year.framework_key)
    unknown = sorted(set(changes) - set(framework.spec.profile_fields))
    if unknown:
        raise InvalidValue(", ".join(unknown), "不是该指标体系的园区信息字段 not a profile field of "
                           f"the framework: {', '.join(framework.spec.profile_fields)}")
    spec = read_spec(park_year)
    wanted = {k: v.strip() for k, v in changes.items()}
    park = {k: v for k, v in {**spec.park.model_dump(), **wanted}.items()
            if k not in wanted or wanted[k]}
    build_dataset(DatasetFile.model_validate({**spec.model_dump(by_alias=True), "park": park}),
                  framework, _LABEL)
    changed = _apply(park_year, wanted)
    if changed:
        flag_modified(park_year, "loaded_by")  # a new version of the park-year
    session.flush()
    return changed


def _apply(park_year: m.ParkYear, wanted: dict[str, str]) -> bool:
    rows = {row.name: row for row in park_year.profile_values}
    changed = False
    for name, value in wanted.items():
        row = rows.get(name)
        if row is not None and not value:
            park_year.profile_values.remove(row)
        elif row is None and value:
            position = max((r.position for r in park_year.profile_values), default=-1) + 1
            park_year.profile_values.append(m.ProfileValue(position=position, name=name,
                                                           value=value))
        elif row is not None and row.value != value:
            row.value = value
        else:
            continue
        changed = True
    return changed
