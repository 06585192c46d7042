"""Reading YAML files safely: size limit, safe loader, errors that name file, line and column."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ecopark.errors import InputFileError

__all__ = ["MAX_BYTES", "read_yaml"]

MAX_BYTES = 20 * 1024 * 1024
_PLAIN_DECIMAL = re.compile(r"^[-+]?\d+\.\d+$")


def _text_float_loader() -> Any:
    """A safe loader that keeps decimal numbers as written ("7.90" stays "7.90", not 7.9), so a
    printed value keeps its precision."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class TextFloatLoader(base):  # type: ignore[misc, valid-type]
        pass

    def construct(loader: Any, node: Any) -> Any:
        text = loader.construct_scalar(node)
        return text if _PLAIN_DECIMAL.match(text) else loader.construct_yaml_float(node)

    TextFloatLoader.add_constructor("tag:yaml.org,2002:float", construct)
    return TextFloatLoader


def read_yaml(path: Path, floats_as_text: bool = False) -> Any:
    """Parse a YAML file with the safe loader; raise InputFileError naming what went wrong."""
    import yaml

    loader = _text_float_loader() if floats_as_text else getattr(yaml, "CSafeLoader",
                                                                 yaml.SafeLoader)
    if not path.is_file():
        raise InputFileError(str(path), "文件不存在 file not found",
                             "检查路径 check the path")
    if path.stat().st_size > MAX_BYTES:
        raise InputFileError(str(path), f"文件超过 {MAX_BYTES // 2**20} MB file too large")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(str(path), f"无法读取 cannot read: {exc}",
                             "保存为 UTF-8 编码 save it as UTF-8") from None
    try:
        return yaml.load(text, Loader=loader)  # a safe loader (CSafeLoader or SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列 line {mark.line + 1}, column " \
                f"{mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputFileError(str(path), f"YAML 格式错误 malformed YAML, {where}{problem}",
                             "检查缩进、冒号与引号 check indentation, colons and quotes") from None
