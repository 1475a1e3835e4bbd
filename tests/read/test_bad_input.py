# ruff: noqa: E501  (CASES is a table: one case a line reads best)
"""Every kind of bad input, through the command line: one clear line, exit 1, nothing lost.

Each case starts from a site whose feeds were published by a good build, then
breaks something *and* edits the good article (so a build that went ahead would
change the feeds), and checks: exit code 1, one ``error:`` line per problem
naming the file (line where known) and field, no traceback, the published feeds
byte-for-byte as they were, and no temporary file anywhere.
"""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import DEFAULT_CONFIG, Site
from feedtool.errors import ContentError, printable


@dataclass(frozen=True)
class Expect:
    """One expected error line: ``error: PATH[:LINE]: [FIELD: ]...MESSAGE...``."""

    path: Path
    line: int | None
    field: str | None
    message: str

    def matches(self, text: str) -> bool:
        where = printable(str(self.path)) + (f":{self.line}" if self.line else "")
        prefix = f"error: {where}: " + (f"{self.field}: " if self.field else "")
        return text.startswith(prefix) and self.message in text[len(prefix) :]


Setup = Callable[[Site], list[Expect]]


def article(
    name: str, text: str | bytes, line: int | None, field: str | None, message: str
) -> Setup:
    """A case that is one article file."""

    def setup(site: Site) -> list[Expect]:
        path = site.content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return [Expect(path, line, field, message)]

    return setup


def sidecar(
    name: str, text: str | bytes, line: int | None, field: str | None, message: str
) -> Setup:
    """A case that is a body file plus a broken sidecar; the sidecar is named."""

    def setup(site: Site) -> list[Expect]:
        (site.content / Path(name).with_suffix(".txt")).write_text("Body.\n")
        path = site.content / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return [Expect(path, line, field, message)]

    return setup


def config(text: str | bytes, line: int | None, field: str | None, message: str) -> Setup:
    """A case that is a broken feedtool.toml."""

    def setup(site: Site) -> list[Expect]:
        site.config_path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return [Expect(site.config_path, line, field, message)]

    return setup


def fm(*lines: str) -> str:
    """YAML front matter with these lines, and a body."""
    return "---\n" + "\n".join(lines) + "\n---\nBody.\n"


OK = ("title: x", "date: 2025-01-01")


def clash(kind: str) -> Setup:
    def setup(site: Site) -> list[Expect]:
        if kind == "id":
            site.article("x.md", id="urn:test:dup", date="2025-01-01")
            later = site.article("y.md", id="urn:test:dup", date="2025-01-02")
            return [
                Expect(later, None, "id", f'same id "urn:test:dup" as {site.content / "x.md"};')
            ]
        if kind == "slug":
            site.article("2025-01-01-same.md", date="2025-01-01")
            later = site.article("same.md", date="2025-01-03")
            return [
                Expect(
                    later,
                    None,
                    "slug",
                    'same URL "https://example.org/blog/same/" as '
                    f"{site.content / '2025-01-01-same.md'}; give one of them its own slug",
                )
            ]
        # An explicit link that takes the good article's URL; good.md is older, so it keeps it.
        later = site.article("late.md", date="2025-06-01", link="/blog/good/")
        return [
            Expect(
                later,
                None,
                "slug",
                f'same URL "https://example.org/blog/good/" as {site.content / "good.md"}',
            )
        ]

    return setup


def too_large(where: str) -> Setup:
    def setup(site: Site) -> list[Expect]:
        site.configure(DEFAULT_CONFIG + "max_article_bytes = 1000\n")
        if where == "body":
            path = site.article("big.md", body="x" * 2000)
            size = path.stat().st_size
        else:
            site.write("big.txt", "Small body.\n")
            path = site.write("big.yaml", "title: x\ndate: 2025-01-01\nsummary: " + "y" * 1000)
            size = path.stat().st_size
        return [
            Expect(
                path, None, None, f"the file is {size:,} bytes, more than max_article_bytes (1,000)"
            )
        ]

    return setup


def symlink_loop(site: Site) -> list[Expect]:
    (site.content / "a" / "b").mkdir(parents=True)
    (site.content / "a" / "b" / "up").symlink_to(site.content / "a")
    return [
        Expect(
            site.content / "a" / "b" / "up",
            None,
            None,
            f"symlink loop: this folder leads back to {site.content / 'a'}, which it is inside",
        )
    ]


def symlink_to_root(site: Site) -> list[Expect]:
    (site.content / "self").symlink_to(".")
    return [Expect(site.content / "self", None, None, "symlink loop")]


def folder_twice(site: Site) -> list[Expect]:
    site.article("shared/one.md", title="One")
    (site.content / "zz-again").symlink_to("shared")
    return [
        Expect(
            site.content / "zz-again",
            None,
            None,
            f"is the same folder as {site.content / 'shared'} (through a symlink)",
        )
    ]


def link_loop_file(site: Site) -> list[Expect]:
    (site.content / "p.md").symlink_to("q.md")
    (site.content / "q.md").symlink_to("p.md")
    return [
        Expect(site.content / name, None, None, "symlink cannot be followed: Too many levels")
        for name in ("p.md", "q.md")
    ]


def broken_link(site: Site) -> list[Expect]:
    (site.content / "gone.md").symlink_to("missing.md")
    return [
        Expect(site.content / "gone.md", None, None, "symlink cannot be followed: No such file")
    ]


def fifo(site: Site) -> list[Expect]:
    # Reading a FIFO blocks until someone writes: the build must refuse it, not hang.
    os.mkfifo(site.content / "pipe.md")
    return [Expect(site.content / "pipe.md", None, None, "is not a regular file (a FIFO")]


def not_utf8_name(site: Site) -> list[Expect]:
    path = site.content / os.fsdecode(b"caf\xe9.md")
    path.write_text(fm(*OK))
    return [Expect(path, None, "slug", "the file name is not UTF-8; rename the file or set slug")]


def front_matter_and_sidecar(site: Site) -> list[Expect]:
    site.write("both.yaml", "title: a\n")
    path = site.article("both.md")
    return [Expect(path, 1, None, "has front matter and a sidecar file both.yaml")]


def config_fifo(site: Site) -> list[Expect]:
    site.config_path.unlink()
    os.mkfifo(site.config_path)
    return [Expect(site.config_path, None, None, "is not a regular file")]


def no_content_folder(site: Site) -> list[Expect]:
    site.content.rename(site.root / "elsewhere")
    return [Expect(site.content, None, None, "content folder not found")]


def two_problems_in_one_file(site: Site) -> list[Expect]:
    path = site.write("two.md", fm("title: [x]", "date: someday", "draft: maybe"))
    return [
        Expect(path, 2, "title", "expected text, got a list"),
        Expect(path, 3, "date", 'cannot read "someday"'),
        Expect(path, 4, "draft", "expected true or false"),
    ]


CASES: dict[str, Setup] = {
    # title
    "missing title": article("t1.md", fm("date: 2025-01-01"), 1, "title", "is required (every article needs a title)"),
    "no front matter at all": article("t0.md", "Just text.\n", 1, None, "has no front matter: start the file with a line ---"),
    "list as title": article("t2.md", fm("title: [a, b]", "date: 2025-01-01"), 2, "title", "expected text, got a list"),
    "mapping as title": article("t3.md", fm("title: {a: 1}", "date: 2025-01-01"), 2, "title", "expected text, got a mapping"),
    "true/false as summary": article("t4.md", fm(*OK, "summary: yes"), 4, "summary", "got true/false (put the text in quotes)"),
    "address alone not an address": article("t5.md", fm(*OK, "author: bob@"), 4, "author", '"bob@" is not an e-mail address like jo@example.org'),
    "empty title": article("t5.md", fm('title: "  "', "date: 2025-01-01"), 2, "title", "must not be empty"),
    # dates
    "missing date": article("d1.md", fm("title: x"), None, "date", "is required"),
    "unreadable date": article("d2.md", fm("title: x", "date: next tuesday"), 3, "date", 'cannot read "next tuesday" as a date'),
    "impossible date": article("d3.md", fm("title: x", "date: 2025-02-30"), 3, "date", 'cannot read "2025-02-30"'),
    "number as date": article("d4.md", fm("title: x", "date: 42"), 3, "date", "expected a date, got a number (42)"),
    "list as date": article("d5.md", fm("title: x", "date: [2025, 1]"), 3, "date", "expected a date, got a list"),
    "toml number as date": article("d6.md", '+++\ntitle = "x"\ndate = 2025\n+++\n', 3, "date", "got a number (2025)"),
    "partial date": article("d7.md", fm("title: x", "date: March 2025"), 3, "date", "is not a whole date"),
    "updated before date": article("d8.md", fm(*OK, "updated: 2024-12-31"), 4, "updated", "is earlier than date"),
    # syntax
    "YAML does not parse": article("s1.md", fm("title: x", "  bad: [", "date: 2025-01-01"), 3, None, "YAML does not parse: mapping values are not allowed"),
    "TOML does not parse": article("s2.md", '+++\ntitle = "x\n+++\n', 2, None, "TOML does not parse"),
    "YAML indented with a tab": article("s9.md", fm("title: x", "x:", "\t- b", "date: 2025-01-01"), 4, None, "YAML does not parse: found character that cannot start any token (a tab character: indent with spaces)"),
    "YAML quote never closed": article("s10.md", fm('title: "x', "date: 2025-01-01"), 2, None, "YAML does not parse: found unexpected end of stream (a quote is opened and never closed: end the text with the same quote)"),
    "TOML quote never closed": article("s11.md", '+++\ntitle = "x\ndate = 2025-01-01\n+++\n', 2, None, "TOML does not parse: Illegal character '\\n' (a quote is opened and never closed: end the string with the same quote)"),
    "JSON sidecar does not parse": sidecar("s3.json", '{"title": "x",\n "date": }', 2, None, "JSON does not parse: Expecting value"),
    "YAML sidecar does not parse": sidecar("s4.yaml", "title: x\ndate: [\n", 2, None, "YAML does not parse"),
    "TOML sidecar does not parse": sidecar("s5.toml", 'title = "x"\ndate = \n', 2, None, "TOML does not parse"),
    "front matter never closed": article("s6.md", "---\ntitle: x\ndate: 2025-01-01\n", 1, None, "front matter opened with '---' on line 1 is never closed"),
    "metadata not a mapping": article("s7.md", fm("just a string"), 2, None, "metadata must be a mapping"),
    "YAML nested too deeply": article("s8.md", fm("title: " + "[" * 5000 + "]" * 5000), 2, None, "YAML does not parse: exceeded maximum nesting depth"),
    "JSON nested too deeply": sidecar("s9.json", '{"title": ' + "[" * 100_000 + "]" * 100_000 + "}", None, None, "JSON is nested too deeply"),
    "TOML nested too deeply": sidecar("s10.toml", "title = " + "[" * 100_000 + "]" * 100_000, None, None, "TOML is nested too deeply"),
    # encodings
    "body not UTF-8": article("e1.md", b"---\ntitle: x\ndate: 2025-01-01\n---\ncaf\xe9\n", 5, None, "not UTF-8 text (byte 0xe9 at offset 37)"),
    "sidecar not UTF-8": sidecar("e2.yaml", b"title: caf\xe9\n", 1, None, "not UTF-8 text (byte 0xe9"),
    "file name not UTF-8": not_utf8_name,
    # other fields and wrong types
    "enclosure without URL": article("f1.md", fm(*OK, "enclosures: [{type: audio/mpeg, length: 10}]"), 4, "enclosures", "an enclosure needs a url"),
    "number as enclosure": article("f2.md", fm(*OK, "enclosures: [5]"), 4, "enclosures", "expected a mapping with url, type and length, got a number"),
    "enclosure length not a number": article("f3.md", fm(*OK, "enclosures: {url: 'https://x.org/a.mp3', length: big}"), 4, "enclosures", "length must be a whole number of bytes"),
    "mapping as tag": article("f4.md", fm(*OK, "tags: [ok, {a: 1}]"), 4, "tags", "item 2: expected text, got a mapping"),
    "number as tags": article("f5.md", fm(*OK, "tags: 7"), 4, "tags", "expected a list of text, got a number"),
    "list as summary": article("f6.md", fm(*OK, "summary: [a]"), 4, "summary", "expected text, got a list"),
    "number as author": article("f7.md", fm(*OK, "author: 42"), 4, "author", 'expected "Name <email>" or a mapping, got a number'),
    "list in authors": article("f8.md", fm(*OK, "authors: ['A <a@x.org>', [b]]"), 4, "authors", "item 2: expected"),
    "author with unknown key": article("f9.md", fm(*OK, "author: {name: A, twitter: a}"), 4, "author", "unknown key 'twitter'"),
    "draft not true/false": article("f10.md", fm(*OK, "draft: maybe"), 4, "draft", "expected true or false, got 'maybe'"),
    "slug with a slash": article("f11.md", fm(*OK, "slug: a/b"), 4, "slug", '"a/b" cannot be used in a URL path'),
    "slug ..": article("f12.md", fm(*OK, "slug: '..'"), 4, "slug", "cannot be used in a URL path"),
    "list as id": article("f13.md", fm(*OK, "id: [x]"), 4, "id", "expected text, got a list"),
    "link not a web address": article("f14.md", fm(*OK, "link: 'mailto:a@x.org'"), 4, "link", "is not a web address"),
    "image with spaces": article("f15.md", fm(*OK, "image: a b.png"), 4, "image", "is not a URL (it contains spaces)"),
    "image with an unclosed IPv6 host": article("f16.md", fm(*OK, 'image: "http://[::1"'), 4, "image", 'is not a web address (Invalid IPv6 URL)'),
    "front matter and sidecar": front_matter_and_sidecar,
    "three problems in one file": two_problems_in_one_file,
    # hostile characters in a message stay on one printable line
    "newline and bidi in a value": article("h1.md", fm("title: x", 'date: "next\\ntue\\u202esday"'), 3, "date", 'cannot read "next\\ntue\\u202esday"'),
    "terminal escape in a value": article("h2.md", fm("title: x", 'date: "\\e[31mred"'), 3, "date", 'cannot read "\\x1b[31mred"'),
    # duplicates
    "same id": clash("id"),
    "same slug": clash("slug"),
    "same URL from link": clash("link"),
    # limits and the file system
    "body over max_article_bytes": too_large("body"),
    "sidecar over max_article_bytes": too_large("sidecar"),
    "symlink loop": symlink_loop,
    "symlink to its own folder": symlink_to_root,
    "folder reached twice": folder_twice,
    "loop of file symlinks": link_loop_file,
    "broken symlink": broken_link,
    "FIFO named like an article": fifo,
    "no content folder": no_content_folder,
    # config
    "config key one edit off": config(DEFAULT_CONFIG + "limt = 20\n", 7, "limt", 'unknown key: did you mean "limit"?'),
    "config string never closed": config('base_url = "https://x.org/"\ntitle = "T\n', 2, None, "TOML does not parse: Illegal character '\\n' (a quote is opened and never closed: end the string with the same quote)"),
    "config file at the end unclosed": config('base_url = "https://x.org/"\ntitle = """T\n', None, None, "TOML does not parse: Unterminated string (a quote is opened and never closed: end the string with the same quote)"),
    "unknown config key": config(DEFAULT_CONFIG + "colour = 'red'\n", 7, "colour", "unknown key (known keys: archive_page_size, archives, author, base_url,"),
    "missing base_url": config('title = "T"\n', None, "base_url", 'is required, e.g. base_url = "https://example.org/"'),
    "relative base_url": config('base_url = "example.org"\n', 1, "base_url", "must be an absolute http(s) URL"),
    "config does not parse": config('base_url = "https://x.org/"\ntitle = \n', 2, None, "TOML does not parse: Invalid value"),
    "config not UTF-8": config(b'base_url = "https://x.org/"\ntitle = "caf\xe9"\n', 2, None, "not UTF-8 text"),
    "list as config title": config('base_url = "https://x.org/"\ntitle = ["a"]\n', 2, "title", "expected text, got a list"),
    "text as limit": config('base_url = "https://x.org/"\nlimit = "ten"\n', 2, "limit", "expected a whole number of 1 or more"),
    "bad max_article_bytes": config('base_url = "https://x.org/"\nmax_article_bytes = 0\n', 2, "max_article_bytes", "expected a whole number"),
    "config is a FIFO": config_fifo,
    "unknown time zone": config('base_url = "https://x.org/"\ntimezone = "Mars/Base"\n', 2, "timezone", 'unknown time zone "Mars/Base"'),
}  # fmt: skip


@pytest.fixture
def published(site: Site) -> dict[str, bytes]:
    """A site with published feeds; good.md is then edited, so a build that ran would differ."""
    site.article("good.md", title="Good", date="2025-01-01")
    first = site.run("build")
    assert first.exit_code == 0, first.output
    site.article("good.md", title="Good, edited", date="2025-01-01")
    return site.snapshot()


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input(site: Site, published: dict[str, bytes], case: str) -> None:
    expected = CASES[case](site)
    result = site.run("build")
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == len(expected), lines
    for expect in expected:
        assert any(expect.matches(line) for line in lines), (expect, lines)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert site.snapshot() == published
    assert site.leftovers() == []


def test_all_problems_in_one_run(site: Site, published: dict[str, bytes]) -> None:
    expected: list[Expect] = []
    for case in ("missing title", "number as date", "mapping as tag", "same id", "symlink loop"):
        expected += CASES[case](site)
    result = site.run("build")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == len(expected) == 5
    for expect in expected:
        assert any(expect.matches(line) for line in lines), (expect, lines)
    assert site.snapshot() == published


def test_config_and_content_problems_are_not_mixed(site: Site, published: dict[str, bytes]) -> None:
    # A broken config stops the build before content is read: its problems alone are shown.
    CASES["missing title"](site)
    expected = CASES["unknown config key"](site)
    result = site.run("build")
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if expected[0].matches(line)]
    assert len(result.stderr.splitlines()) == 1
    assert site.snapshot() == published


def test_check_reports_bad_input_the_same_way(site: Site, published: dict[str, bytes]) -> None:
    (expect,) = CASES["list as title"](site)
    result = site.run("build", "--check")
    assert result.exit_code == 1
    assert expect.matches(result.stderr.strip())


def test_a_symlinked_folder_of_articles_is_followed(site: Site, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "linked.md").write_text(fm("title: Linked", "date: 2025-03-01"))
    (site.content / "posts").symlink_to(elsewhere)
    (site.content / "post-link.md").symlink_to(elsewhere / "linked.md")
    site.configure(DEFAULT_CONFIG + f'linked_folders = ["{elsewhere}"]\n')
    result = site.run("build")
    assert result.exit_code == 0, result.output
    # Same date: file-name order, and content/post-link.md sorts before content/posts/.
    assert [e.link for e in site.parsed().entries] == [
        "https://example.org/blog/post-link/",
        "https://example.org/blog/linked/",
    ]


def test_article_exactly_at_the_limit_is_read(site: Site) -> None:
    site.configure(DEFAULT_CONFIG + "max_article_bytes = 200\n")
    path = site.article("edge.md")
    path.write_bytes(path.read_bytes().ljust(200, b"x"))
    assert path.stat().st_size == 200
    assert site.run("build").exit_code == 0
    path.write_bytes(path.read_bytes() + b"x")
    assert site.run("build").exit_code == 1


def test_a_huge_article_is_refused_without_reading_it(site: Site) -> None:
    # A sparse 1 GB file: refused by its size. Had it been read, memory use would show it.
    path = site.article("huge.md")
    with path.open("r+b") as handle:
        handle.truncate(10**9)
    tracemalloc.start()
    try:
        result = site.run("build")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code == 1
    assert f"{path}: the file is 1,000,000,000 bytes, more than max_article_bytes (4,194,304)" in (
        result.stderr
    )
    assert peak < 50 * 1024 * 1024


def test_a_long_front_matter_that_never_closes_is_read_in_few_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Lines that almost close it, a megabyte of them: reading and searching must stay
    # linear (each read doubles), or one bad file would stall a build.
    from feedtool.read import frontmatter

    path = tmp_path / "a.md"
    path.write_text("---\n" + "----\n...x\n" * 100_000, encoding="utf-8")
    sizes: list[int] = []
    read = os.read
    monkeypatch.setattr(os, "read", lambda fd, size: sizes.append(size) or read(fd, size))
    text = frontmatter.read_head(path)
    assert len(text) == path.stat().st_size and len(sizes) < 15
    with pytest.raises(ContentError, match="never closed"):
        frontmatter.split(text, path)


def test_a_name_that_is_not_utf8_is_shown_with_its_bytes() -> None:
    # The OS hands such a name over with each bad byte as a surrogate (surrogateescape).
    assert printable(os.fsdecode(b"content/caf\xe9.md")) == "content/caf\\xe9.md"
    assert printable("a \ud800 b") == "a \\ud800 b"  # other lone surrogates, by code point
