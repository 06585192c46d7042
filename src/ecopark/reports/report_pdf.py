"""The annual evaluation report as PDF: the Word document (report_docx) converted by LibreOffice.

Converting the .docx — rather than laying the PDF out a second time — makes the PDF say exactly
what the Word file says. LibreOffice runs headless with a temporary user profile (so it neither
needs nor touches the user's own, and two conversions can run at once) and a 180 s timeout.

The document asks for 宋体 and 黑体, which Linux rarely has. For the conversion a private
fontconfig file (including the system's) lets those names fall back to Noto Serif CJK SC and
Noto Sans CJK SC — only where the fonts are missing — so the PDF is typeset in the same kind of
faces on any machine with the Noto CJK fonts (scripts/system-deps installs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
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
    """Convert `docx` to PDF in `folder` with LibreOffice headless; the PDF's path."""
    executable = soffice()
    env = {**os.environ, "FONTCONFIG_FILE": str(_fonts_conf(folder))}
    profile = (folder / "lo-profile").as_uri()
    command = [executable, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(folder), str(docx)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=env,
                              check=False)
    except subprocess.TimeoutExpired:
        raise InputFileError(str(docx), f"LibreOffice 转换超过 {TIMEOUT} 秒 the conversion took "
                             f"longer than {TIMEOUT} s", "关闭其他 LibreOffice 进程后重试 close "
                             "other LibreOffice processes and retry") from None
    pdf = docx.with_suffix(".pdf")
    if done.returncode != 0 or not pdf.exists():
        problem = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise InputFileError(str(docx), f"LibreOffice 未能转换为 PDF could not convert to PDF: "
                             f"{problem[0]}", "检查 LibreOffice 安装 check the LibreOffice "
                             "installation (libreoffice-writer)")
    return pdf


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
