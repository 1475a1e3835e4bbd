"""The records a build passes between its stages: msgspec Structs that behave as the frozen
dataclasses they replaced (made in C, they cost a build's start-up next to nothing)."""

from __future__ import annotations

import ast
import pickle
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from feedtool.cache.store import Outcome
from feedtool.model import FeedDoc
from feedtool.pipeline import BuildOptions, BuildResult, Selection
from feedtool.plan.feeds import FeedPlan
from feedtool.publish.write import Written, _Current
from feedtool.read.dialects import Page, Reading
from feedtool.read.dialects.templates import _Shortcode
from feedtool.render.documents import Entries, Rendered
from feedtool.render.formats import opml, page
from feedtool.validators.common import Findings, Problem
from feedtool.validators.document import Checked
from feedtool.validators.folders import Report

WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LINK_VALUES = ("RSS 2.0", "application/rss+xml", "rss.xml", "https://e.org/rss.xml")
LINK = page.FeedLink(*LINK_VALUES)
SUBSCRIPTION = opml.Subscription("Python", "https://e.org/tags/python/rss.xml", "https://e.org/")

# FeedDoc from key to language; its other fields follow below.
DOC_START = ("", "Site", "Posts", "https://e.org/", WHEN, (), "en")

# Each record with values for every field, in order.
FROZEN: list[tuple[type[Any], tuple[object, ...]]] = [
    (Problem, ("feed.xml", 3, "error", "missing-element", "no title")),
    (
        FeedPlan,
        ("tags/python", "tags", "Python", "Posts", (), (), (("prev", "a/1"),), False, True, ()),
    ),
    (FeedDoc, (*DOC_START, (), None, None, None, (), True, None)),
    (page.FeedLink, LINK_VALUES),
    (page.Feed, ("Python", (LINK,))),
    (page.FeedList, ("Feeds per tag", (page.Feed("Python", (LINK,)),))),
    (page.Site, ("Site", "Posts", "https://e.org/", "en", "https://e.org/feeds/")),
    (opml.Subscription, ("Python", "https://e.org/rss.xml", "https://e.org/", "Posts")),
    (opml.Folder, ("tags", (SUBSCRIPTION,))),
    (BuildOptions, (WHEN, True, False, None, None, False, None, True)),
    (_Current, (b"<rss/>", 0o644)),
    # With lists and dicts: equal, but not hashable (as frozen dataclasses holding them).
    (BuildResult, ({"rss.xml": b"x"}, ["rss.xml"], 1, ["w"], [("a.md", WHEN)], [], [], 0, True)),
    (Selection, ([], [], [], None, {"id": "keep"}, "known", True)),
    (Written, (["rss.xml"], [], {"rss.xml": (1, 2)}, False)),
    (Outcome, ([], [], ["w"], ["d.md"], 0, None, "known", (None, WHEN), 1.5, [], 3)),
    (Entries, ({}, {"a.md": b"digest"})),
    (Rendered, ({"rss.xml": b"x"}, [], {"rss.xml": []})),
    (Page, ("content/a.md", "a.md", "---\ntitle: A\n---\nA\n", {"title": "A"}, 16, 4)),
    (_Shortcode, (0, 12, "<", False, "figure", 'src="a.png"', None)),
]
MUTABLE: list[tuple[type[Any], tuple[object, ...]]] = [
    (Findings, ("https://e.org/rss.xml", [(1, "error", "code", "message")])),
    (Checked, ("RSS 2.0", Findings(), "")),
    (Report, ([], ["feed.xml"], [("notes.txt", "not a feed")], 2)),
    (Reading, ({"title": "A"}, "html", None, WHEN, ["a warning"], [("fr", "/fr/a/")])),
]


def _names(cls: type[Any]) -> list[str]:
    return list(cls.__struct_fields__)


@pytest.mark.parametrize(
    ("cls", "values"), FROZEN + MUTABLE, ids=lambda case: getattr(case, "__name__", "")
)
def test_a_record_is_made_compared_printed_and_pickled_as_a_dataclass_was(
    cls: type[Any], values: tuple[object, ...]
) -> None:
    names = _names(cls)
    assert len(names) == len(values), "every field has a value here"
    record = cls(*values)
    assert record == cls(**dict(zip(names, values, strict=True)))
    assert record != cls(*values[:-1], "something else")
    # The cache's digests take records by repr: every field, in order, as a dataclass's.
    shown = ", ".join(f"{name}={value!r}" for name, value in zip(names, values, strict=True))
    assert repr(record) == f"{cls.__name__}({shown})"
    # Forked helpers send records back pickled.
    again = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == record and type(again) is cls
    assert msgspec.structs.replace(record) == record


@pytest.mark.parametrize(("cls", "values"), FROZEN, ids=lambda case: getattr(case, "__name__", ""))
def test_a_frozen_record_cannot_change_and_hashes_by_value(
    cls: type[Any], values: tuple[object, ...]
) -> None:
    record = cls(*values)
    with pytest.raises(AttributeError):
        setattr(record, _names(cls)[0], values[0])
    if all(not isinstance(value, list | dict) for value in values):
        assert hash(record) == hash(cls(*values))
        assert {record, cls(*values)} == {record}
    else:
        with pytest.raises(TypeError):
            hash(record)


@pytest.mark.parametrize(("cls", "values"), MUTABLE, ids=lambda case: getattr(case, "__name__", ""))
def test_a_collecting_record_changes_and_is_not_hashable(
    cls: type[Any], values: tuple[object, ...]
) -> None:
    record = cls(*values)
    first = _names(cls)[0]
    setattr(record, first, values[0])
    with pytest.raises(TypeError):
        hash(record)
    # Defaults made fresh for each record, never one list shared by all.
    one, other = cls(*values[:1]), cls(*values[:1])
    for name in _names(cls)[1:]:
        if isinstance(getattr(one, name), list | dict | Findings):
            assert getattr(one, name) is not getattr(other, name), name


def test_problems_sort_by_file_line_level_code_then_message() -> None:
    problems = [
        Problem("b.xml", 1, "error", "a", "m"),
        Problem("a.xml", 9, "warning", "a", "m"),
        Problem("a.xml", 9, "error", "b", "m"),
        Problem("a.xml", 9, "error", "a", "z"),
        Problem("a.xml", 9, "error", "a", "m"),
        Problem("a.xml", 2, "warning", "z", "z"),
    ]
    fields = ("file", "line", "level", "code", "message")
    expected = sorted(problems, key=lambda p: tuple(getattr(p, name) for name in fields))
    assert sorted(problems) == expected
    assert Problem("a.xml", 1, "error", "c", "m") < Problem("a.xml", 2, "error", "c", "m")


# The classes a build still makes with @dataclass, and why each stays one.
KEPT = {
    # `source` and `dialect_options` take no part in equality or repr (per-field
    # compare=False / repr=False), which msgspec cannot say.
    "feedtool.config.SiteConfig",
    # `lines` likewise (compare=False, repr=False).
    "feedtool.model.Show",
    # Its cached_property needs a __dict__ that pickling keeps; a Struct's (dict=True)
    # is dropped by pickle.
    "feedtool.publish.write.Snapshot",
}


def test_a_build_defines_no_dataclass_but_those_that_need_one() -> None:
    # Each frozen dataclass runs generated code for its methods when defined; a Struct is made
    # in C. A new record on the build's path is a Struct unless it needs what only a
    # dataclass says.
    code = (
        "import dataclasses, sys\n"
        "import feedtool.cli.build, feedtool.pipeline, feedtool.cache.store\n"
        "import feedtool.render.documents, feedtool.publish.write, feedtool.render.formats.page\n"
        "import feedtool.render.formats.opml, feedtool.validators.document\n"
        "import feedtool.validators.folders, feedtool.read.dialects.templates\n"
        "for name in ('eleventy', 'hugo', 'jekyll', 'pelican', 'zola'):\n"
        "    __import__(f'feedtool.read.dialects.{name}')\n"
        "print(sorted(f'{name}.{each}' for name, module in list(sys.modules.items())\n"
        "    if name.startswith('feedtool') for each, value in vars(module).items()\n"
        "    if isinstance(value, type) and dataclasses.is_dataclass(value)\n"
        "    and value.__module__ == name))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    made = set(ast.literal_eval(done.stdout))
    assert made <= KEPT, sorted(made - KEPT)
