"""Reading YAML files safely: size limit, safe loader, errors that name file, line and column.

Every YAML file ecopark reads (datasets, rosters, frameworks, coefficient and rule files) goes
through `read_yaml`. The document is first composed into nodes (libyaml: nesting deeper than
1,000 levels is a YAML error) and the nodes are checked before any Python object is built:

- no aliases (`*name`): an anchor used again is refused, since eight levels of aliases in a
  10 KB file expand to hundreds of millions of values once validated (none of the shipped
  files uses them; a user's file writes the content out in full);
- no key twice in one mapping, naming both lines (YAML keeps the last silently);
- no number of more than `MAX_DIGITS` digits (a 400-digit integer does not fit a float).
"""

from __future__ import annotations

import collections
import re
from pathlib import Path
from typing import Any

from ecopark.core.errors import InputFileError

__all__ = ["MAX_BYTES", "MAX_DIGITS", "read_yaml"]

MAX_BYTES = 20 * 1024 * 1024
MAX_DIGITS = 30
_PLAIN_DECIMAL = re.compile(r"^[-+]?\d+\.\d+$")
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


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
        return _load(text, loader, str(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列 line {mark.line + 1}, column " \
                f"{mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputFileError(str(path), f"YAML 格式错误 malformed YAML, {where}{problem}",
                             "检查缩进、冒号与引号 check indentation, colons and quotes") from None


def _load(text: str, loader_class: Any, file: str) -> Any:
    """Compose, check the nodes, then construct (with a safe loader: CSafeLoader or SafeLoader)."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node, file)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_nodes(root: Any, file: str) -> None:
    """Walk the node graph once (no recursion): aliases, duplicate keys, overlong numbers."""
    seen: set[int] = set()
    queue: collections.deque[tuple[Any, str]] = collections.deque([(root, "")])
    while queue:  # breadth first: an alias is reported where it is first used
        node, where = queue.popleft()
        if id(node) in seen:
            raise _alias(node, where, file)
        seen.add(id(node))
        if isinstance(node.value, str):
            _check_scalar(node, where, file)
        elif isinstance(node.value, list) and node.id == "mapping":
            queue += _mapping_children(node, where, file)
        elif isinstance(node.value, list):
            queue += [(child, f"{where}[{n}]") for n, child in enumerate(node.value)]


def _mapping_children(node: Any, where: str, file: str) -> list[tuple[Any, str]]:
    lines: dict[str, int] = {}
    children = []
    for key, value in node.value:
        name = key.value if isinstance(key.value, str) else f"<{key.id}>"
        line = key.start_mark.line + 1
        if isinstance(key.value, str) and name in lines and name != "<<":
            raise InputFileError(file, f"{_at(where)}键 “{name}” 重复：第 {lines[name]} 行与第 {line} "
                                 f"行 duplicate key '{name}' at lines {lines[name]} and {line}",
                                 "删除或合并其中一处 remove or merge one of them")
        lines.setdefault(name, line)
        path = f"{where}.{name}" if where else name
        children += [(key, path), (value, path)]
    return children


def _check_scalar(node: Any, where: str, file: str) -> None:
    if node.tag in _NUMBER_TAGS and sum(c.isdigit() for c in node.value) > MAX_DIGITS:
        line = node.start_mark.line + 1
        raise InputFileError(file, f"{_at(where)}第 {line} 行的数值超过 {MAX_DIGITS} 位 the number at "
                             f"line {line} has more than {MAX_DIGITS} digits",
                             "检查数值与单位 check the number and its unit")


def _alias(node: Any, where: str, file: str) -> InputFileError:
    line = node.start_mark.line + 1
    return InputFileError(file, f"{_at(where)}引用了第 {line} 行的锚点（YAML 别名 *），数据文件中不允许 "
                          f"refers to the anchor at line {line} (a YAML alias); aliases are not "
                          "allowed", "把引用处的内容完整写出 write the content out in full")


def _at(where: str) -> str:
    return f"{where}：" if where else ""
