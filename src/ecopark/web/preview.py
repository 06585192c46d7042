"""What an upload will change, shown before anything is written: every value added or changed
in the park's record (as written, with its unit; values the file does not hold are kept), the
park facts, the printed table, and each indicator whose status changes. The new dataset travels
to the confirming POST signed (HMAC with the server secret, bound to the user, the park, the
time of the preview and the versions of the values it was compared with), so exactly what was
previewed is stored, a preview expires (`EXPIRES`), and a value changed by someone else since
the preview is not overwritten silently (the store refuses it as stale).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import time

from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.schema import DatasetFile, Series, ValueEntry
from ecopark.core.evaluate import evaluate, resolve_year
from ecopark.core.framework.model import Framework
from ecopark.core.quality import QualityFinding, screen
from ecopark.store.repository import merged
from ecopark.web.forms import plain

__all__ = ["EXPIRES", "Change", "ParkChange", "Preview", "Ticket", "make_preview", "sign", "signed"]

EXPIRES = 30 * 60  # seconds a preview may be confirmed in


@dataclasses.dataclass(frozen=True)
class Change:
    kind: str  # added | changed | removed
    item: str
    year: int
    old: str
    new: str


@dataclasses.dataclass(frozen=True)
class ParkChange:
    """A park fact the file changes: its name and its old and new value, each (zh, en)."""

    name_zh: str
    name_en: str
    old: tuple[str, str]
    new: tuple[str, str]


# the park facts every framework has, named: (zh, en)
_FIXED = {"base_year": ("规划基准年", "planning base year"),
          "base_year_note": ("规划基准年说明", "note on the planning base year"),
          "selected": ("选定的可选考核指标（是否为考核指标）", "optional indicators selected")}
_OTHER_ZH, _OTHER_EN = "其他园区信息", "other park information"


@dataclasses.dataclass(frozen=True)
class Preview:
    year: int
    replaces: bool
    park: list[ParkChange]
    changes: list[Change]
    reported: str  # none | added | changed | removed | same
    other: list[str]  # checklists, lists: which changed
    statuses: list[tuple[int, str | None, str]]  # (indicator, old status, new status)
    verdict: tuple[str | None, str]
    unchanged: int
    findings: tuple[QualityFinding, ...] = ()  # the data-quality findings on the file's values

    @property
    def blocked(self) -> bool:
        """An error finding stands: confirming needs a reason."""
        return any(f.blocking for f in self.findings)

    @property
    def empty(self) -> bool:
        return not (self.park or self.changes or self.other or self.statuses) and \
            self.reported in ("none", "same")


def make_preview(framework: Framework, old: DatasetFile | None, record: dict[str, Series],
                 new: DatasetFile) -> Preview:
    """`old`: the park-year as stored (None: a new year); `record`: the park's values up to
    the file's year (what the file's values are compared with)."""
    result = merged(record, new)
    dataset = build_dataset(result, framework, "upload")
    year = resolve_year(dataset, None)
    after = evaluate(framework, dataset, year)
    before = evaluate(framework, build_dataset(old, framework, "stored"), year) if old else None
    new_values = _values(new)
    stored = _values(None if not record else new.model_copy(update={"observations": record}))
    old_values = {key: text for key, text in stored.items() if key in new_values}  # others kept
    changes = _changes(old_values, new_values)
    statuses = [(r.number, None if before is None else before.result(r.number).status.value,
                 r.status.value) for r in after.results
                if before is None or before.result(r.number).status != r.status]
    return Preview(year, old is not None, _park(framework, old, new), changes, _reported(old, new),
                   _other(old, new), statuses if before is not None else [],
                   (None if before is None else before.verdict.status.value,
                    after.verdict.status.value),
                   sum(1 for k in new_values if old_values.get(k) == new_values[k]),
                   tuple(screen(framework, dataset, [(c.item, c.year) for c in changes],
                                year=year)))


def _values(spec: DatasetFile | None) -> dict[tuple[str, int], str]:
    if spec is None:
        return {}
    return {(item, year): _written(raw, series) for item, series in spec.observations.items()
            for year, raw in series.values.items()}


def _written(raw: object, series: Series) -> str:
    if isinstance(raw, ValueEntry):
        unit = raw.unit or series.unit or ""
        return f"{plain(raw.value)} {unit}".strip()
    return f"{'' if raw is None else plain(raw)} {series.unit or ''}".strip()


def _changes(old: dict[tuple[str, int], str], new: dict[tuple[str, int], str]) -> list[Change]:
    keys = list(dict.fromkeys([*new, *old]))
    out = []
    for key in keys:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        kind = "added" if before is None else "removed" if after is None else "changed"
        out.append(Change(kind, key[0], key[1], before or "", after or ""))
    return out


def _park(framework: Framework, old: DatasetFile | None,
          new: DatasetFile) -> list[ParkChange]:
    """The park facts the file changes, each named as the framework names it (never its key)
    and a choice shown by its label (其他地区, not other)."""
    before = old.park.model_dump() if old else {}
    after = new.park.model_dump()
    fields = framework.spec.profile_fields
    keys = [*_FIXED, *fields, *sorted(k for k in {*before, *after}
                                      if k not in (*_FIXED, *fields, "name"))]
    out = []
    for key in keys:
        if before.get(key) != after.get(key):
            zh, en = _FIXED.get(key) or ((fields[key].name_zh, fields[key].name_en)
                                         if key in fields else (_OTHER_ZH, _OTHER_EN))
            out.append(ParkChange(zh, en, _show(framework, key, before.get(key)),
                                  _show(framework, key, after.get(key))))
    return out


def _show(framework: Framework, key: str, value: object) -> tuple[str, str]:
    """A park fact's value as (zh, en): a choice by its labels, a list joined."""
    if value is None:
        return "", ""
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
        return text, text
    field = framework.spec.profile_fields.get(key)
    label = field.values.get(str(value)) if field is not None else None
    if label is not None:
        return label.zh or label.en or str(value), label.en or label.zh or str(value)
    return str(value), str(value)


def _reported(old: DatasetFile | None, new: DatasetFile) -> str:
    before = old.reported if old else None
    if before is None and new.reported is None:
        return "none"
    if before is None:
        return "added"
    if new.reported is None:
        return "removed"
    return "same" if before == new.reported else "changed"


def _other(old: DatasetFile | None, new: DatasetFile) -> list[str]:
    out = []
    if (old.checklists if old else {}) != new.checklists:
        out.append("checklists")
    if (old.lists if old else {}) != new.lists:
        out.append("lists")
    return out


@dataclasses.dataclass(frozen=True)
class Ticket:
    """What a preview hands to its confirmation: when it was made and the versions of the
    park's values it compared the file with ((item, year) → version, 0: none stored)."""

    issued: int
    versions: dict[tuple[str, int], int]

    def text(self) -> str:
        return json.dumps({"issued": self.issued,
                           "versions": [[i, y, v] for (i, y), v in sorted(self.versions.items())]},
                          separators=(",", ":"))

    @classmethod
    def read(cls, text: str) -> Ticket:
        data = json.loads(text)
        return cls(int(data["issued"]), {(str(i), int(y)): int(v) for i, y, v in data["versions"]})

    def expired(self, now: float | None = None) -> bool:
        return (time.time() if now is None else now) - self.issued > EXPIRES

    @classmethod
    def now(cls, versions: dict[tuple[str, int], int]) -> Ticket:
        return cls(int(time.time()), versions)


def sign(secret: str, user_id: int, park_id: int, ticket: str, payload: str) -> str:
    message = f"{user_id}|{park_id}|{ticket}|{payload}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed(secret: str, user_id: int, park_id: int, ticket: str, payload: str,
           signature: str) -> bool:
    return hmac.compare_digest(sign(secret, user_id, park_id, ticket, payload), signature)
