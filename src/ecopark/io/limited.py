"""Reading an untrusted file in a child process that can cost only itself.

`run_limited(path, limits, reader, args)` runs `reader(path, *args)` in a child process that has
at most `limits.memory_mb` of address space and `limits.cpu_seconds` of CPU. The child is forked
from a fork server (started once, fresh: it inherits none of the parent's database connections
or threads), so a child starts in milliseconds. The child sends back the parsed value, or the
typed error, which pickles; a child killed for passing its limits, or taking more than twice its
CPU time in wall-clock time, is a typed error too. `reader` and its arguments must pickle (a
module-level function). Used by the web's uploads (`ecopark.web.uploads`) and by the jobs that
read uploaded files (batch verification, bulk imports).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from pathlib import Path
from typing import Any, TypeVar

from ecopark.core.errors import EcoparkError, InputFileError

__all__ = ["CONTEXT", "Limits", "renamed", "run_limited"]

T = TypeVar("T")
_FORKSERVER = "forkserver" in multiprocessing.get_all_start_methods()  # not on Windows: spawn
CONTEXT: ForkServerContext | SpawnContext = multiprocessing.get_context("forkserver") \
    if _FORKSERVER else multiprocessing.get_context("spawn")
_STARTUP_SECONDS = 20  # a first upload starts the fork server, which imports the readers


@dataclasses.dataclass(frozen=True)
class Limits:
    memory_mb: int
    cpu_seconds: int


def run_limited(path: Path, limits: Limits, reader: Callable[..., T],
                args: tuple[Any, ...]) -> T:
    """`reader(path, *args)` in a limited child process: its value, or its typed error."""
    receive, send = CONTEXT.Pipe(duplex=False)
    child = CONTEXT.Process(target=_child, args=(send, limits, reader, (path, *args)),
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


def renamed(exc: EcoparkError, path: Path, name: str) -> EcoparkError:
    """The error with the temporary path replaced by the uploaded file's name, everywhere (its
    fields, and the problems a WorkbookProblems lists)."""
    fields = exc.fields()
    for key, value in fields.items():
        if isinstance(value, str):
            fields[key] = value.replace(str(path), name).replace(str(path.parent), "")
        elif isinstance(value, list):
            fields[key] = [renamed(v, path, name) if isinstance(v, EcoparkError) else v
                           for v in value]
    return type(exc)(**fields)
