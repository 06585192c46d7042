"""An uploaded file in a temporary folder, keeping its suffix (the readers choose by suffix),
removed afterwards; errors that name the temporary file name the uploaded one instead."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.datastructures import UploadFile

from ecopark.errors import EcoparkError

__all__ = ["saved_upload"]


def _name(file: UploadFile) -> str:
    return Path(file.filename or "upload").name[:200]


@contextmanager
def saved_upload(file: UploadFile) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="ecopark-upload-") as folder:
        path = Path(folder) / f"upload{Path(_name(file)).suffix.lower()[:10]}"
        file.file.seek(0)
        path.write_bytes(file.file.read())
        try:
            yield path
        except EcoparkError as exc:
            if getattr(exc, "file", None) == str(path):
                raise dataclasses.replace(exc, file=_name(file)) from None  # type: ignore[call-arg]
            raise
