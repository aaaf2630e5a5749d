"""No app imports another in a circle, and the shared seams (showcase.core) import no app.

Run-time imports only: a module-level or function-level `import`/`from` outside an
`if TYPE_CHECKING:` block. Read from the source with `ast`, so the test fails on an
import that would only run later (inside a function) too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import showcase

ROOT = Path(showcase.__file__).parent
APPS = sorted(
    p.name
    for p in ROOT.iterdir()
    if p.is_dir() and (p / "__init__.py").exists() and p.name != "locale"
)


def _imported_modules(tree: ast.AST) -> list[str]:
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def app_imports() -> dict[str, set[str]]:
    """{app: apps it imports at run time} for the packages under showcase/."""
    graph: dict[str, set[str]] = {app: set() for app in APPS}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for module in _imported_modules(ast.parse(path.read_text(), str(path))):
                parts = module.split(".")
                if parts[0] == "showcase" and len(parts) > 1 and parts[1] in APPS:
                    if parts[1] != app:
                        graph[app].add(parts[1])
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def walk(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt]
            if nxt not in state and (found := walk(nxt, [*path, nxt])):
                return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := walk(start, [start])):
            return found
    return None


def test_no_app_imports_another_in_a_circle():
    assert _cycle(app_imports()) is None, " -> ".join(_cycle(app_imports()) or [])


def test_core_imports_no_app():
    assert app_imports()["core"] == set()


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
