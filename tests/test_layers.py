"""The package rules, kept: no import runs back up the floors, and no imports form a circle.

Each package's README states its rule; the floors below are those rules as imports
(a module may import its own floor and the floors under it). Imports inside functions
count as much as those at the top; only ``if TYPE_CHECKING:`` blocks are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

from feedtool.plan.groups import GROUPINGS
from feedtool.render.formats import FORMATS
from feedtool.values import choices

PACKAGE = Path(__file__).parent.parent / "feedtool"

FLOORS = [
    "errors model values xmlnames safefile textfile parallel",  # shared by all, import no floor
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
    assert back == set(), "imports against a package's rule (see its README)"


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
    assert _circle(_imports()) is None


def test_a_circle_and_a_back_arrow_are_seen() -> None:
    assert _circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _circle({"a": {"b"}, "b": set()}) is None
    graph = _imports()
    assert "feedtool.read.dialects" in graph["feedtool.read.metadata"]  # inside functions count
    graph["feedtool.read.dialects"].add("feedtool.read.metadata")  # as it was before issue 21
    assert _circle(graph) is not None
    assert _floor("feedtool.site.scaffold") > _floor("feedtool.read.dialects.zola")


def test_the_names_config_checks_are_the_registries_own() -> None:
    # config.py sits below the registries, so it checks names against values/choices;
    # each registry must hold exactly those (a new format added to one only fails here).

    assert {key: fmt.filename for key, fmt in FORMATS.items()} == choices.FORMATS
    assert tuple(GROUPINGS) == choices.GROUPINGS
    for module in choices.DIALECTS.values():
        assert (PACKAGE / "read" / "dialects" / f"{module}.py").is_file(), module
