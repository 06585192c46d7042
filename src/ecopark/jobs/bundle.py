"""The files a batch job works on, carried as one zip: a reviewer's or an admin's upload of
several files, or of one zip, checked before anything inside it is read.

The job's input is itself such a zip, made by `pack` (a refused file kept as its name and
why, in the member's comment).

An uploaded zip is refused whole (a typed error naming it) when it is not a zip, is encrypted,
holds more than `MAX_MEMBERS` files, or would decompress to more than `MAX_TOTAL` bytes or more
than `MAX_RATIO` times its own size (a zip bomb) — all read from its directory, before a single
member is decompressed. A member is read at most to its declared size (zipfile checks the CRC
and stops there). Members in folders keep only their own name; folders, hidden files and macOS
resource forks are skipped. A member of a kind the job does not read is listed with why, not
read. Each file is then parsed by the job in a limited child process (`ecopark.io.limited`).
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath

from ecopark.core.errors import InputFileError
from ecopark.io.guard import MAX_BYTES, MAX_RATIO

__all__ = ["MAX_MEMBERS", "MAX_TOTAL", "Member", "pack", "unpack"]

MAX_MEMBERS = 200
MAX_TOTAL = 200 * 1024 * 1024
_BOMB_HINT = "检查压缩包来源，或分批上传未压缩的文件 check where the zip came from, or upload the files " \
             "unzipped in smaller batches"


@dataclasses.dataclass(frozen=True)
class Member:
    """One file of the batch: its own name, and its content or why it is not read."""

    name: str
    content: bytes | None
    problem: str = ""  # Chinese and English, when content is None


def pack(files: Iterable[tuple[str, bytes]], suffixes: frozenset[str]) -> bytes:
    """The job's input: every uploaded file, a zip among them opened (and checked) first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            for member in _expand(name, content, suffixes):
                info = zipfile.ZipInfo(_unique(archive, member.name), (2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.comment = member.problem.encode()  # a refused file: why, and no content
                archive.writestr(info, member.content or b"")
    return buffer.getvalue()


def unpack(content: bytes, name: str, suffixes: frozenset[str]) -> list[Member]:
    """The members of the job's input (the zip `pack` made; `name` is how errors call it), in
    name order, each read or refused."""
    return sorted(_members(name, content, suffixes), key=lambda member: member.name)


def _expand(name: str, content: bytes, suffixes: frozenset[str]) -> list[Member]:
    own = PurePosixPath(name.replace("\\", "/")).name[:200] or "upload"
    if own.lower().endswith(".zip"):
        return list(_members(own, content, suffixes))
    return [_member(own, content, suffixes)]


def _member(name: str, content: bytes, suffixes: frozenset[str]) -> Member:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in suffixes:
        return Member(name, None, f"不支持的文件类型（{suffix or '无后缀'}），应为 "
                      f"{' / '.join(sorted(suffixes))} unsupported file type")
    if len(content) > MAX_BYTES:
        return Member(name, None, f"文件过大（超过 {MAX_BYTES // 2**20} MB）file too large")
    return Member(name, content)


def _members(name: str, content: bytes, suffixes: frozenset[str]) -> Iterable[Member]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = [info for info in archive.infolist() if _wanted(info)]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise InputFileError(name, "不是有效的 zip 压缩包 not a valid zip file",
                             "重新压缩后上传 zip the files again") from None
    _check(name, infos, len(content))
    with archive:
        for info in infos:
            own = PurePosixPath(_decoded(info)).name[:200]
            if info.comment:  # refused when the batch was packed
                yield Member(own, None, info.comment.decode(errors="replace"))
                continue
            suffix = PurePosixPath(own).suffix.lower()
            yield _member(own, archive.read(info) if suffix in suffixes else b"", suffixes)


def _decoded(info: zipfile.ZipInfo) -> str:
    """The member's name: zips made on Chinese Windows store it in GBK without saying so."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _wanted(info: zipfile.ZipInfo) -> bool:
    path = PurePosixPath(info.filename)
    return not info.is_dir() and not path.name.startswith(".") and "__MACOSX" not in path.parts


def _check(name: str, infos: list[zipfile.ZipInfo], size: int) -> None:
    """Refuse the whole zip on its directory alone: encrypted, too many files, a bomb."""
    if any(info.flag_bits & 0x1 for info in infos):
        raise InputFileError(name, "压缩包已加密 the zip is password-protected",
                             "去掉密码后重新压缩 zip the files again without a password")
    if len(infos) > MAX_MEMBERS:
        raise InputFileError(name, f"压缩包内文件过多（{len(infos)} 个，最多 {MAX_MEMBERS} 个）"
                             "too many files in the zip", "分批上传 upload them in batches")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL or total > MAX_RATIO * max(size, 1) + 10 * 2**20:
        raise InputFileError(name, f"解压后过大（{total / 2**20:.0f} MB），疑为恶意压缩包 the zip "
                             "decompresses to too much data", _BOMB_HINT)


def _unique(archive: zipfile.ZipFile, name: str) -> str:
    """`name`, or `name (2)` … when the batch already holds a file of that name."""
    taken = set(archive.namelist())
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
    candidate, count = name, 1
    while candidate in taken:
        count += 1
        candidate = f"{stem} ({count}){suffix}"
    return candidate
