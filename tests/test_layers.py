"""The package rules, kept: no import runs back up the floors, and no imports form a circle.

Each package's README states its rule; the floors below are those rules as imports
(a module may import its own floor and the floors under it). Imports inside functions
count as much as those at the top; only ``if TYPE_CHECKING:`` blocks are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "feedtool"

FLOORS = [
    "errors model values xmlnames safefile parallel",  # imported by everyone, import no one
    "validators",  # validators/README: bytes in, problems out (feedtool validate needs no site)
    "config",
    "plan",  # plan/README: pure decisions over Article records
    "read",  # read/README: the content folder only, never the output folder
    "render",  # render/README: no I/O
    "publish",  # publish/README: the only reader and writer of the output folder
    "cache",  # cache/README: beside the line, entered through Protocols
    "pipeline __init__",
    "site",  # site/README: nothing in the build pipeline imports from here
    "cli __main__",  # click only
]
FLOOR = {name: number for number, names in enumerate(FLOORS) for name in names.split()}

# Arrows still running back up, to be removed (issue 21): config.py checks values with
# read/'s parsers and plan/'s and render/'s registries; the validator takes the Podcast
# 2.0 limits and taxonomy from read/podcast20.py.
KNOWN = {
    ("feedtool.config", "feedtool.plan.groups"),
    ("feedtool.config", "feedtool.read.dates"),
    ("feedtool.config", "feedtool.read.fields"),
    ("feedtool.config", "feedtool.read.frontmatter"),
    ("feedtool.config", "feedtool.read.readers"),
    ("feedtool.config", "feedtool.read.show"),
    ("feedtool.config", "feedtool.read.textfile"),
    ("feedtool.config", "feedtool.render.formats"),
    ("feedtool.validators.extensions", "feedtool.read.podcast20"),
}
# The one circle left: load.py calls the dialects, which build articles with load.py's.
KNOWN_CIRCLE = ("feedtool.read.load", "feedtool.read.dialects")


def _imports() -> dict[str, set[str]]:
    """Each feedtool module -> the feedtool modules it imports (not for type checks)."""
    paths = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        paths[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(node)
            for block in tree.body
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for node in ast.walk(block)
        }
        found = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:  # "from feedtool import safefile" is a module
                    name = f"{node.module}.{alias.name}"
                    found.add(name if name in paths else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[module] = {name for name in found if name in paths and name != module}
    return graph


def _floor(module: str) -> int:
    parts = module.split(".")
    return FLOOR[parts[1] if len(parts) > 1 else "__init__"]


def test_no_import_runs_back_up_the_floors() -> None:
    graph = _imports()
    back = {
        (module, name)
        for module, names in graph.items()
        for name in names
        if name != "feedtool" and _floor(name) > _floor(module)
    }
    assert back - KNOWN == set(), "imports against a package's rule (see its README)"
    assert KNOWN - back == set(), "gone now: take them out of KNOWN"


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle in ``graph``, as the modules around it, or None."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for name in sorted(graph[module]):
            found = visit(name, [*path, module])
            if found:
                return found
        done.add(module)
        return None

    return next(filter(None, (visit(module, []) for module in sorted(graph))), None)


def test_no_imports_form_a_circle() -> None:
    graph = _imports()
    graph[KNOWN_CIRCLE[0]].discard(KNOWN_CIRCLE[1])
    assert _circle(graph) is None


def test_a_circle_and_a_back_arrow_are_seen() -> None:
    assert _circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _circle({"a": {"b"}, "b": set()}) is None
    graph = _imports()
    assert KNOWN_CIRCLE[1] in graph[KNOWN_CIRCLE[0]]  # imports inside functions count
    assert _circle(graph) is not None  # that one, until it is gone
    assert _floor("feedtool.site.scaffold") > _floor("feedtool.read.dialects.zola")
