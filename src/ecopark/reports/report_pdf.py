"""The annual evaluation report as PDF: the Word document (report_docx) converted by LibreOffice.

Converting the .docx — rather than laying the PDF out a second time — makes the PDF say exactly
what the Word file says. LibreOffice runs headless with its own user profile (so it neither
needs nor touches the user's own) and a 180 s timeout. The profile is kept between conversions
in ~/.cache/ecopark/libreoffice (XDG_CACHE_HOME) under a file lock, which saves LibreOffice its
first-start set-up each time; a conversion that finds it locked (two at once) or cannot keep it
uses a temporary one, and a conversion that fails with the kept one is retried with a fresh one.

The document asks for 宋体 and 黑体, which Linux rarely has. For the conversion a private
fontconfig file (including the system's) lets those names fall back to Noto Serif CJK SC and
Noto Sans CJK SC — only where the fonts are missing — so the PDF is typeset in the same kind of
faces on any machine with the Noto CJK fonts (scripts/system-deps installs them).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ecopark.core.errors import InputFileError
from ecopark.reports import report_docx
from ecopark.reports.narrative import Report

__all__ = ["TIMEOUT", "convert", "soffice", "write"]

TIMEOUT = 180
_FALLBACKS = {"宋体": ("Noto Serif CJK SC",), "SimSun": ("Noto Serif CJK SC",),
              "黑体": ("Noto Sans CJK SC",), "SimHei": ("Noto Sans CJK SC",),
              "Times New Roman": ("Liberation Serif", "Noto Serif CJK SC")}
_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}
</fontconfig>
"""


def write(report: Report, path: Path) -> None:
    """Write `report` to `path` (.pdf) through a temporary .docx."""
    with tempfile.TemporaryDirectory(prefix="ecopark-report-") as tmp:
        folder = Path(tmp)
        docx = folder / f"{path.stem or 'report'}.docx"
        report_docx.write(report, docx)
        pdf = convert(docx, folder)
        shutil.copyfile(pdf, path)


def soffice() -> str:
    """The LibreOffice executable, or an error saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise InputFileError("soffice", "找不到 LibreOffice，无法生成 PDF LibreOffice (soffice) is "
                             "needed to write the PDF and was not found",
                             "安装 install libreoffice-writer: sudo apt-get install "
                             "libreoffice-writer (Debian/Ubuntu, or scripts/system-deps); 或改为输出 "
                             ".docx or write a .docx instead")
    return found


def convert(docx: Path, folder: Path) -> Path:
    """Convert `docx` to PDF in `folder` with LibreOffice headless; the PDF's path. The user
    profile is the kept one when it is free (a fresh one otherwise, and again after a failure
    with the kept one, which is then discarded)."""
    with _kept_profile() as kept:
        if kept is not None:
            done = _run(docx, folder, kept)
            if _converted(done, docx):
                return docx.with_suffix(".pdf")
            shutil.rmtree(kept, ignore_errors=True)  # maybe spoilt: the next run starts afresh
    fresh = folder / "lo-profile"
    return _checked(_run(docx, folder, fresh), docx)


def _run(docx: Path, folder: Path, profile: Path) -> subprocess.CompletedProcess[str] | None:
    """One LibreOffice conversion with `profile` as its user installation (None: timed out)."""
    profile.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "FONTCONFIG_FILE": str(_fonts_conf(profile))}
    command = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", "--convert-to", "pdf", "--outdir", str(folder), str(docx)]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=env,
                              check=False)
    except subprocess.TimeoutExpired:
        return None


def _converted(done: subprocess.CompletedProcess[str] | None, docx: Path) -> bool:
    return done is not None and done.returncode == 0 and docx.with_suffix(".pdf").exists()


def _checked(done: subprocess.CompletedProcess[str] | None, docx: Path) -> Path:
    if done is None:
        raise InputFileError(str(docx), f"LibreOffice 转换超过 {TIMEOUT} 秒 the conversion took "
                             f"longer than {TIMEOUT} s", "关闭其他 LibreOffice 进程后重试 close "
                             "other LibreOffice processes and retry")
    if not _converted(done, docx):
        problem = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise InputFileError(str(docx), f"LibreOffice 未能转换为 PDF could not convert to PDF: "
                             f"{problem[0]}", "检查 LibreOffice 安装 check the LibreOffice "
                             "installation (libreoffice-writer)")
    return docx.with_suffix(".pdf")


@contextlib.contextmanager
def _kept_profile() -> Iterator[Path | None]:
    """The LibreOffice user profile kept between conversions (in the user's cache folder:
    a fresh profile costs LibreOffice 1–2 s of set-up on every start), held with an exclusive
    lock for the conversion; None when it is in use by another conversion, or cannot be made
    (no cache folder, no file locks on this system)."""
    try:
        import fcntl

        root = _cache() / "libreoffice"
        root.mkdir(parents=True, exist_ok=True)
        handle = (root / "lock").open("w")
    except (ImportError, OSError):
        yield None
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another conversion has it
            yield None
            return
        yield root / "profile"


def _cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ecopark"


def _fonts_conf(folder: Path) -> Path:
    """fontconfig: the system's configuration, plus the fallbacks of 宋体 / 黑体 / Times New Roman
    (`accept`: used only where the named font itself is missing; the first of the fallbacks
    installed is taken)."""
    aliases = "\n".join(
        f"  <alias><family>{name}</family><accept>"
        + "".join(f"<family>{family}</family>" for family in families) + "</accept></alias>"
        for name, families in _FALLBACKS.items())
    path = folder / "fonts.conf"
    path.write_text(_FONTS_CONF.format(aliases=aliases), encoding="utf-8")
    return path
