"""What a job can do: one function per kind, registered with `@kind(name, steps)`.

A kind's function receives a `Work` (the store, the job's park-year and language, and `step()`
to report progress) and returns the result file (bytes and a file name). Adding a kind — batch
verification, a bulk import, an e-mail — is one such function. An `EcoparkError` it raises is an
error in the data: the job fails at once with that error's message. Anything else is taken as
transient (a lost connection, a crashed converter) and retried.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from ecopark.core.evaluate import Evaluation, evaluate
from ecopark.io.limited import Limits
from ecopark.store import models as m
from ecopark.store import repository
from ecopark.store.engine import Store

__all__ = ["ENGLISH", "KINDS", "Kind", "Result", "Work", "kind", "report_word"]


def report_word(lang: str) -> str:
    """What a report file is, in its name: 评价报告 (report, asked from an English page)."""
    return "report" if lang == "en" else "评价报告"


Result = tuple[bytes, str]  # the file's content and its name


@dataclasses.dataclass(frozen=True)
class Work:
    store: Store
    job_id: str
    park_id: int | None  # None: a job that is not one park-year's
    year: int | None
    lang: str
    step: Callable[[int, str], None]  # steps done so far, the step now starting (Chinese)
    input: bytes | None = None  # an upload or a message the job works on
    input_name: str = ""
    requested_by: str = ""
    limits: Limits = dataclasses.field(default_factory=lambda: Limits(1024, 60))  # uploads

    def evaluation(self) -> tuple[str, Evaluation]:
        """The park's name and its park-year evaluated, read in one read transaction."""
        with self.store.session("jobs", write=False) as session:
            park = session.get(m.Park, self.park_id) if self.park_id is not None else None
            if park is None or self.year is None:
                from ecopark.core.errors import NotFound

                raise NotFound("园区 park", str(self.park_id))
            park_year = repository.get_park_year(session, park, self.year)
            framework, dataset = repository.dataset_of(park_year)
            return park.name, evaluate(framework, dataset, self.year)


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str
    steps: int
    run: Callable[[Work], Result]


KINDS: dict[str, Kind] = {}

# the progress labels (stored in Chinese) as English pages show them
ENGLISH = {
    "排队等候": "Waiting in the queue",
    "开始生成": "Starting",
    "出现意外错误，稍后重试": "An unexpected error occurred; retrying shortly",
    "读取数据并计算指标": "Reading the data and computing the indicators",
    "撰写报告内容": "Writing the report's text",
    "生成 Word 文档": "Writing the Word document",
    "转换为 PDF": "Converting to PDF",
    "解开上传的文件": "Opening the uploaded files",
    "逐表复算核查": "Recomputing and checking each table",
    "逐个文件导入": "Importing each file",
    "汇总结果": "Listing the outcome",
    "已完成": "Done",
    "失败": "Failed",
    "发送邮件": "Sending the e-mail",
}


def kind(name: str, steps: int) -> Callable[[Callable[[Work], Result]], Callable[[Work], Result]]:
    def register(run: Callable[[Work], Result]) -> Callable[[Work], Result]:
        KINDS[name] = Kind(name, steps, run)
        return run
    return register


@kind("report.docx", steps=3)
def report_docx(work: Work) -> Result:
    """The draft annual report as Word."""
    return _report(work, pdf=False)


@kind("report.pdf", steps=4)
def report_pdf(work: Work) -> Result:
    """The draft annual report as PDF (LibreOffice converts the Word document)."""
    return _report(work, pdf=True)


def _approved(work: Work) -> bool:
    with work.store.session("jobs", write=False) as session:
        state = session.scalar(select(m.ParkYear.state).where(
            m.ParkYear.park_id == work.park_id, m.ParkYear.year == work.year))
    return state in ("approved", "published")


def _report(work: Work, pdf: bool) -> Result:
    from ecopark.reports import report_docx as docx_writer
    from ecopark.reports import report_pdf as pdf_writer
    from ecopark.reports.marks import draft_report
    from ecopark.reports.narrative import build_report

    work.step(0, "读取数据并计算指标")
    name, evaluation = work.evaluation()
    work.step(1, "撰写报告内容")
    report = build_report(evaluation, work.lang)
    if not _approved(work):  # the 草稿 mark until the year is approved (store/lifecycle.py)
        report = draft_report(report)
    work.step(2, "生成 Word 文档")
    with tempfile.TemporaryDirectory(prefix="ecopark-job-") as tmp:
        path = Path(tmp) / "report.docx"
        docx_writer.write(report, path)
        if pdf:
            work.step(3, "转换为 PDF")
            path = pdf_writer.convert(path, Path(tmp))
        return path.read_bytes(), f"{name}-{work.year}-{report_word(work.lang)}{path.suffix}"
