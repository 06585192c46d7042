"""Checks an Office file (xlsx/xlsm/docx) must pass before any parser opens it.

An OOXML file is a zip of XML parts. Before parsing we look at the zip's directory only:
the file must be a zip (an encrypted/password-protected OOXML file or a legacy .xls/.doc is an
OLE compound file instead, and is refused with a message; so is a zip whose parts are encrypted,
or that holds two parts whose names differ only in case — readers would not agree which to read),
its parts must not decompress to more than `MAX_UNCOMPRESSED` bytes in total or expand by more
than `MAX_RATIO` (zip bombs), and it must not have more than `MAX_PARTS` parts. A part that
decompresses to more than its declared size is refused by the readers themselves: Python's
zipfile stops at the declared size and checks the CRC, calamine's zip reader raises an error.
Macros are never run: a macro-enabled workbook is read as data and `inspect` reports that it has
macros so callers can say so.
"""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

from ecopark.core.errors import WorkbookError

__all__ = ["MAX_BYTES", "MAX_RATIO", "MAX_UNCOMPRESSED", "OfficeFile", "inspect"]

MAX_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED = 500 * 1024 * 1024
MAX_RATIO = 200
MAX_PARTS = 10_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclasses.dataclass(frozen=True)
class OfficeFile:
    path: Path
    kind: str  # "xlsx" or "docx"
    has_macros: bool
    uncompressed: int


_PASSWORD = ("文件已加密（设有打开密码）或为旧版 .xls/.doc 格式 the file is password-protected or a "
             "legacy .xls/.doc")
_PASSWORD_HINT = "去掉打开密码，另存为 .xlsx / .docx remove the password and save as .xlsx / .docx"


def _refuse(path: Path, problem: str, hint: str = "") -> WorkbookError:
    return WorkbookError(str(path), "", "", problem, hint)


def inspect(path: Path) -> OfficeFile:
    """Check `path` without parsing its XML; raise WorkbookError saying what is wrong."""
    if not path.is_file():
        raise _refuse(path, "文件不存在 file not found", "检查路径 check the path")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _refuse(path, f"文件过大（{size / 2**20:.0f} MB > {MAX_BYTES // 2**20} MB）"
                      "file too large", "拆分文件 split the file")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _OLE_MAGIC:
        raise _refuse(path, _PASSWORD, _PASSWORD_HINT)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise _refuse(path, f"不是有效的 xlsx/docx 文件 not a valid xlsx/docx file ({exc})",
                      "用 Excel/WPS 另存为 .xlsx 或 .docx save it again as .xlsx or .docx") from None
    return _check_parts(path, infos, size)


def _check_parts(path: Path, infos: list[zipfile.ZipInfo], size: int) -> OfficeFile:
    if any(info.flag_bits & 0x1 for info in infos):
        raise _refuse(path, _PASSWORD, _PASSWORD_HINT)
    if len(infos) > MAX_PARTS:
        raise _refuse(path, f"压缩包内部件过多（{len(infos)}）too many parts in the file")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED or total > MAX_RATIO * max(size, 1) + 10 * 2**20:
        raise _refuse(path, f"解压后过大（{total / 2**20:.0f} MB）the file decompresses to too "
                      "much data", "检查文件来源；正常报表不会如此 check where the file came from")
    names = {info.filename for info in infos}
    if len({name.translate(_ASCII_LOWER) for name in names}) < len(infos):  # OPC: names ignore case
        raise _refuse(path, "压缩包内有重名部件 the file holds two parts of the same name",
                      "用 Excel/WPS/Word 打开后另存 open it and save it again")
    if "xl/workbook.xml" in names:
        kind = "xlsx"
    elif "word/document.xml" in names:
        kind = "docx"
    else:
        raise _refuse(path, "既不是 Excel 工作簿也不是 Word 文档 neither a workbook nor a Word "
                      "document", "另存为 .xlsx 或 .docx save as .xlsx or .docx")
    macros = any(name.endswith("vbaProject.bin") for name in names)
    return OfficeFile(path, kind, macros, total)
