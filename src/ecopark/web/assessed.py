"""A park-year as the pages show it: the stored dataset evaluated (and verified against its
printed table when it has one), kept in the app's cache until the park's data change (the same
versioning as the API's reply cache), and the dashboard's rows built from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from fastapi import Request
from sqlalchemy.orm import Session

from ecopark.core.dataset.model import Dataset
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.errors import NotFound
from ecopark.core.evaluate import Evaluation
from ecopark.core.framework.model import Framework
from ecopark.core.quality import QualityFinding, check_dataset, touching
from ecopark.core.results import IndicatorResult, Status
from ecopark.core.verify import Finding, Verification, verify
from ecopark.store import models as m
from ecopark.store import repository
from ecopark.web.cache import ReplyCache

__all__ = ["Assessed", "Row", "Section", "assessed", "assessed_head", "assessed_parks", "flagged",
           "of_dataset"]


@dataclasses.dataclass(frozen=True)
class Row:
    """One indicator of the 对照考核表 with what the park printed and the findings about it."""

    result: IndicatorResult
    assessed: str  # mandatory | yes | no (是否为考核指标)
    printed: str | None  # the printed value, None without a printed table
    findings: tuple[Finding, ...]

    @property
    def flagged(self) -> bool:
        return self.result.status is Status.NOT_MET or any(
            f.severity == "error" for f in self.findings)


@dataclasses.dataclass(frozen=True)
class Section:
    id: str
    name_zh: str
    name_en: str
    rows: tuple[Row, ...]


@dataclasses.dataclass(frozen=True)
class Assessed:
    park_year_id: int
    version: int
    spec: DatasetFile
    evaluation: Evaluation
    verification: Verification
    sections: tuple[Section, ...]
    quality: tuple[QualityFinding, ...] = ()  # the data-quality findings touching an indicator

    def quality_counts(self) -> dict[str, int]:
        return {s: sum(1 for f in self.quality if f.severity == s)
                for s in ("error", "warning", "info")}

    @property
    def framework(self) -> Framework:
        return self.evaluation.framework

    def row(self, number: int) -> Row:
        return next(r for s in self.sections for r in s.rows if r.result.number == number)

    def counts(self) -> dict[str, int]:
        out = {status.value: 0 for status in Status}
        for result in self.evaluation.results:
            out[result.status.value] += 1
        return out


def assessed(request: Request, session: Session, park: m.Park, year: int) -> Assessed:
    """The park-year, evaluated; from the cache while the park's data are unchanged."""
    park_year_id, version = repository.park_version(session, park, year)
    return _cached(request, session, park, year, park_year_id, version)


def assessed_parks(request: Request, session: Session, parks: Sequence[m.Park],
                   year: int) -> list[Assessed]:
    """`assessed` for several parks' park-years of one `year`: their data versions are read in
    one statement, and the park-years not in the cache are loaded together (each child table
    one statement for all of them), not park by park."""
    heads = repository.park_versions(session, (p.id for p in parks), year)
    cache: ReplyCache[Assessed] = request.app.state.views
    loaded = repository.park_years_by_id(session, (
        park_year_id for park_year_id, version in heads.values()
        if not cache.holds(("assessed", park_year_id, version))))
    def one(park: m.Park) -> Assessed:
        if park.id not in heads:
            raise NotFound("园区年度数据 park-year", f"{park.name} {year}")
        park_year_id, version = heads[park.id]
        row = loaded.get(park_year_id)  # None: evicted, or not cached when looked at above
        return cache.get_or_make(("assessed", park_year_id, version), lambda: _assess(
            row if row is not None else repository.get_park_year(session, park, year), version))

    return [one(park) for park in parks]


def assessed_head(request: Request, session: Session, park: m.Park, year: int,
                  head: repository.YearHead) -> Assessed:
    """`assessed` for a park-year whose head was read already (`repository.year_head`)."""
    return _cached(request, session, park, year, head.park_year_id, head.version)


def _cached(request: Request, session: Session, park: m.Park, year: int, park_year_id: int,
            version: int) -> Assessed:
    cache: ReplyCache[Assessed] = request.app.state.views
    return cache.get_or_make(("assessed", park_year_id, version),
                             lambda: _assess(repository.get_park_year(session, park, year),
                                             version))


def _assess(park_year: m.ParkYear, version: int) -> Assessed:
    framework, dataset = repository.dataset_of(park_year)
    return of_dataset(park_year.id, version, repository.read_spec(park_year), framework,
                      dataset, park_year.year)


def of_dataset(park_year_id: int, version: int, spec: DatasetFile, framework: Framework,
               dataset: Dataset, year: int) -> Assessed:
    """A dataset evaluated, verified and checked as the pages show it (also an approved
    edition's, read from its snapshot: `ecopark.web.editions`)."""
    from ecopark.core.evaluate import evaluate

    evaluation = evaluate(framework, dataset, year)
    verification = verify(evaluation)
    quality = touching(check_dataset(dataset, framework, year=year))
    return Assessed(park_year_id, version, spec, evaluation, verification,
                    _sections(evaluation, verification), tuple(quality))


def _sections(evaluation: Evaluation, verification: Verification) -> tuple[Section, ...]:
    framework = evaluation.framework
    printed = evaluation.dataset.reported
    out = []
    for category in framework.spec.categories:
        rows = tuple(_row(r, evaluation, verification, printed is not None)
                     for r in evaluation.results if r.indicator.category == category.id)
        if rows:
            out.append(Section(category.id, category.name_zh, category.name_en, rows))
    return tuple(out)


def _row(result: IndicatorResult, evaluation: Evaluation, verification: Verification,
         has_printed: bool) -> Row:
    indicator = result.indicator
    selected = evaluation.dataset.profile.selected
    kind = "mandatory" if indicator.mandatory else "yes" if indicator.number in selected else "no"
    reported = evaluation.dataset.reported
    printed = None
    if has_printed and reported is not None:
        printed = str(reported.indicators.get(indicator.number, "")) or None
    findings = tuple(f for f in verification.findings if f.number == indicator.number)
    return Row(result, kind, printed, findings)


def flagged(item: Assessed) -> list[Row]:
    return [row for section in item.sections for row in section.rows if row.flagged]
