"""Uploaded files, parsed where a hostile one can cost only a child process.

`parse_upload(file, limits, reader, *args)` saves the upload in a temporary folder (keeping its
suffix: the readers choose by suffix) and runs `reader(path, *args)` in a child process that
has at most `limits.memory_mb` of address space and `limits.cpu_seconds` of CPU. The child is
forked from a fork server (started once, fresh: it inherits none of the server's database
connections or threads) that has the readers imported already, so a child starts in
milliseconds. The child sends back the parsed value, or the typed error, which pickles; a
child killed for passing its limits, or taking more than twice its CPU time in wall-clock
time, is a typed error too. Every error names the uploaded file by its own (client) name,
never the server's temporary path.

The readers a child runs are the functions below (`dataset_spec`, `reported`, `printed`): they
take and return only what pickles, so the framework objects are loaded on each side.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from starlette.datastructures import UploadFile

from ecopark.core.dataset.model import Dataset
from ecopark.core.dataset.schema import DatasetFile, Reported
from ecopark.core.errors import EcoparkError
from ecopark.io.limited import CONTEXT, Limits, renamed, run_limited
from ecopark.store.settings import Settings

__all__ = ["Limits", "dataset_spec", "limits_of", "parse_upload", "printed", "reported", "suffix",
           "upload_name"]

T = TypeVar("T")
CONTEXT.set_forkserver_preload(["ecopark.web.uploads", "ecopark.store.sources",
                                "ecopark.io.workbook", "ecopark.io.printed_table"])


def limits_of(settings: Settings) -> Limits:
    return Limits(settings.upload_memory_mb, settings.upload_cpu_seconds)


def upload_name(file: UploadFile) -> str:
    """The uploaded file's own name (no folders), as errors name it."""
    return Path(file.filename or "upload").name[:200]


def suffix(file: UploadFile) -> str:
    """The suffix the saved upload has: the readers choose by it."""
    return Path(upload_name(file)).suffix.lower()[:10]


def parse_upload(file: UploadFile, limits: Limits, reader: Callable[..., T], *args: Any) -> T:
    """`reader(path, *args)` of the uploaded file, run in a limited child process."""
    name = upload_name(file)
    with tempfile.TemporaryDirectory(prefix="ecopark-upload-") as folder:
        path = Path(folder) / f"upload{suffix(file)}"
        file.file.seek(0)
        path.write_bytes(file.file.read())
        try:
            return run_limited(path, limits, reader, args)
        except EcoparkError as exc:
            raise renamed(exc, path, name) from None


# ------------------------------------------------------------------------ run in the child


def dataset_spec(path: Path, framework: str | None = None) -> DatasetFile:
    """A dataset file or workbook as a DatasetFile (`ecopark.store.sources`)."""
    from ecopark.store.sources import read_dataset_spec

    return read_dataset_spec(path, framework)[0]


def reported(path: Path, framework: str) -> Reported:
    """A printed table (YAML, .docx or .xlsx) read for the framework of that key."""
    from ecopark.core.framework.loading import load_framework
    from ecopark.store.sources import read_reported

    return read_reported(path, load_framework(framework))


def printed(path: Path, framework: str, base_year: int | None, year: int | None) -> Dataset:
    """A printed table as a dataset (`ecopark.io.printed_table`)."""
    from ecopark.core.framework.loading import load_framework
    from ecopark.io.printed_table import read_printed_table

    return read_printed_table(path, load_framework(framework), base_year=base_year, year=year)
