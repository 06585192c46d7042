"""The example datasets that ship inside the package (`ecopark/examples/<name>/`): the seed park
(wujin-2018, with its filled workbook) and the zero-carbon demo. Found through the installed
package, so an installed wheel has them as a source checkout does (there `src/ecopark/examples`
points at the repository's `examples/`).

    names()                      ["wujin-2018", "zero-carbon-demo"]
    dataset("wujin-2018")        the path of its dataset.yaml
    copy("wujin-2018", Path("."))  ./wujin-2018/ with every file of the example
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from ecopark.core.errors import InputFileError

__all__ = ["copy", "dataset", "folder", "names", "title"]


def _root() -> Path:
    return Path(str(resources.files("ecopark"))) / "examples"


def names() -> list[str]:
    """The bundled examples, by name (each a folder holding a dataset.yaml)."""
    root = _root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "dataset.yaml").is_file())


def folder(name: str) -> Path:
    """The folder of the bundled example `name`; InputFileError lists the ones there are."""
    if name not in names():
        raise InputFileError(name, "没有这个示例 there is no bundled example of this name",
                             "可用 available: " + ("、".join(names()) or "—"))
    return _root() / name


def dataset(name: str) -> Path:
    """The dataset.yaml of the bundled example `name`."""
    return folder(name) / "dataset.yaml"


def title(name: str) -> str:
    """The example's one-line description: the first comment line of its dataset naming it."""
    for line in dataset(name).read_text(encoding="utf-8").splitlines():
        text = line.lstrip("#").strip()
        if text and not set(text) <= {"=", "-"}:
            return text.split("—", 1)[-1].strip()
    return name


def copy(name: str, destination: Path) -> Path:
    """Copy the example's files into `destination/<name>/` (made if missing) and return that
    folder; an existing one is refused rather than overwritten."""
    source = folder(name)
    target = destination / name
    if target.exists():
        raise InputFileError(str(target), "已存在 already exists; not overwritten",
                             "换一个目标目录 choose another folder, or remove it first")
    try:
        shutil.copytree(source, target)
    except OSError as exc:
        raise InputFileError(str(target), f"无法写入 cannot write here: {exc.strerror or exc}",
                             "换一个可写的目标目录 choose a folder you can write to") from None
    return target
