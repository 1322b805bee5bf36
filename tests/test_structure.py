"""The package's house: no module imports one that imports it back (no circle), even inside a function."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "diffusion_lab"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set:
    """The package's modules that `path` imports, at the top or in a function ("from .x import y",
    "from . import x")."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            target = ".".join(base + (node.module.split(".") if node.module else []))
            names = [f"{target}.{alias.name}" for alias in node.names] if not node.module else []
            found |= {name for name in names if name in MODULES} or {target}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("diffusion_lab")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("diffusion_lab"):
            found.add(node.module)
    return {name for name in found if name in MODULES and name != module_name(path)}


FILES = sorted(PACKAGE.rglob("*.py"))
MODULES = {module_name(path) for path in FILES}


def circles(graph: dict) -> list:
    """Every circle, as the path of modules that closes it (depth-first search, each circle found once per start)."""
    found, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_the_import_walk_sees_imports_and_finds_a_circle():
    """The detector itself: it must see this package's imports, and find a circle when there is one."""
    graph = {module_name(path): imports_of(path) for path in FILES}
    assert "diffusion_lab.schedule" in graph["diffusion_lab.sample"]
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_no_module_imports_one_that_imports_it_back():
    graph = {module_name(path): imports_of(path) for path in FILES}
    # the face imports everything
    graph = {name: {m for m in targets if m != "diffusion_lab"} for name, targets in graph.items()}
    assert not circles(graph), "circles of imports: " + "; ".join(" -> ".join(c) for c in circles(graph))
