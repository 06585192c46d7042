"""The image and compose.yaml for real: scripts/container-check builds the image, starts the
compose project (PostgreSQL, migrations, server), adds the first admin, assesses the bundled
example and writes its PDF inside the container, signs in over HTTP, backs up and restores,
and checks /readyz with the database stopped — then tears everything down.

Runs where Docker's daemon answers and compose is installed; skipped, with the reason, elsewhere.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _why_not() -> str | None:
    if shutil.which("docker") is None:
        return "docker is not installed"
    try:
        if subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode:
            return "the Docker daemon does not answer (docker info)"
    except subprocess.TimeoutExpired:
        return "the Docker daemon does not answer within 20 s (docker info)"
    plugin = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=20)
    if plugin.returncode and shutil.which("docker-compose") is None:
        return "neither `docker compose` nor `docker-compose` is installed"
    return None


WHY_NOT = _why_not()


@pytest.mark.skipif(WHY_NOT is not None, reason=str(WHY_NOT))
def test_the_container_check_passes() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "container-check")],
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "container check passed; torn down" in result.stdout
    assert "database stopped: /readyz 503" in result.stdout
