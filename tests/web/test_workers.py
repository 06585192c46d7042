"""`ecopark serve --workers 2` on PostgreSQL, for real: two worker processes behind one port,
and a browser's session, its CSRF token and the values' versions are honoured by both — each
request's worker is read from its JSON log line (pid), found by the request id the test sent.
The refusals need no database: several workers on SQLite, or without a secret from the
environment."""

from __future__ import annotations

import json
import os
import secrets
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from ecopark.cli import app
from ecopark.web.launch import DemoServer, demo_server

from ..dbfixtures import PG_URL, _pg_schema

runner = CliRunner()
V1 = "/api/v1"


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[DemoServer]:
    if PG_URL is None:
        pytest.skip("ECOPARK_TEST_DATABASE_URL is not set (several workers need PostgreSQL)")
    for url in _pg_schema(PG_URL):
        environment = {"ECOPARK_SECRET_KEY": secrets.token_urlsafe(48),
                       "ECOPARK_LOG_FORMAT": "json", "ECOPARK_TRUST_REQUEST_ID": "true"}
        with demo_server(tmp_path, timeout=120, db=url, workers=2,
                         environment=environment) as server:
            yield server


def _pids(server: DemoServer, ids: list[str]) -> dict[str, int]:
    """The worker pid that answered each request id, from the server's log."""
    wanted, found = set(ids), {}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(found) < len(wanted):
        for line in server.log.read_text(encoding="utf-8").splitlines():
            if line.startswith("{"):
                record = json.loads(line)
                if record.get("request_id") in wanted:
                    found[record["request_id"]] = record["pid"]
        time.sleep(0.1)
    assert set(found) == wanted
    return found


def _send(client: httpx.Client, method: str, url: str, **options: object) -> tuple[str, httpx.Response]:
    """One request on a new connection (the kernel picks a worker for each), with its own id."""
    request_id = uuid.uuid4().hex
    headers = {"Connection": "close", "X-Request-ID": request_id,
               **options.pop("headers", {})}  # type: ignore[dict-item]
    reply = client.request(method, url, headers=headers, **options)  # type: ignore[arg-type]
    assert reply.headers["X-Request-ID"] == request_id
    return request_id, reply


def test_a_session_csrf_token_and_versions_hold_across_two_workers(
        two_workers: DemoServer) -> None:
    server = two_workers
    name, password = server.logins["park_officer"]
    with httpx.Client(base_url=server.url, timeout=30) as client:
        signed_in = client.post(f"{V1}/auth/login", json={"name": name, "password": password},
                                headers={"Connection": "close"})
        assert signed_in.status_code == 200
        csrf = signed_in.json()["csrf_token"]
        park = client.get(f"{V1}/parks", headers={"Connection": "close"}).json()[0]["id"]
        value = f"{V1}/parks/{park}/observations/energy/2018"

        # the session is recognised by both workers
        reads: dict[str, httpx.Response] = {}
        for _ in range(60):
            request_id, reply = _send(client, "GET", value)
            reads[request_id] = reply
            if len(set(_pids(server, list(reads)).values())) == 2:
                break
        assert [r.status_code for r in reads.values()] == [200] * len(reads)
        assert len(set(_pids(server, list(reads)).values())) == 2

        # a token given by one worker is accepted by both; each write is based on the last
        writes: dict[str, httpx.Response] = {}
        version = int(next(iter(reads.values())).headers["ETag"].strip('"'))
        for step in range(60):
            request_id, reply = _send(client, "PUT", value, json={"value": 2.7 + step / 100,
                                                                  "unit": "万吨标准煤"},
                                      headers={"X-CSRF-Token": csrf, "If-Match": f'"{version}"'})
            assert reply.status_code == 200, reply.text
            assert int(reply.headers["ETag"].strip('"')) == version + 1
            version += 1
            writes[request_id] = reply
            if len(set(_pids(server, list(writes)).values())) == 2:
                break
        written_by = _pids(server, list(writes))
        assert len(set(written_by.values())) == 2

        # a write based on a version another worker has replaced is refused (412), both ways
        last_writer = written_by[list(writes)[-1]]
        stale_on: set[int] = set()
        for stale_count in range(1, 61):  # noqa: B007 (the count is checked in /metrics)
            request_id, reply = _send(client, "PUT", value, json={"value": 1.0},
                                      headers={"X-CSRF-Token": csrf,
                                               "If-Match": f'"{version - 1}"'})
            assert reply.status_code == 412, reply.text
            stale_on.add(_pids(server, [request_id])[request_id])
            if stale_on - {last_writer}:
                break
        assert stale_on - {last_writer}
        current = client.get(value, headers={"Connection": "close"})
        assert current.headers["ETag"] == f'"{version}"'
        assert current.json()["value"] == pytest.approx(2.7 + (len(writes) - 1) / 100)

        # a made-up token is refused by either
        _, forged = _send(client, "PUT", value, json={"value": 1.0},
                          headers={"X-CSRF-Token": "x" * 40, "If-Match": "*"})
        assert forged.status_code == 401
        assert forged.json()["error"]["message_en"].endswith("missing or wrong X-CSRF-Token header")

        # /metrics from either worker counts the requests of both
        route = f"{V1}/parks/{{park_id}}/observations/{{item}}/{{year}}"
        for _ in range(2):
            page = client.get("/metrics", headers={"Connection": "close"}).text
            assert (f'ecopark_http_requests_total{{method="GET",route="{route}",status="200"}} '
                    f"{len(reads) + 1}.0") in page
            assert (f'ecopark_http_requests_total{{method="PUT",route="{route}",status="412"}} '
                    f"{stale_count}.0") in page


def test_several_workers_on_sqlite_are_refused(tmp_path: Path) -> None:
    env = {"ECOPARK_SECRET_KEY": "s" * 48, "ECOPARK_DATABASE_URL": ""}
    result = runner.invoke(app, ["serve", "--workers", "2", "--db",
                                 f"sqlite:///{tmp_path / 'one.sqlite'}"], env=env)
    assert result.exit_code == 2
    assert ("设置 --workers：内置 SQLite 数据库只能由一个进程服务，不能用 2 个 the embedded SQLite "
            "database is served by one process (WAL), not 2") in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "one.sqlite").exists()


def test_several_workers_without_a_secret_in_the_environment_are_refused() -> None:
    env = {k: v for k, v in os.environ.items() if k != "ECOPARK_SECRET_KEY"}
    result = runner.invoke(app, ["serve", "--workers", "3", "--db",
                                 "postgresql://nobody@127.0.0.1:1/none"],
                           env={**env, "ECOPARK_SECRET_KEY": ""})
    assert result.exit_code == 2
    assert ("设置 ECOPARK_SECRET_KEY：3 个工作进程须共用同一个密钥，请在环境变量中设置 3 worker "
            "processes must share one secret key") in result.stderr
    assert "Traceback" not in result.output
