"""Bulk import (job kind `import.bulk`): an admin's dataset files (YAML/JSON datasets or data
workbooks, sent as files or in one zip), each imported into the park it names.

Each file is read in a limited child process (`ecopark.io.limited`), then stored in a
transaction of its own: all of it or nothing of it. A file naming a park that does not exist
is that file's error (a bulk import never creates parks: a misspelt name would otherwise start
a second series); so is a file that cannot be read or whose data are invalid. The other files
are imported regardless. The park-year is replaced like a confirmed import on the pages
(`save_dataset(replace=True, via="import")`), written and audited as the admin who asked.

The result is JSON: one entry per file, in file-name order — the file, the park and year, and
`imported` (how many values were written) or its error in Chinese and English.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.errors import EcoparkError, InputFileError, NotFound
from ecopark.core.framework.loading import load_framework
from ecopark.io.limited import Limits, renamed, run_limited
from ecopark.jobs import bundle
from ecopark.jobs.kinds import Result, Work, kind
from ecopark.store import repository
from ecopark.store.engine import Store

__all__ = ["REASON", "SUFFIXES", "import_bulk", "read_spec"]

SUFFIXES = frozenset({".yaml", ".yml", ".json", ".xlsx"})
REASON = "批量导入 bulk import"


@kind("import.bulk", steps=3)
def import_bulk(work: Work) -> Result:
    """Every file of the upload imported into its park, each all-or-nothing."""
    work.step(0, "解开上传的文件")
    members = bundle.unpack(work.input or b"", work.input_name or "upload.zip", SUFFIXES)
    work.step(1, "逐个文件导入")
    entries = [_entry(member, work) for member in members]
    work.step(2, "汇总结果")
    body = {"files": len(entries), "imported": sum(1 for e in entries if not e["error"]),
            "outcomes": entries}
    return json.dumps(body, ensure_ascii=False).encode(), "import-bulk.json"


def _entry(member: bundle.Member, work: Work) -> dict[str, Any]:
    entry: dict[str, Any] = {"file": member.name, "park": "", "year": None, "values": 0,
                             "error": member.problem, "error_en": member.problem}
    if member.content is None:
        return entry
    try:
        spec = _read(member, work.limits)
        entry["park"] = spec.park.name
        entry.update(_store(work.store, spec, member.name, work.requested_by or "jobs"))
    except EcoparkError as exc:
        entry.update(error=exc.message("zh"), error_en=exc.message("en"))
    return entry


def _store(store: Store, spec: DatasetFile, name: str, actor: str) -> dict[str, Any]:
    """The file's park-year written in one transaction; an error naming the file when its
    park does not exist."""
    framework = load_framework(spec.framework)
    with store.session(actor) as session:
        try:
            park = repository.park_by_name(session, spec.park.name)  # never created here
        except NotFound:
            raise InputFileError(name, f"系统中没有名为“{spec.park.name}”的园区 no park of that "
                                 "name", "先在系统管理中新建该园区，或改正文件中的园区名称 add the "
                                 "park first, or correct the park's name in the file") from None
        stored = repository.save_dataset(session, spec, framework, park=park.name,
                                         source_file=name, replace=True, via="import",
                                         reason=REASON)
        values = sum(len(series.values) for series in spec.observations.values())
        return {"year": stored.year, "values": values}


def _read(member: bundle.Member, limits: Limits) -> DatasetFile:
    with tempfile.TemporaryDirectory(prefix="ecopark-import-") as folder:
        path = Path(folder) / f"dataset{Path(member.name).suffix.lower()}"
        path.write_bytes(member.content or b"")
        try:
            spec: DatasetFile = run_limited(path, limits, read_spec, ())
            return spec
        except EcoparkError as exc:
            raise renamed(exc, path, member.name) from None


def read_spec(path: Path) -> DatasetFile:
    """In the child: a dataset file or workbook (`ecopark.store.sources`)."""
    from ecopark.store.sources import read_dataset_spec

    return read_dataset_spec(path)[0]



