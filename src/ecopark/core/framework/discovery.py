"""Finding frameworks: every framework, ecopark's own included, comes from one of two sources.

1. **An entry point** in the group `ecopark.frameworks` of an installed Python package. The
   entry point's name is the framework id; its object is the framework file's path (a `str` or
   `Path`), or a callable without arguments that returns it. A callable may first register the
   providers the framework needs (`ecopark.core.framework.providers.register_provider`). The two
   shipped frameworks are declared this way in ecopark's own pyproject.toml.
2. **A framework directory**, named by the environment variable `ECOPARK_FRAMEWORKS_DIR` (several
   directories separated by the path separator, `:` on Linux). Each `*.yaml` file in it is a
   framework whose id is the file's name without `.yaml`. Each `*.py` file in it is run once,
   sorted by name and before any framework is loaded, to register providers.

Two sources giving one id is an error that names both, never a silent choice. Discovery runs on
first use, not at import: the entry points are read once per process (reading them opens the
metadata of every installed package), a directory once per value of the variable.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
import os
import sys
import threading
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Literal

from ecopark.core.errors import EcoparkError, PluginError

__all__ = ["DIRECTORY_VARIABLE", "GROUP", "Found", "found_frameworks", "refresh"]

GROUP = "ecopark.frameworks"
DIRECTORY_VARIABLE = "ECOPARK_FRAMEWORKS_DIR"

_LOCK = threading.RLock()


@dataclasses.dataclass(frozen=True)
class Found:
    """A framework found: its id, its file, and where it came from (`kind`; `name` is the
    entry point as `<name> = <object>` or the directory; `package` the distribution and its
    version, for an entry point)."""

    id: str
    file: Path
    kind: Literal["entry_point", "directory"]
    name: str
    package: str = ""

    @property
    def source(self) -> str:
        """One line naming where the framework came from, as errors and tables show it."""
        if self.kind == "entry_point":
            return f"{GROUP} 入口 entry point {self.name} ({self.package or '?'})"
        return f"目录 directory {self.name}"


def found_frameworks() -> dict[str, Found]:
    """Every framework found, by id: entry points first, then the directories in order."""
    return _found(os.environ.get(DIRECTORY_VARIABLE, ""))


def refresh() -> None:
    """Read the entry points and directories again on next use (after installing a package
    into the running process, as a test does; a directory's modules are not run again)."""
    with _LOCK:
        _found.cache_clear()
        _from_entry_points.cache_clear()


@functools.cache
def _found(directories: str) -> dict[str, Found]:
    with _LOCK:
        found: dict[str, Found] = {}
        listed = [Path(part) for part in directories.split(os.pathsep) if part.strip()]
        for each in (*_from_entry_points(), *_from_directories(listed)):
            if each.id in found:
                first = found[each.id]
                raise PluginError(f"{first.source}; {each.source}", f"两处给出同一个指标体系 "
                                  f"{each.id!r} two sources give the framework {each.id!r}",
                                  "删去或改名其一 remove or rename one of them")
            found[each.id] = each
        return found


# ---------------------------------------------------------------------------- entry points


@functools.cache
def _from_entry_points() -> tuple[Found, ...]:
    return tuple(_from_entry_point(point)
                 for point in sorted(entry_points(group=GROUP), key=lambda p: p.name))


def _from_entry_point(point: EntryPoint) -> Found:
    package = f"{point.dist.name} {point.dist.version}" if point.dist else ""
    found = Found(point.name, Path(), "entry_point", f"{point.name} = {point.value}", package)
    file = _run_entry_point(point, found.source)
    if not isinstance(file, (str, os.PathLike)):
        raise PluginError(found.source, f"给出的不是文件路径 gives {type(file).__name__}, not "
                          "a file path", "返回指标体系 YAML 文件的路径 return the framework "
                          "YAML file's path")
    path = Path(file)
    if not path.is_file():
        raise PluginError(found.source, f"文件不存在 no such file: {path}")
    return dataclasses.replace(found, file=path.resolve())


def _run_entry_point(point: EntryPoint, source: str) -> object:
    try:
        target = point.load()
        return target() if callable(target) else target
    except EcoparkError:
        raise
    except Exception as exc:  # a plugin's own code: whatever it raises is reported, with place
        raise PluginError(source, f"无法加载 cannot be loaded: {type(exc).__name__}: {exc}",
                          "检查该软件包是否完整安装 check that the package is fully installed"
                          ) from None


# ----------------------------------------------------------------------------- directories


def _from_directories(directories: Iterable[Path]) -> list[Found]:
    found: list[Found] = []
    for directory in directories:
        found.extend(_from_directory(directory))
    return found


def _from_directory(directory: Path) -> list[Found]:
    if not directory.is_dir():
        raise PluginError(f"目录 directory {directory}", "不是可读的目录 not a readable directory",
                          f"检查 check {DIRECTORY_VARIABLE}")
    resolved = directory.resolve()
    for module_file in sorted(resolved.glob("*.py")):
        _run_module(module_file)
    files = sorted([*resolved.glob("*.yaml"), *resolved.glob("*.yml")])
    return [Found(file.stem, file, "directory", str(resolved)) for file in files]


def _run_module(file: Path) -> None:
    """Run a directory's Python module once per process, under a name of its own."""
    digest = hashlib.sha1(str(file.parent).encode(), usedforsecurity=False).hexdigest()[:10]
    name = f"ecopark_frameworks_dir_{digest}.{file.stem}"
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise PluginError(f"文件 file {file}", "不是可运行的 Python 模块 not a runnable Python "
                          "module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except EcoparkError:
        del sys.modules[name]
        raise
    except Exception as exc:  # a plugin's own code: whatever it raises is reported, with place
        del sys.modules[name]
        raise PluginError(f"文件 file {file}", f"运行出错 fails: {type(exc).__name__}: {exc}",
                          "修正该模块 fix the module") from None
