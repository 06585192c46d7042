"""Batch verification (job kind `verify.batch`): several printed 对照考核表 (.docx/.xlsx, sent as
files or in one zip) each recomputed from its own base rows and checked like the single
verification (`ecopark.core.verify`), then listed worst first.

The result is JSON (`BatchResult`): one entry per file — the park and year the table names, the
recomputed and printed verdicts, the counts that rank it, and its findings — so the pages show
the list and each table's findings without reading the files again. A file that cannot be read
is an entry with its error, listed after the tables: it never fails the batch.

The ranking (worst first), compared tier by tier:
    1. the overall verdict flips (printed 达标, recomputed not, or the reverse)
    2. an indicator's verdict flips
    3. other errors (a 万/亿 unit slip …)
    4. value differences on mandatory indicators (a mismatch, a value that cannot be reproduced,
       one that is not a number or missing)
    5. other warnings
    6. notes
then by file name.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path
from typing import Any

from ecopark.core.errors import EcoparkError
from ecopark.core.evaluate import evaluate
from ecopark.core.framework.loading import load_framework
from ecopark.core.framework.model import Framework
from ecopark.core.verify import Finding, verify
from ecopark.io.limited import Limits, renamed, run_limited
from ecopark.jobs import bundle
from ecopark.jobs.kinds import Result, Work, kind

__all__ = ["FRAMEWORK", "SUFFIXES", "TIERS", "rank_key", "read_printed", "verify_batch"]

FRAMEWORK = "hj274-2015"
SUFFIXES = frozenset({".docx", ".xlsx"})
TIERS = ("overall_flips", "verdict_flips", "errors", "mandatory", "warnings", "notes")
_VALUE_KINDS = frozenset({"mismatch", "cannot_reproduce", "unreadable_value", "missing_row"})


@kind("verify.batch", steps=3)
def verify_batch(work: Work) -> Result:
    """Every table of the upload verified; the list, worst first, as JSON."""
    work.step(0, "解开上传的文件")
    members = bundle.unpack(work.input or b"", work.input_name or "upload.zip", SUFFIXES)
    work.step(1, "逐表复算核查")
    framework = load_framework(FRAMEWORK)
    entries = [_entry(member, framework, work.limits) for member in members]
    work.step(2, "汇总结果")
    entries.sort(key=lambda e: (e["error"] != "", [-e["counts"][t] for t in TIERS], e["file"]))
    body = {"framework": FRAMEWORK, "files": len(entries), "tables": entries}
    return json.dumps(body, ensure_ascii=False).encode(), "verify-batch.json"


def _entry(member: bundle.Member, framework: Framework, limits: Limits) -> dict[str, Any]:
    blank: dict[str, Any] = {"file": member.name, "park": "", "year": None, "verdict": None,
                             "printed_verdict": None, "counts": dict.fromkeys(TIERS, 0),
                             "findings": [], "error": "", "error_en": ""}
    if member.content is None:
        return {**blank, "error": member.problem, "error_en": member.problem}
    try:
        result = verify(evaluate(framework, _read(member, limits)))
    except EcoparkError as exc:
        return {**blank, "error": exc.message("zh"), "error_en": exc.message("en")}
    mandatory = {i.number for i in framework.indicators if i.mandatory}
    findings = [_finding(f, mandatory) for f in result.findings]
    ev = result.evaluation
    return {**blank, "park": ev.dataset.profile.name, "year": ev.year,
            "verdict": ev.verdict.status.value,
            "printed_verdict": result.printed_verdict.status.value
            if result.printed_verdict else None,
            "counts": _counts(findings), "findings": findings}


def _read(member: bundle.Member, limits: Limits) -> Any:
    """The member's dataset, read in a limited child process; errors name the member."""
    with tempfile.TemporaryDirectory(prefix="ecopark-batch-") as folder:
        path = Path(folder) / f"table{Path(member.name).suffix.lower()}"
        path.write_bytes(member.content or b"")
        try:
            return run_limited(path, limits, read_printed, (FRAMEWORK,))
        except EcoparkError as exc:
            raise renamed(exc, path, member.name) from None


def read_printed(path: Path, framework: str) -> Any:
    """In the child: a printed table as a dataset (`ecopark.io.printed_table`)."""
    from ecopark.io.printed_table import read_printed_table

    return read_printed_table(path, load_framework(framework))


def _finding(finding: Finding, mandatory: set[int]) -> dict[str, Any]:
    row = dataclasses.asdict(finding)
    row["mandatory"] = finding.number in mandatory
    return row


def _counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(TIERS, 0)
    for f in findings:
        counts[rank_key(f)] += 1
    return counts


def rank_key(finding: dict[str, Any]) -> str:
    """The tier a finding counts in."""
    if finding["kind"] == "overall_verdict_flip":
        return "overall_flips"
    if finding["kind"] == "verdict_flip":
        return "verdict_flips"
    if finding["severity"] == "error":
        return "errors"
    if finding["severity"] == "warning":
        return "mandatory" if finding["mandatory"] and finding["kind"] in _VALUE_KINDS \
            else "warnings"
    return "notes"
