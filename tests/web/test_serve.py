"""`ecopark serve --demo` for real: a server process on a free loopback port, its demo logins,
a sign-in and an evaluation over HTTP, then the process is stopped."""

from __future__ import annotations

from pathlib import Path

import httpx

from ecopark.web.launch import demo_server


def test_serve_demo_prints_logins_and_serves_the_seed_park(tmp_path: Path) -> None:
    with demo_server(tmp_path) as server:
        assert set(server.logins) == {"admin", "park_officer", "enterprise", "reviewer"}
        name, password = server.logins["admin"]
        with httpx.Client(base_url=server.url) as client:
            signed_in = client.post("/api/v1/auth/login", json={"name": name,
                                                                "password": password})
            assert signed_in.status_code == 200
            parks = client.get("/api/v1/parks").json()
            evaluation = client.get(f"/api/v1/parks/{parks[0]['id']}/years/2018/evaluation")
            assert evaluation.json()["verdict"]["status"] == "failed"
    assert "demo database" in server.log.read_text(encoding="utf-8")
