"""The layout holds: no import cycle anywhere in src/ecopark, and every part imports only the
parts below it. Read from the source with `ast`, so imports inside functions and under
`TYPE_CHECKING` count as much as those at the top of a module.

An edge is what a statement names: `import a.b` and `from a import b` (b a module) import the
module a.b; `from a import name` imports a. That a parent package runs first is Python's doing
and not an edge. Imports by a string (importlib) are not seen.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterable
from pathlib import Path

import ecopark

SRC = Path(ecopark.__file__).parent

# part → the parts it must not import (part: the first name under ecopark, "(root)" for
# ecopark/__init__.py itself)
FORBIDDEN: dict[str, frozenset[str]] = {
    "core": frozenset({"accounting", "io", "reports", "analysis", "store", "web", "cli", "jobs"}),
    "accounting": frozenset({"io", "store", "web", "cli"}),
    "io": frozenset({"store", "web", "cli"}),
    "reports": frozenset({"store", "web", "cli"}),
    "analysis": frozenset({"store", "web", "cli"}),
    "store": frozenset({"web", "cli"}),
}
ONLY_IN = {"rich": "cli", "typer": "cli", "click": "cli", "fastapi": "web", "starlette": "web"}
CLI_USERS = frozenset({"cli", "__main__"})  # the entry point; nothing else runs the command


@dataclasses.dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int

    def __str__(self) -> str:
        return f"{self.source} → {self.target} (line {self.line})"


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module under root/package by its dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported(node: ast.Import | ast.ImportFrom, name: str, is_package: bool,
              known: dict[str, Path]) -> list[str]:
    """The dotted names a statement imports, `from x import y` giving x.y when that is a module."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        here = name.split(".") if is_package else name.split(".")[:-1]
        here = here[:len(here) - (node.level - 1)]
        base = ".".join([*here, base] if base else here)
    subs = [f"{base}.{alias.name}" for alias in node.names]
    named = [sub for sub in subs if sub in known]
    return named if len(named) == len(subs) else [*named, base]


def graph(root: Path, package: str) -> tuple[dict[str, list[Edge]], dict[str, list[Edge]]]:
    """(module → its imports of modules of the package, module → its imports of other
    libraries by top-level name)."""
    known = modules(root, package)
    inside: dict[str, list[Edge]] = {name: [] for name in known}
    outside: dict[str, list[Edge]] = {name: [] for name in known}
    for name, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _imported(node, name, path.name == "__init__.py", known):
                if target in known and target != name:
                    inside[name].append(Edge(name, target, node.lineno))
                elif target.split(".")[0] != package:
                    outside[name].append(Edge(name, target.split(".")[0], node.lineno))
    return inside, outside


def cycles(edges: dict[str, list[Edge]]) -> list[list[str]]:
    """One cycle (a → … → a) through every strongly connected component of more than one
    module (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, pending = work[-1]
            edge = next(pending, None)
            if edge is not None:
                if edge.target not in index:
                    index[edge.target] = low[edge.target] = len(index)
                    stack.append(edge.target)
                    on_stack.add(edge.target)
                    work.append((edge.target, iter(edges[edge.target])))
                elif edge.target in on_stack:
                    low[node] = min(low[node], index[edge.target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(component)
    return [_a_cycle(set(c), edges) for c in components]


def _a_cycle(component: set[str], edges: dict[str, list[Edge]]) -> list[str]:
    """A shortest way from the component's first module (by name) back to itself."""
    first = min(component)
    paths = {first: [first]}
    frontier = [first]
    while frontier:
        following = []
        for node in frontier:
            for edge in edges[node]:
                if edge.target == first:
                    return [*paths[node], first]
                if edge.target in component and edge.target not in paths:
                    paths[edge.target] = [*paths[node], edge.target]
                    following.append(edge.target)
        frontier = following
    raise AssertionError(f"no cycle through {first}")  # a component always has one


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "(root)"


def forbidden(edges: dict[str, list[Edge]]) -> list[str]:
    """Every import of a part that its importer's layer must not import."""
    found = []
    for edge in (e for listed in edges.values() for e in listed):
        source, target = _part(edge.source), _part(edge.target)
        if target in FORBIDDEN.get(source, ()):
            found.append(f"{edge}: {source} must not import {target}")
        elif target == "cli" and source not in CLI_USERS:
            found.append(f"{edge}: only the command itself imports cli")
        elif target == "(root)":
            found.append(f"{edge}: nothing imports the package's public surface (ecopark)")
    return found


def misplaced_libraries(outside: dict[str, list[Edge]]) -> list[str]:
    """Every import of a terminal or web library outside its layer."""
    return [f"{edge}: {edge.target} belongs in {ONLY_IN[edge.target]}/"
            for listed in outside.values() for edge in listed
            if edge.target in ONLY_IN and _part(edge.source) != ONLY_IN[edge.target]]


def _lines(found: Iterable[str]) -> str:
    return "\n".join(found)


# ------------------------------------------------------------------------ ecopark itself


def test_no_import_cycle_anywhere() -> None:
    found = cycles(graph(SRC.parent, "ecopark")[0])
    assert not found, "import cycles:\n" + _lines(" → ".join(c) for c in found)


def test_each_part_imports_only_the_parts_below_it() -> None:
    found = forbidden(graph(SRC.parent, "ecopark")[0])
    assert not found, "forbidden imports:\n" + _lines(found)


def test_terminal_and_web_libraries_stay_in_their_layer() -> None:
    found = misplaced_libraries(graph(SRC.parent, "ecopark")[1])
    assert not found, "libraries outside their layer:\n" + _lines(found)


def test_the_graph_sees_imports_in_functions_and_under_type_checking() -> None:
    edges = graph(SRC.parent, "ecopark")[0]
    targets = {e.target for e in edges["ecopark.cli.core"]}  # imports its needs in functions
    assert {"ecopark.core.crosswalk", "ecopark.cli.terminal"} <= targets
    checked = {e.target for e in edges["ecopark.cli.terminal"]}  # and types under TYPE_CHECKING
    assert "ecopark.core.crosswalk" in checked


# ------------------------------------------------------------------------ the checker


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_cycle_hidden_in_a_function_is_named(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "",
        "core/__init__.py": "",
        "core/a.py": "from pkg.core import b\n",
        "core/b.py": "def f():\n    from pkg.core.c import x\n",
        "core/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                     "    from pkg.core.a import y\nx = 1\n",
        "core/d.py": "from pkg.core import a\n",
    })
    assert cycles(graph(root, "pkg")[0]) == [["pkg.core.a", "pkg.core.b", "pkg.core.c",
                                              "pkg.core.a"]]


def test_a_forbidden_edge_and_a_misplaced_library_are_named(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "",
        "core/__init__.py": "",
        "core/a.py": "import rich\n\ndef f():\n    from pkg.store.s import x\n",
        "store/__init__.py": "",
        "store/s.py": "from pkg import version\nx = 1\n",
        "web/__init__.py": "",
        "web/w.py": "from .. import cli\nfrom pkg.cli import main\n",
        "cli/__init__.py": "main = 1\n",
    })
    inside, outside = graph(root, "pkg")
    assert forbidden(inside) == [
        "pkg.core.a → pkg.store.s (line 4): core must not import store",
        "pkg.store.s → pkg (line 1): nothing imports the package's public surface (ecopark)",
        "pkg.web.w → pkg.cli (line 1): only the command itself imports cli",
        "pkg.web.w → pkg.cli (line 2): only the command itself imports cli",
    ]
    assert misplaced_libraries(outside) == ["pkg.core.a → rich (line 1): rich belongs in cli/"]
