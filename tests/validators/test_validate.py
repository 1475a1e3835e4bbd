"""feedtool.validators on feeds from elsewhere: hand-written fixtures, one planted problem each.

Every fixture in tests/data/outside/ except clean.* marks its planted problem on the line
where it must be reported: ``<!-- planted: LEVEL CODE -->`` in XML, and an extension key
``"_planted": "LEVEL CODE"`` in JSON (JSON Feed ignores keys starting with "_").
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import jsonschema
import pytest

from conftest import TESTS
from feedcheck import atom_problems
from feedtool.validators import (
    Problem,
    examine_document,
    validate_files,
    validate_output,
    validate_output_file,
)
from feedtool.validators.jsonfeed import line_of
from feedtool.values import checks

OUTSIDE = TESTS / "data" / "outside"
DATA = TESTS / "data"
# Where each fixture says it is published; the self-link cases point elsewhere.
SELF_URLS = {
    "rss": "https://blog.example.com/feed.xml",
    "atom": "https://blog.example.com/atom.xml",
    "json": "https://blog.example.com/feed.json",
}
_MARK = re.compile(r'(?:<!-- planted: |"_planted": ")(error|warning) ([a-z-]+)')
PLANTED = sorted(p for p in OUTSIDE.glob("*/*") if not p.stem == "clean")
CLEAN = sorted(OUTSIDE.glob("*/clean.*"))


def planted(path: Path) -> list[tuple[int, str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        (number, match.group(1), match.group(2))
        for number, text in enumerate(lines, start=1)
        if (match := _MARK.search(text))
    ]


def found(path: Path) -> list[tuple[int, str, str]]:
    checked = examine_document(path.read_bytes(), SELF_URLS[path.parent.name])
    assert checked.kind is not None, checked.reason
    return [(p.line, p.level, p.code) for p in checked.findings.problems(path.name)]


@pytest.mark.parametrize("path", PLANTED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_planted_problem_is_caught_on_its_line_and_nothing_else(path: Path) -> None:
    expected = planted(path)
    assert len(expected) == 1, f"{path.name} should plant exactly one problem"
    assert found(path) == expected


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.parent.name)
def test_clean_outside_feeds_have_no_problems(path: Path) -> None:
    assert found(path) == []


def test_every_kind_of_problem_is_planted() -> None:
    """The issue's list: each kind appears in the fixtures of every format it applies to."""
    kinds = {(p.parent.name, code) for p in PLANTED for _, _, code in planted(p)}
    for fmt in ("rss", "atom", "json"):
        for code in ("not-well-formed", "invalid-date", "invalid-url", "duplicate-id"):
            assert (fmt, code) in kinds
        assert (fmt, "self-link-mismatch") in kinds and (fmt, "missing-self-link") in kinds
    assert {
        ("rss", "missing-element"),
        ("atom", "missing-element"),
        ("json", "missing-key"),
    } <= kinds
    assert {("atom", "missing-content"), ("json", "missing-content")} <= kinds
    # Five codes no test asserted before (issue 21); new-feed-url's is invalid-value.
    assert {
        ("rss", "contains-html"),
        ("rss", "obsolete-category"),
        ("rss", "wrong-namespace"),
        ("rss", "duplicate-element"),
        ("atom", "duplicate-element"),
    } <= kinds
    assert any(p.stem == "itunes-new-feed-url-relative" for p in PLANTED)
    enclosure = {p.stem for p in PLANTED if "enclosure" in p.stem or "attachment" in p.stem}
    assert {"enclosure-without-length", "enclosure-bad-type", "enclosure-relative-url"} <= enclosure
    missing_json = {p.stem for p in PLANTED if p.parent.name == "json" and "missing" in p.stem}
    assert missing_json >= {"missing-version", "missing-title", "missing-items"}


def test_clean_fixtures_satisfy_real_consumers() -> None:
    """The fixtures are what they claim: feedparser, RFC 4287's schema and the JSON Feed schema."""
    for path in (OUTSIDE / "rss" / "clean.xml", OUTSIDE / "atom" / "clean.xml"):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo and len(parsed.entries) == 2
    assert atom_problems((OUTSIDE / "atom" / "clean.xml").read_bytes()) == []
    schema = json.loads((DATA / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads((OUTSIDE / "json" / "clean.json").read_bytes()), schema)


def test_atom_fixtures_with_schema_errors_are_caught_by_the_rfc_schema_too() -> None:
    """Where RFC 4287's RELAX NG grammar can see a planted problem, it agrees it is one."""
    schema_visible = (
        "entry-without-id",
        "feed-without-updated",
        "bad-updated",
        "impossible-published",
    )
    rfc_rules = ("entry-without-author", "entry-without-content-or-alternate")
    for name in schema_visible + rfc_rules:
        data = (OUTSIDE / "atom" / f"{name}.xml").read_bytes()
        assert atom_problems(data), name


def test_format_is_recognised_by_content_not_by_name(tmp_path: Path) -> None:
    (tmp_path / "feed.json").write_bytes((OUTSIDE / "atom" / "clean.xml").read_bytes())
    (tmp_path / "atom.rss").write_bytes((OUTSIDE / "rss" / "bad-pubdate.xml").read_bytes())
    (tmp_path / "index.xml").write_bytes((OUTSIDE / "json" / "clean.json").read_bytes())
    report = validate_files([tmp_path])
    assert sorted(Path(name).name for name in report.checked) == [
        "atom.rss",
        "feed.json",
        "index.xml",
    ]
    assert [(Path(p.file).name, p.code) for p in report.problems if p.level == "error"] == [
        ("atom.rss", "invalid-date")
    ]


def test_folder_skips_files_that_are_not_feeds_and_says_why(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', encoding="utf-8"
    )
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}', encoding="utf-8")
    (tmp_path / "page.xml").write_text("<!DOCTYPE html><p>hi<br></p>", encoding="utf-8")
    (tmp_path / "rdf.xml").write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', encoding="utf-8"
    )
    (tmp_path / "style.css").write_text("p {}", encoding="utf-8")
    (tmp_path / ".hidden.xml").write_text("<rss>", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "atom.xml").write_bytes((OUTSIDE / "atom" / "clean.xml").read_bytes())
    report = validate_files([tmp_path])
    assert report.checked == [str(tmp_path / "sub" / "atom.xml")]
    reasons = {Path(name).name: reason for name, reason in report.skipped}
    assert set(reasons) == {"sitemap.xml", "package.json", "page.xml", "rdf.xml"}
    assert "<urlset>" in reasons["sitemap.xml"] and "RSS 1.0" in reasons["rdf.xml"]
    assert report.other_files == 1 and report.problems == []


def test_a_broken_file_that_looks_like_a_feed_is_an_error_not_a_skip(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_text('<rss version="2.0"><channel>\n<title>x</channel>', "utf-8")
    report = validate_files([tmp_path])
    assert report.skipped == []
    assert [(p.line, p.code) for p in report.problems] == [(2, "not-well-formed")]


def test_a_named_file_that_is_not_a_feed_is_an_error(tmp_path: Path) -> None:
    page = tmp_path / "index.xml"
    page.write_text("<html><body/></html>", encoding="utf-8")
    report = validate_files([page])
    assert [(p.level, p.code) for p in report.problems] == [("error", "not-a-feed")]


def test_base_url_gives_each_file_its_expected_self_link(tmp_path: Path) -> None:
    (tmp_path / "atom.xml").write_bytes((OUTSIDE / "atom" / "clean.xml").read_bytes())
    assert validate_files([tmp_path], "https://blog.example.com/").problems == []
    moved = validate_files([tmp_path], "https://blog.example.com/feeds").problems
    assert [p.code for p in moved] == ["self-link-mismatch"]
    assert "https://blog.example.com/feeds/atom.xml" in moved[0].message


def test_entity_bombs_are_refused_not_expanded() -> None:
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{laughs}]>\n'
        '<rss version="2.0"><channel><title>&l9;</title><link>https://x.example/</link>'
        "<description>d</description></channel></rss>"
    )
    problems = examine_document(document.encode(), None).findings.problems("x")
    assert [p.code for p in problems] == ["not-well-formed"]


def test_external_entities_are_not_loaded(tmp_path: Path) -> None:
    missing = (tmp_path / "no-such-file").as_uri()
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY ext SYSTEM "{missing}">]>\n'
        '<rss version="2.0"><channel><title>a &ext;</title><link>https://x.example/</link>'
        "<description>d</description></channel></rss>"
    )
    problems = examine_document(document.encode(), None).findings.problems("x")
    # Loading it would have failed ("failed to load external entity"): it was never tried.
    assert [p.code for p in problems] == ["missing-self-link"]


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        ("Sat, 01 Nov 2025 09:00:00 +0100", None),
        ("1 Nov 2025 09:00 GMT", None),
        ("Sat, 01 Nov 2025 09:00:00 Z", None),
        ("sat, 1 nov 25 09:00:00 gmt", "warning"),
        ("Sat, 01 Nov 2025 09:00:00 +0000 (UTC)", "warning"),
        ("Fri, 01 Nov 2025 09:00:00 +0100", "error"),
        ("Sat, 31 Nov 2025 09:00:00 +0100", "error"),
        ("2025-11-01T09:00:00Z", "error"),
        ("", "error"),
    ],
)
def test_rfc822_dates(value: str, verdict: str | None) -> None:
    result = checks.rfc822(value)
    assert (result[0] if result else None) == verdict


@pytest.mark.parametrize(
    ("value", "good"),
    [
        ("2025-11-01T09:00:00Z", True),
        ("2025-11-01T09:00:00.123456+01:00", True),
        ("2016-12-31T23:59:60Z", True),  # a leap second
        ("2025-11-01t09:00:00z", False),  # RFC 4287 wants upper case
        ("2025-11-01T09:00Z", False),
        ("2025-11-01 09:00:00Z", False),
        ("2025-02-29T09:00:00Z", False),
        ("2025-11-01T24:00:00Z", False),
        ("2025-11-01T09:00:00+24:00", False),
        (" 2025-11-01T09:00:00Z", False),
    ],
)
def test_rfc3339_dates(value: str, good: bool) -> None:
    assert (checks.rfc3339(value) is None) is good


@pytest.mark.parametrize(
    ("value", "absolute", "good"),
    [
        ("https://example.org/a?b=c#d", True, True),
        ("https://例え.jp/パス", True, True),  # IRIs are fine where Atom allows them
        ("tag:example.org,2025-11-01:/post", True, True),
        ("urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", True, True),
        ("mailto:jo@example.org", True, True),
        ("/relative/path", False, True),
        ("", False, True),
        ("/relative/path", True, False),
        ("example.org/no-scheme", True, False),
        ("http:/one-slash", True, False),
        ("https://example.org/a b", True, False),
        ("https://example.org/%zz", True, False),
        ("tag:example.org:no-date", True, False),
        ("urn:uuid:not-a-uuid", True, False),
    ],
)
def test_uris(value: str, absolute: bool, good: bool) -> None:
    assert (checks.uri(value, absolute=absolute) is None) is good


def test_json_lines_are_found_only_where_asked() -> None:
    text = '{\n "a": [\n  {"id": 1},\n  {\n   "id": "x",\n   "b": {"id": 2}\n  }\n ],\n "id": 3\n}'
    assert line_of(text, ("a", 1)) == 4
    assert line_of(text, ("a", 1, "id")) == 5
    assert line_of(text, ("a", 1, "b", "id")) == 6
    assert line_of(text, ("id",)) == 9
    assert line_of(text, ("a", 7)) == 2  # as deep as the text goes
    assert line_of(text, ()) == 1


def test_files_checked_where_they_were_rendered_are_not_checked_again() -> None:
    clean = (OUTSIDE / "rss" / "clean.xml").read_bytes()
    broken = PLANTED[0].read_bytes()
    files = {"feed.xml": clean, "a.xml": broken, "c.xml": broken, "index.opml": b"<opml/>"}
    base = "https://blog.example.com/"
    fresh = validate_output(files, base)
    assert {p.file for p in fresh if p.level == "error"} == {"a.xml", "c.xml"}
    # What was found at rendering time stands in for a check, and order is by path.
    noted = Problem("feed.xml", 1, "warning", "noted", "found while rendering")
    mixed = validate_output(files, base, {"feed.xml": [noted], "c.xml": []})
    assert mixed == [p for p in fresh if p.file == "a.xml"] + [noted]
    assert validate_output_file("c.xml", broken, base) == [p for p in fresh if p.file == "c.xml"]


@pytest.mark.parametrize("width", ["²", "٣", "0", "x"])
def test_a_width_that_is_no_ascii_positive_integer_is_a_problem_not_a_crash(width: str) -> None:
    # str.isdigit() takes "²" and "٣"; int() refuses the first, so the check raised.
    feed = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        "<title>T</title><link>https://example.org/</link><description>D</description>"
        "<item><title>I</title><link>https://example.org/i</link>"
        '<guid isPermaLink="true">https://example.org/i</guid>'
        f'<media:content url="https://example.org/a.png" type="image/png" width="{width}"/>'
        "</item></channel></rss>\n"
    ).encode()
    problems = examine_document(feed, None).findings.problems("feed.xml")
    assert any("must be a positive integer" in p.message for p in problems), problems
