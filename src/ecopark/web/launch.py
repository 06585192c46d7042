"""`ecopark serve --demo` as a child process on a free loopback port, for benchmarks, browser
tests and scripts that need a live demo: its URL and the demo logins it prints, and the process
stopped when the `with` block ends.

    with demo_server(Path(tmp)) as server:
        server.url, server.logins["park_officer"]   # ("demo-park_officer", "…")
"""

from __future__ import annotations

import dataclasses
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

__all__ = ["DemoServer", "demo_server", "free_port"]

_LOGIN = re.compile(r"^\s+(admin|park_officer|enterprise|reviewer)\s+(\S+)\s+(\S+)$", re.M)


@dataclasses.dataclass(frozen=True)
class DemoServer:
    url: str
    logins: dict[str, tuple[str, str]]  # role → (user name, password)
    log: Path
    process: subprocess.Popen[bytes]  # None from poll() while it serves; a crash's signal after


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(fast_hashing: bool, extra: Mapping[str, str]) -> dict[str, str]:
    env = {**os.environ}
    env.pop("ECOPARK_SECRET_KEY", None)  # demo mode makes its own (one worker)
    env["PYTHONFAULTHANDLER"] = "1"  # a native crash leaves every thread's stack in the log
    if fast_hashing:  # cheap argon2 parameters: sign-ins in tests and benchmarks stay fast
        env.update(ECOPARK_ARGON2_MEMORY_KIB="64", ECOPARK_ARGON2_TIME_COST="1")
    env.update(extra)
    return env


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as reply:
            return int(reply.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait(server: subprocess.Popen[bytes], url: str, log: Path, timeout: float,
          workers: int) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"ecopark serve stopped (exit {server.returncode}):\n"
                               f"{log.read_text(encoding='utf-8')[-2000:]}")
        started = log.read_text(encoding="utf-8").count("Application startup complete")
        if started >= workers and _answers(url):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:g} s")


@contextmanager
def demo_server(folder: Path, timeout: float = 60.0, fast_hashing: bool = True,
                db: str | None = None, workers: int = 1,
                environment: Mapping[str, str] | None = None) -> Iterator[DemoServer]:
    """Serve a fresh demo database — an SQLite file kept in `folder`, or the empty database
    `db` — until the block ends, in `workers` processes (more than one: `db` on PostgreSQL and
    ECOPARK_SECRET_KEY in `environment`), each started before the block begins; `environment`
    adds to this process's. The server's log is kept in `folder`."""
    port = free_port()
    log = folder / "serve.log"
    command = [sys.executable, "-m", "ecopark", "serve", "--demo", "--port", str(port),
               "--workers", str(workers), "--db", db or f"sqlite:///{folder / 'demo.sqlite'}"]
    env = _environment(fast_hashing, environment or {})
    with log.open("w") as out, subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                                env=env) as server:
        try:
            url = f"http://127.0.0.1:{port}"
            _wait(server, f"{url}/login", log, timeout, workers)
            found = _LOGIN.findall(log.read_text(encoding="utf-8"))
            yield DemoServer(url, {role: (name, pw) for role, name, pw in found}, log, server)
        finally:
            server.terminate()
            server.wait(timeout=30)
