"""Imports point down the layers of docs/architecture.md, and no module imports itself
back through others. Every import counts, including those inside functions: a lazy
import is still a dependency, only one that fails later."""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dateline"

# Bottom to top: a module may import from its own layer and the ones below it.
LAYERS = (
    ("core", {"core"}),
    ("apps", {"posts", "comments", "clipping", "interchange", "search", "labelling",
              "sources", "ops", "people", "site_settings"}),
    ("serving", {"serving", "siteexport"}),
    ("author's pages", {"desk", "micropub"}),
    ("entry points", {"urls", "wsgi", "cli", "settings"}),
)  # fmt: skip
# Commands may import anything: each is an entry point, whichever app holds it.
ENTRY_FOLDERS = {"management"}

# Documented exceptions (docs/architecture.md, "Exceptions"): importer -> imported, as
# dotted module prefixes. Keep this short; each needs its line in the doc.
ALLOWED: set[tuple[str, str]] = set()


def layer_of(module: str) -> int:
    parts = module.split(".")
    if ENTRY_FOLDERS & set(parts):
        return len(LAYERS) - 1
    for index, (_name, packages) in enumerate(LAYERS):
        if parts[1] in packages:
            return index
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS and the doc")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every dateline module `path` imports, anywhere in it (names only: `from x import y`
    counts as x, and as x.y when that is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module_name(path if path.name == "__init__.py" else path.parent)
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] == "dateline"}


def graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: {target for target in imports(path) if target in modules and target != name}
            for name, path in modules.items()}  # fmt: skip


def test_layers_cover_every_package():
    packages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    packages |= {path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    named = set().union(*(members for _name, members in LAYERS))
    assert packages == named


def test_imports_point_down():
    upward = []
    for module, targets in graph().items():
        for target in targets:
            if layer_of(target) > layer_of(module) and not any(
                module.startswith(source) and target.startswith(dest) for source, dest in ALLOWED
            ):
                upward.append(f"{module} -> {target}")
    assert sorted(upward) == []


def test_core_imports_no_other_dateline_package():
    reaching_out = [f"{module} -> {target}" for module, targets in graph().items()
                    if module.startswith("dateline.core.") for target in targets
                    if not target.startswith("dateline.core")]  # fmt: skip
    assert reaching_out == []


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(groups)


def without_packages(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's __init__ importing its own modules is no cycle of concern."""
    result: dict[str, set[str]] = defaultdict(set)
    for module, targets in edges.items():
        result[module] = {target for target in targets if not module.startswith(target + ".")}
    return result


def test_no_import_cycles():
    assert cycles(without_packages(graph())) == []


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_cycle_finder(edges, expected):
    assert cycles(edges) == expected


def test_an_upward_import_is_seen(tmp_path):
    """The parser sees an import inside a function, where the lazy ones were."""
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from dateline.posts.models import Post\n    return Post\n")
    assert "dateline.posts.models" in imports(module)
