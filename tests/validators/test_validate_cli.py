"""`feedtool validate` on the command line; `feedtool build` refusing to publish invalid feeds."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import feedtool.parallel
import feedtool.render.formats
from conftest import TESTS, Site
from feedtool.cli import cli
from feedtool.errors import ManyErrors

OUTSIDE = TESTS / "data" / "outside"
BASE = "https://example.org/blog/"  # conftest's base_url: where a test site publishes feeds/
PROBLEM_LINE = re.compile(r"^(.+):(\d+): (error|warning): (.+)$")


def validate(*args: str) -> Result:
    return CliRunner().invoke(cli, ["validate", *args])


def varied_site(site: Site) -> None:
    site.article("a.md", title="Plain & simple <tags>", tags="[python, feeds]")
    site.write(
        "b.md",
        """\
        ---
        title: An episode
        date: 2025-03-04T05:06:07+02:00
        updated: 2025-03-05T00:00:00Z
        authors: ["Ada <ada@example.org>", {name: Ben, uri: "https://ben.example.org/"}]
        enclosures:
          - {url: "https://example.org/blog/ep.mp3", type: audio/mpeg, length: 1234}
        ---
        Some *Markdown* with [a relative link](../other/) and ![img](pic.png).
        """,
    )
    site.write(
        "c.txt", "---\ntitle: Text\ndate: 2024-12-31\n---\nLine one.\n\nTwo.\n", dedent=False
    )


def test_feedtool_output_has_no_problems_at_all(site: Site) -> None:
    varied_site(site)
    assert site.run("build").exit_code == 0
    result = validate(str(site.output), "--base-url", BASE)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "checked 3 feed(s): 0 error(s), 0 warning(s)" in result.stderr  # rss, atom, json


def test_one_line_per_problem_and_exit_1(tmp_path: Path) -> None:
    for name in ("bad-pubdate.xml", "no-self-link.xml", "clean.xml"):
        shutil.copy(OUTSIDE / "rss" / name, tmp_path / name)
    result = validate(str(tmp_path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [PROBLEM_LINE.match(line) is not None for line in lines] == [True] * len(lines)
    parsed = [PROBLEM_LINE.match(line).groups() for line in lines]  # type: ignore[union-attr]
    assert (str(tmp_path / "bad-pubdate.xml"), "40", "error") in [p[:3] for p in parsed]
    assert (str(tmp_path / "no-self-link.xml"), "8", "warning") in [p[:3] for p in parsed]
    assert "checked 3 feed(s): 1 error(s)" in result.stderr


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    result = validate(str(OUTSIDE / "atom" / "no-self-link.xml"))
    assert result.exit_code == 0
    assert ": warning: <feed> has no self link" in result.stdout


def test_json_output_is_a_list_of_problems(tmp_path: Path) -> None:
    result = validate("--json", str(OUTSIDE / "json" / "duplicate-id.json"), str(OUTSIDE / "json"))
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert isinstance(problems, list) and problems
    for problem in problems:
        assert set(problem) == {"file", "line", "level", "code", "message"}
        assert isinstance(problem["line"], int) and problem["level"] in ("error", "warning")
    assert {
        "file": str(OUTSIDE / "json" / "duplicate-id.json"),
        "line": 25,
        "level": "error",
        "code": "duplicate-id",
        "message": '"id" "https://blog.example.com/2025/11/counting-beetles/" '
        "is also the id of items[0]",
    } in problems


def test_skipped_files_are_named(tmp_path: Path) -> None:
    shutil.copy(OUTSIDE / "atom" / "clean.xml", tmp_path / "atom.xml")
    (tmp_path / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    result = validate(str(tmp_path))
    assert result.exit_code == 0
    assert (
        f"skipped {tmp_path / 'sitemap.xml'}: XML whose root element is <urlset>" in result.stderr
    )
    assert "1 other file(s) ignored" in result.stderr
    assert validate("-q", str(tmp_path)).stderr == ""


def test_no_feeds_is_exit_1_and_a_missing_path_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hi", encoding="utf-8")
    empty = validate(str(tmp_path))
    assert empty.exit_code == 1 and "no feeds found" in empty.stderr
    assert validate(str(tmp_path / "nowhere")).exit_code == 2


def test_default_is_the_feeds_folder_with_the_configs_base_url(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.article("a.md")
    assert site.run("build").exit_code == 0
    monkeypatch.chdir(site.root)
    assert validate().exit_code == 0
    site.configure(feeds_url="https://elsewhere.example/feeds/")
    moved = validate()
    assert moved.exit_code == 1
    assert "is not where this feed is published (https://elsewhere.example/feeds/atom.xml)" in (
        moved.stdout
    )
    assert validate("--base-url", BASE).exit_code == 0
    shutil.rmtree(site.output)
    assert validate().exit_code == 2


@pytest.fixture
def broken_rss(monkeypatch: pytest.MonkeyPatch) -> None:
    """The RSS writer starts writing items without a title or description (a planted bug)."""
    rss = feedtool.render.formats.FORMATS["rss"]

    def render_broken(doc: object, self_url: str) -> bytes:
        data = rss.render(doc, self_url)  # type: ignore[arg-type]
        head, _, items = data.partition(b"<item>")
        items = re.sub(rb"<(title|description)>[^<]*</\1>\s*", b"", items)
        return head + b"<item>" + items

    broken = rss._replace(render=render_broken)
    monkeypatch.setitem(feedtool.render.formats.FORMATS, "rss", broken)


def test_build_refuses_to_publish_an_invalid_feed(site: Site, broken_rss: None) -> None:
    site.article("a.md")
    before = site.snapshot()
    with pytest.raises(ManyErrors) as raised:
        site.build()
    assert "rss.xml:" in str(raised.value) and "<item> needs a <title> or a <description>" in str(
        raised.value
    )
    assert site.snapshot() == before == {}
    result = site.run("build")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert re.match(r"error: .*feeds/rss\.xml:\d+: <item> needs a <title>", lines[0])
    assert lines[-1].endswith("refusing to publish invalid feeds: nothing was written")
    assert "Traceback" not in result.output


def test_a_refused_build_leaves_the_published_feeds_as_they_were(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.article("a.md")
    assert site.run("build").exit_code == 0
    before = site.snapshot()
    site.article("b.md", title="New")
    rss = feedtool.render.formats.FORMATS["rss"]
    wrong_self = rss._replace(
        render=lambda doc, url: rss.render(doc, "https://wrong.example/rss.xml")
    )
    monkeypatch.setitem(feedtool.render.formats.FORMATS, "rss", wrong_self)
    result = site.run("build")
    assert result.exit_code == 1
    assert "is not where this feed is published (https://example.org/blog/rss.xml)" in result.output
    assert site.snapshot() == before  # atom.xml would have changed too: nothing was written


def test_build_check_validates_too(site: Site, broken_rss: None) -> None:
    site.article("a.md")
    result = site.run("build", "--check")
    assert result.exit_code == 1
    assert "<item> needs a <title>" in result.output and "would change" not in result.output


def test_files_already_published_as_they_are_are_not_checked_again(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An hourly build of a fresh checkout renders every feed; most are as published.
    import feedtool.validators.folders

    checked: list[bytes] = []
    real_check = feedtool.validators.folders.examine_document

    def counting(data: bytes, self_url: str | None) -> object:
        checked.append(data)
        return real_check(data, self_url)

    monkeypatch.setattr(feedtool.parallel, "processes", lambda: 1)  # count in this process
    monkeypatch.setattr(feedtool.validators.folders, "examine_document", counting)
    site.article("a.md")
    site.article("b.md", title="Other", tags="[x]")
    first = site.build()
    assert len(checked) == len([f for f in first.files if f.endswith((".xml", ".json"))])
    checked.clear()
    assert site.build().changed == [] and checked == []  # no cache: rendered again, same bytes
    site.article("b.md", title="Changed", tags="[x]")
    changed = site.build().changed
    assert changed and len(checked) == len([f for f in changed if f.endswith((".xml", ".json"))])


def test_hostile_feeds_cannot_reach_the_terminal_raw(tmp_path: Path) -> None:
    # An ESC sequence in a JSON date would retitle the terminal; U+202E and a newline in
    # an RSS <link> would forge an "error:" line of their own. Escaped as build does.
    (tmp_path / "f\x1b[2J.json").write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [{"id": "1",'
        ' "content_text": "x", "date_published": "2025-01-01\\u001b]0;pwned\\u0007"}]}'
    )
    (tmp_path / "r.xml").write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title>'
        "<link>https://x.org/\u202e&#10;error: forged</link><description>d</description>"
        "</channel></rss>\n"
    )
    result = validate(str(tmp_path))
    assert result.exit_code == 1
    output = result.stdout + result.stderr
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f\u202e]", output), output
    lines = result.stdout.splitlines()
    assert all(PROBLEM_LINE.match(line) for line in lines), lines
    assert any('"2025-01-01\\x1b]0;pwned\\x07"' in line for line in lines)
    assert any("f\\x1b[2J.json:" in line for line in lines)
    assert any('"https://x.org/\\u202e\\nerror: forged"' in line for line in lines)
    assert not any(line.startswith("error: forged") for line in lines)
