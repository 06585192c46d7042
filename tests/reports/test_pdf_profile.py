"""The PDF conversion keeps LibreOffice's user profile between conversions (issue 14, speed):
in the user's cache folder under a lock; a conversion that finds it locked uses a fresh one in
its own folder, and a conversion that fails with the kept one is retried with a fresh one."""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path

import pytest
from docx import Document

from ecopark.reports import report_pdf

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="LibreOffice (soffice) is not installed")


@pytest.fixture
def docx(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "note.docx"
    path.parent.mkdir()
    document = Document()
    document.add_paragraph("园区年度评价报告")
    document.save(str(path))
    return path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "ecopark" / "libreoffice"


def test_the_profile_is_kept_in_the_cache(docx: Path, cache: Path) -> None:
    out = docx.parent
    pdf = report_pdf.convert(docx, out)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert (cache / "profile" / "user").is_dir()  # set up once, kept
    assert not (out / "lo-profile").exists()
    pdf.unlink()
    assert report_pdf.convert(docx, out).exists()  # and used again


def test_a_locked_profile_is_left_alone(docx: Path, cache: Path) -> None:
    cache.mkdir(parents=True)
    with (cache / "lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another conversion is running
        pdf = report_pdf.convert(docx, docx.parent)
    assert pdf.exists() and (docx.parent / "lo-profile" / "user").is_dir()
    assert not (cache / "profile").exists()


def test_a_spoilt_profile_is_replaced(docx: Path, cache: Path) -> None:
    (cache / "profile").mkdir(parents=True)
    (cache / "profile" / "user").write_text("not a folder")  # LibreOffice cannot use it
    pdf = report_pdf.convert(docx, docx.parent)
    assert pdf.exists()
    assert not (cache / "profile").exists()  # discarded: the next conversion starts afresh
