"""`ecopark serve --demo` for real: a server process on a free loopback port, its demo logins,
a sign-in and an evaluation over HTTP, then the process is stopped."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def test_serve_demo_prints_logins_and_serves_the_seed_park(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "ECOPARK_ARGON2_MEMORY_KIB": "64", "ECOPARK_ARGON2_TIME_COST": "1"}
    env.pop("ECOPARK_SECRET_KEY", None)
    log = tmp_path / "serve.log"
    with log.open("w") as out, subprocess.Popen(
            [sys.executable, "-m", "ecopark", "serve", "--demo", "--port", str(port),
             "--db", f"sqlite:///{tmp_path / 'demo.sqlite'}"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env) as server:
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(f"{base}/openapi.json", time.monotonic() + 60)
            logins = dict(re.findall(r"^\s+admin\s+(\S+)\s+(\S+)$", log.read_text(), re.M))
            (name, password), = logins.items()
            with httpx.Client(base_url=base) as client:
                signed_in = client.post("/api/v1/auth/login", json={"name": name,
                                                                    "password": password})
                assert signed_in.status_code == 200
                parks = client.get("/api/v1/parks").json()
                evaluation = client.get(f"/api/v1/parks/{parks[0]['id']}/years/2018/evaluation")
                assert evaluation.json()["verdict"]["status"] == "failed"
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert "demo database" in log.read_text()
