"""The kinds `edition.report.docx` / `edition.report.pdf`: the annual report of an approved
edition of a park-year, rendered from its snapshot (the dataset kept at approval, never the live
data) with the approval time as every time inside the file, so two jobs give the same bytes.

The job's `data_version` is the edition's number (so each edition is its own job, and a second
request for one finds the first job's file). The title page's date is the approval day in the
park's time zone; the appendix's 填报时间 is the table's of that edition (`web/editions.py`).
The PDF is LibreOffice's conversion of that Word file with its creation and modification times
and its document id rewritten (`reports/marks.py`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.errors import NotFound
from ecopark.core.evaluate import Evaluation, evaluate
from ecopark.core.framework.model import Framework
from ecopark.jobs.kinds import Result, Work, kind, report_word
from ecopark.reports.content import Report
from ecopark.store import models as m
from ecopark.store import transitions
from ecopark.store.sources import read_dataset_spec

__all__ = ["edition_report_docx", "edition_report_pdf", "snapshot_spec"]


@kind("edition.report.docx", steps=3)
def edition_report_docx(work: Work) -> Result:
    """An approved edition's annual report as Word, the same bytes at every run."""
    return _report(work, pdf=False)


@kind("edition.report.pdf", steps=4)
def edition_report_pdf(work: Work) -> Result:
    """An approved edition's annual report as PDF, its times and id fixed."""
    return _report(work, pdf=True)


def snapshot_spec(snapshot: m.ParkYearSnapshot) -> tuple[DatasetFile, Framework]:
    """The snapshot's dataset and its framework, read as an uploaded dataset file is."""
    with tempfile.TemporaryDirectory(prefix="ecopark-edition-") as folder:
        path = Path(folder) / "dataset.yaml"
        path.write_text(snapshot.dataset_yaml, encoding="utf-8")
        return read_dataset_spec(path)


def _kept(work: Work) -> tuple[str, int, dt.datetime, Evaluation]:
    """The park's name, the edition's number, its approval time and its data evaluated."""
    from ecopark.core.dataset.loading import build_dataset

    with work.store.session("jobs", write=False) as session:
        job = session.get(m.JobRow, work.job_id)
        number = job.data_version if job is not None else 0
        park = session.get(m.Park, work.park_id) if work.park_id is not None else None
        kept = transitions.snapshot(session, park.id, work.year, number) \
            if park is not None and work.year is not None else None
        if park is None or kept is None or work.year is None:
            where = park.name if park is not None else str(work.park_id)
            raise NotFound("已通过的版本 approved edition", f"{where} {work.year} {number}")
        spec, framework = snapshot_spec(kept)
        dataset = build_dataset(spec, framework, f"edition {number}")
        return park.name, number, kept.approved_at, evaluate(framework, dataset, work.year)


def _content(evaluation: Evaluation, lang: str, approved_at: dt.datetime) -> Report:
    """The report dated the approval day, its appendix's 填报时间 as the edition's table has
    it, with no draft mark."""
    from ecopark.reports.marks import final_report
    from ecopark.reports.narrative import build_report
    from ecopark.reports.table import build_table

    profile = evaluation.dataset.profile
    report = build_report(evaluation, lang, generated_on=profile.today(approved_at))
    table = build_table(evaluation, filled_on=profile.filled_on(approved_at), lang=lang)
    return final_report(dataclasses.replace(
        report, appendix=dataclasses.replace(report.appendix, table=table)))


def _report(work: Work, pdf: bool) -> Result:
    from ecopark.reports import report_docx as docx_writer
    from ecopark.reports import report_pdf as pdf_writer
    from ecopark.reports.marks import fixed_package, fixed_pdf

    work.step(0, "读取数据并计算指标")
    name, number, approved_at, evaluation = _kept(work)
    work.step(1, "撰写报告内容")
    report = _content(evaluation, work.lang, approved_at)
    work.step(2, "生成 Word 文档")
    with tempfile.TemporaryDirectory(prefix="ecopark-job-") as tmp:
        path = Path(tmp) / "report.docx"
        docx_writer.write(report, path)
        path.write_bytes(fixed_package(path.read_bytes(), approved_at))
        if not pdf:
            return path.read_bytes(), f"{name}-{work.year}-v{number}-{report_word(work.lang)}.docx"
        work.step(3, "转换为 PDF")
        data = fixed_pdf(pdf_writer.convert(path, Path(tmp)).read_bytes(), approved_at)
        return data, f"{name}-{work.year}-v{number}-{report_word(work.lang)}.pdf"
