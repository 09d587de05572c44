"""The service's rooms (issue 10): every folder says in its `__init__` what lives there, and no
folder or top-level module imports, directly or round about, something that imports it back.

Imports inside functions count: a lazy import is still a dependency, and cycles hidden that way
are how `cli -> jobs -> runner -> cli` grew before."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SERVICE = Path(__file__).resolve().parent.parent / "service"
FOLDERS = ("api", "web", "jobs", "reports", "store", "auth", "domain", "review", "summaries")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SERVICE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("service."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "service":
                found.update(f"service.{a.name}" for a in node.names)
            elif node.module.startswith("service."):
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in SERVICE.rglob("*.py") if "migrations" not in p.parts}


def _room(module: str) -> str:
    """The folder a module lives in, or the top-level module itself."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _graph(node_of) -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for target in _imports(path):
            if target not in modules:
                continue  # a name imported from a module, not a module
            a, b = node_of(name), node_of(target)
            if a != b:
                graph[a].add(b)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_between_rooms():
    cycle = _cycle(_graph(_room))
    assert cycle is None, " -> ".join(cycle)


def test_no_import_cycle_between_modules():
    cycle = _cycle(_graph(lambda m: m))
    assert cycle is None, " -> ".join(cycle)


def test_the_cycle_finder_finds_cycles():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_room_says_what_lives_there(folder):
    init = SERVICE / folder / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert doc and "\n" not in doc.strip(), f"service/{folder}/__init__.py needs a one-line docstring"


def test_no_flat_module_crowd_left():
    top = sorted(p.stem for p in SERVICE.glob("*.py") if p.stem != "__init__")
    assert top == ["app", "cli", "config"], top
    assert sorted(p.name for p in SERVICE.iterdir() if p.is_dir() and not p.name.startswith("__")) == sorted(FOLDERS)
