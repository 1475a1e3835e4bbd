"""Typos in front matter keys are errors with a suggestion; other unknown keys are ignored."""

from __future__ import annotations

import pytest

from conftest import Site
from feedtool.read.foreign import FOREIGN_KEYS
from feedtool.read.record import KEYS
from feedtool.read.typos import meant, one_edit_apart


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [
        ("drafft", "draft", True),  # a letter added
        ("dat", "date", True),  # dropped
        ("tittle", "title", True),  # added
        ("titel", "title", True),  # neighbours swapped
        ("tgas", "tags", True),  # swapped
        ("Title", "title", True),  # changed (case counts)
        ("draft", "draft", False),  # the same key is no typo
        ("tagz_", "tags", False),  # two edits
        ("ttile", "title", True),
        ("tilte", "title", True),
        ("eltit", "title", False),
        ("category", "categories", False),
        ("ab", "ba", True),
        ("abc", "cba", False),
    ],
)
def test_one_edit(a: str, b: str, apart: bool) -> None:
    assert one_edit_apart(a, b) is apart
    assert one_edit_apart(b, a) is apart


def test_keys_other_generators_read_are_not_typos() -> None:
    assert meant("images", KEYS) == []  # Hugo's, one letter from "image"
    assert meant("tag", KEYS) == []  # Jekyll reads it beside "tags"
    assert meant("imagse", KEYS) == ["image"]
    assert meant("authr", KEYS) == ["author"]
    assert meant("author", KEYS) == []
    assert meant(3, KEYS) == []  # YAML allows numbers as keys
    # Every generator's list is real keys, not typos of each other.
    assert all(FOREIGN_KEYS.values())


def test_typos_are_errors_with_a_suggestion(site: Site) -> None:
    site.write(
        "a.md",
        "---\ntitle: A\ndate: 2025-01-02\ndrafft: true\ntgas: [x]\ntittle: B\n---\nBody\n",
        dedent=False,
    )
    result = site.run("build")
    assert result.exit_code == 1
    path = site.content / "a.md"
    assert f'error: {path}:4: drafft: unknown key: did you mean "draft"?' in result.output
    assert f'error: {path}:5: tgas: unknown key: did you mean "tags"?' in result.output
    assert f'error: {path}:6: tittle: unknown key: did you mean "title"?' in result.output
    assert not site.output.exists()  # nothing published: not the draft, above all


def test_typos_in_sidecars_and_toml(site: Site) -> None:
    site.write("b.md", "Body\n")
    site.write("b.json", '{\n  "title": "B",\n  "date": "2025-01-02",\n  "summray": "x"\n}\n')
    site.write("c.md", '+++\ntitle = "C"\ndate = 2025-01-02\nslgu = "c"\n+++\nBody\n')
    result = site.run("build")
    assert result.exit_code == 1
    assert f'{site.content / "b.json"}:4: summray: unknown key: did you mean "summary"?' in (
        result.output
    )
    assert f'{site.content / "c.md"}:4: slgu: unknown key: did you mean "slug"?' in result.output


def test_other_unknown_keys_stay_ignored(site: Site) -> None:
    # Front matter written for a theme, Hugo or Jekyll keeps working.
    site.write(
        "a.md",
        "---\ntitle: A\ndate: 2025-01-02\nmath: true\nhidden: false\nfeaturedImage: x.png\n"
        "images: [a.png]\nlayout: post\nexcerpt: Short\ntag: x\nweight: 3\naliases: [/a/]\n"
        "---\nBody\n",
        dedent=False,
    )
    result = site.run("build")
    assert result.exit_code == 0, result.output
    assert "unknown key" not in result.output and result.stderr == "", result.output
    assert [entry.title for entry in site.parsed().entries] == ["A"]


def test_keep_going_skips_the_article_with_a_typo(site: Site) -> None:
    site.article("good.md", title="Good")
    site.article("bad.md", title="Bad", drafft="true")
    result = site.run("build", "--keep-going")
    assert result.exit_code == 0
    assert 'drafft: unknown key: did you mean "draft"? (skipped)' in result.output
    assert [entry.title for entry in site.parsed().entries] == ["Good"]
