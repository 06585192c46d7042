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

import dataclasses
import multiprocessing
import tempfile
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from pathlib import Path
from typing import Any, TypeVar

from starlette.datastructures import UploadFile

from ecopark.core.dataset.model import Dataset
from ecopark.core.dataset.schema import DatasetFile, Reported
from ecopark.core.errors import EcoparkError, InputFileError
from ecopark.store.settings import Settings

__all__ = ["Limits", "dataset_spec", "limits_of", "parse_upload", "printed", "reported", "suffix",
           "upload_name"]

T = TypeVar("T")
_FORKSERVER = "forkserver" in multiprocessing.get_all_start_methods()  # not on Windows: spawn
_CONTEXT: ForkServerContext | SpawnContext = multiprocessing.get_context("forkserver") \
    if _FORKSERVER else multiprocessing.get_context("spawn")
_CONTEXT.set_forkserver_preload(["ecopark.web.uploads", "ecopark.store.sources",
                                 "ecopark.io.workbook", "ecopark.io.printed_table"])
_STARTUP_SECONDS = 20  # a first upload starts the fork server, which imports the readers


@dataclasses.dataclass(frozen=True)
class Limits:
    memory_mb: int
    cpu_seconds: int


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
            return _in_child(path, limits, reader, args)
        except EcoparkError as exc:
            raise _renamed(exc, path, name) from None


def _in_child(path: Path, limits: Limits, reader: Callable[..., T], args: tuple[Any, ...]) -> T:
    receive, send = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, args=(send, limits, reader, (path, *args)),
                             daemon=True)
    child.start()
    send.close()
    try:
        reply = _reply(receive, 2 * limits.cpu_seconds + _STARTUP_SECONDS)
    finally:
        receive.close()
        child.kill()
        child.join()
    if reply is None:
        raise _too_much(str(path), limits)
    kind, value = reply
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    if kind == "memory":
        raise _too_much(str(path), limits)
    raise value


def _reply(receive: Connection, seconds: float) -> tuple[str, Any] | None:
    """The child's reply; None when it died or did not answer in time."""
    try:
        reply: tuple[str, Any] | None = receive.recv() if receive.poll(seconds) else None
        return reply
    except (EOFError, OSError):
        return None


def _child(send: Connection, limits: Limits, reader: Callable[..., Any],
           args: tuple[Any, ...]) -> None:
    """In the child: limit, read, send back the value or the error."""
    _limit(limits)
    try:
        reply: tuple[str, Any] = ("ok", reader(*args))
    except EcoparkError as exc:
        reply = ("error", exc)
    except MemoryError:
        reply = ("memory", None)
    except Exception as exc:  # a bug: raised again in the server, where it is logged
        reply = ("error", RuntimeError(f"{type(exc).__name__}: {exc}"))
    send.send(reply)
    send.close()


def _limit(limits: Limits) -> None:
    """Cap the child's address space and CPU time (POSIX; elsewhere only the wall clock)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    memory = limits.memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))


def _too_much(file: str, limits: Limits) -> InputFileError:
    return InputFileError(file, f"文件过大或过于复杂，无法在限额内读取（内存 {limits.memory_mb} MB，"
                          f"CPU {limits.cpu_seconds} 秒）the file is too large or too complex to "
                          "read within the limits", "拆分文件，或删除多余的工作表、行列与段落 split "
                          "the file, or delete the sheets, rows and paragraphs not needed")


def _renamed(exc: EcoparkError, path: Path, name: str) -> EcoparkError:
    """The error with the temporary path replaced by the uploaded file's name, everywhere (its
    fields, and the problems a WorkbookProblems lists)."""
    fields = exc.fields()
    for key, value in fields.items():
        if isinstance(value, str):
            fields[key] = value.replace(str(path), name).replace(str(path.parent), "")
        elif isinstance(value, list):
            fields[key] = [_renamed(v, path, name) if isinstance(v, EcoparkError) else v
                           for v in value]
    return type(exc)(**fields)


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
