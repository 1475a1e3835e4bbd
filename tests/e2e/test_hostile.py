"""Hostile input, end to end: the attack review's reproductions (issue 17), each a failure
before its fix. Every one must end in one line naming the file (exit 1), never in a
traceback (exit 3), never in a secret published."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DEFAULT_CONFIG, Site
from feedtool.cli import cli
from feedtool.render.body_html import RENDERERS


def fm(*lines: str, body: str = "Body.\n") -> str:
    return "---\n" + "\n".join(lines) + "\n---\n" + body


OK = ("title: Good", "date: 2025-01-01")


def one_line_error(site: Site, *args: str) -> str:
    result = site.run(*args) if args else site.run()
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1, result.stderr  # what the name promises
    return result.stderr


# --- 1: symlinks never publish files outside the content folder ------------------------


@pytest.mark.parametrize("target", ["../.git/config", "/proc/self/environ"])
def test_a_symlinked_article_never_publishes_a_local_file(site: Site, target: str) -> None:
    git = site.root / ".git"
    git.mkdir()
    (git / "config").write_text("[http]\n\textraheader = AUTHORIZATION: basic SECRET-TOKEN\n")
    site.article("good.md", title="Good", date="2025-01-01")
    (site.content / "notes.txt").symlink_to(target)
    (site.content / "notes.yaml").write_text("title: Notes\ndate: 2025-01-02\n")
    stderr = one_line_error(site)
    assert f"{site.content / 'notes.txt'}: is a symlink to" in stderr
    assert not site.output.exists() or b"SECRET" not in (site.output / "rss.xml").read_bytes()
    # --keep-going leaves it out and publishes the rest.
    result = site.run("build", "--keep-going")
    assert result.exit_code == 0, result.output
    rss = (site.output / "rss.xml").read_bytes()
    assert b"SECRET" not in rss and b"HOME=" not in rss and b"Good" in rss


def test_a_local_enclosure_in_git_is_refused(site: Site) -> None:
    (site.content / ".git").mkdir(parents=True)
    (site.content / ".git" / "config").write_text("x")
    site.write("a.md", fm(*OK, "enclosures: [.git/config]"))
    assert "a .git folder, which is never read" in one_line_error(site)


# --- 3: one http(s)/mailto check for every URL that reaches a feed ---------------------


@pytest.mark.parametrize(
    "meta",
    [
        "author: {name: A, uri: 'javascript:alert(1)'}",
        "author: {name: A, uri: 'vbscript:msgbox(1)'}",
        "author: {name: A, uri: 'http://[::1'}",
        "link: 'javascript:alert(1)'",
        "image: 'javascript:alert(1)'",
        "image: 'http://[::1'",
        "enclosures: ['javascript:alert(1)']",
        "enclosures: ['https://example.org:99999/a.mp3']",
        "id: 'javascript:alert(1)'",
        "id: 'DATA:text/html,x'",
    ],
)
def test_hostile_urls_in_articles_are_one_line(site: Site, meta: str) -> None:
    site.write("a.md", fm(*OK, meta))
    stderr = one_line_error(site)
    assert f"{site.content / 'a.md'}:4:" in stderr and len(stderr.splitlines()) == 1


def test_a_mailto_author_uri_is_kept(site: Site) -> None:
    site.write("a.md", fm(*OK, "author: {name: A, uri: 'mailto:a@example.org'}"))
    assert site.run().exit_code == 0
    assert b"<uri>mailto:a@example.org</uri>" in (site.output / "atom.xml").read_bytes()


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('permalink = "javascript:alert(1)//{slug}"', "must be a path on the site"),
        ('permalink = "//evil.example/{slug}/"', "must be a path on the site"),
        ('permalink = "/{slug.x}/"', "unknown placeholder {slug.x}"),
        ('permalink = "/{slug[0]}/"', "unknown placeholder"),
        ('permalink = "/{slug"', "is not a pattern"),
        ('image = "http://[::1"', "is not a web address"),
        ('icon = "javascript:x"', "is not a web address"),
        ('hub = "ftp://hub.example/"', "must be the absolute http(s) URL of a WebSub hub"),
        ('base_url = "https://example.org:99999/"', "Port out of range"),
        ('base_url = "https://example.org/?a=1"', "is a page, not the folder"),
        ('base_url = "https://example.org/#top"', "is a page, not the folder"),
        ('base_url = "https://bücher.example/"', '"https://xn--bcher-kva.example/"'),
        ('timezone = "../../../../etc/passwd"', "unknown time zone"),
        ("timezone = " + json.dumps("A" * 5000), "unknown time zone"),
        ("max_article_bytes = 9223372036854775807", "more than 1,073,741,824 bytes"),
        ("limit = " + "9" * 5000, "cannot be read"),
    ],
)
def test_hostile_config_values_are_one_line(site: Site, setting: str, message: str) -> None:
    lines = [line for line in DEFAULT_CONFIG.splitlines() if line.split(" ")[0] not in setting]
    site.configure("\n".join([*lines, setting]) + "\n")
    site.article("a.md", title="A", date="2025-01-01")
    stderr = one_line_error(site)
    assert message in stderr and len(stderr.splitlines()) == 1, stderr
    assert len(stderr) < 400


# --- 4, 5: small inputs with huge costs are refused, against the article ---------------


def test_a_thousand_tags_are_refused_at_once(site: Site) -> None:
    site.configure(feeds_per=["tags"])
    tags = ", ".join(f"t{number}" for number in range(1000))
    site.write("a.md", fm(*OK, f"tags: [{tags}]"))
    stderr = one_line_error(site)
    assert "1,000 tags and categories, more than max_tags (100)" in stderr
    assert not site.output.exists()


def test_group_feeds_per_build_are_limited(site: Site) -> None:
    site.configure(DEFAULT_CONFIG + 'feeds_per = ["tags"]\nmax_group_feeds = 3\n')
    for number in range(4):
        site.write(
            f"a{number}.md", fm(f"title: A{number}", "date: 2025-01-01", f"tags: [t{number}]")
        )
    assert "more than 3 group feeds" in one_line_error(site)


def test_a_huge_escaped_body_is_the_articles_error(site: Site) -> None:
    # 3,000,000 "<" once blamed feeds/atom.xml ("Resource limit exceeded") and stopped all.
    site.article("good.md", title="Good", date="2025-01-01")
    site.write("huge.txt", fm("title: Huge", "date: 2025-01-02", body="<" * 3_000_000))
    stderr = one_line_error(site)
    assert f"{site.content / 'huge.txt'}: its body makes" in stderr
    assert "max_html_bytes" in stderr and "feeds/" not in stderr
    result = site.run("build", "--keep-going")
    assert result.exit_code == 0, result.output
    atom = (site.output / "atom.xml").read_bytes()
    assert b"Good" in atom and b"Huge" not in atom


def test_a_table_of_empty_cells_is_refused_before_rendering(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    columns = 1000
    table = "|a" * columns + "|\n" + "|-" * columns + "|\n" + ("|" * (columns + 1) + "\n") * 4000
    site.write("table.md", fm(*OK, body=table))
    rendered: list[str] = []
    markdown = RENDERERS["markdown"]
    monkeypatch.setitem(RENDERERS, "markdown", lambda text: rendered.append(text) or markdown(text))
    stderr = one_line_error(site)
    assert "table cells" in stderr and "table.md" in stderr
    assert rendered == [], "the table reached the Markdown renderer"
    assert not site.output.exists()


# --- 8: what was an internal error is one line ----------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.md", fm(*OK, "x: " + "9" * 5000), "as a number"),
        ("a.md", fm(*OK, "x: !!float abc"), "cannot read 'abc' as a number"),
        ("a.md", fm(*OK, "x: !!bool maybe"), "cannot be read"),
        ("a.md", "+++\ntitle = 'A'\ndate = 2025-01-01\nx = " + "9" * 5000 + "\n+++\nB\n", "TOML"),
        ("a.txt", "", "JSON has a value that cannot be read"),
        ("b.md", fm("title: B", "date: 0001-01-01T00:00:00"), "the year 1 is outside 1900-9998"),
        ("b.md", fm("title: B", 'date: "January 1 0001"'), "the year 0001 is outside"),
        ("b.md", fm("title: B", 'date: "1 Jan 0050"'), "the year 0050 is outside"),
        ("b.md", fm("title: B", "date: 9999-12-31T23:59:59-12:00"), "the year 9999 is outside"),
    ],
)
def test_odd_values_are_one_line_even_with_keep_going(
    site: Site, name: str, text: str, message: str
) -> None:
    site.configure(DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "Asia/Tokyo"'))
    site.article("good.md", title="Good", date="2025-01-01")
    site.write(name, text)
    if name == "a.txt":
        (site.content / "a.json").write_text(
            '{"title": "A", "date": "2025-01-01", "x": %s}' % ("9" * 5000)
        )
    stderr = one_line_error(site)
    assert message in stderr, stderr
    result = site.run("build", "--keep-going")
    assert result.exit_code == 0, result.output


def test_new_with_a_date_at_the_end_of_time_is_one_line(site: Site) -> None:
    site.configure()
    args = ["new", "x", "--date", "9999-12-31T23:59:59-12:00"]
    paths = ["--content", str(site.content), "--config", str(site.config_path)]
    result = CliRunner().invoke(cli, [*args, *paths])
    assert result.exit_code in (1, 2) and "internal error" not in result.output, result.output
    assert "the year 9999 is outside" in result.output


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("id.json", '{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": '
         '[{"id": %s}]}' % ("9" * 5000), "a number too long"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "JSON that cannot be read"),
        ("y0.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>'
         "https://e.org/</link><description>d</description><item><title>x</title><guid>"
         "https://e.org/a</guid><pubDate>Sat, 01 Jan 0000 00:00:00 +0000</pubDate></item>"
         "</channel></rss>", "the year 0000"),
    ],
)  # fmt: skip
def test_validate_on_unreadable_values_is_one_line(
    tmp_path: Path, name: str, data: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(data)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1 and "internal error" not in result.output, result.output
    assert message in result.output


# --- 13: hardening ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kind"),
    [(".nan", "yaml"), ("1_000", "yaml"), ("1e3", "yaml"), ("0x1F", "yaml"), ("nan", "toml"),
     ("1e3", "toml"), ("1.50", "json"), ("NaN", "json"), ("1E3", "json")],
)  # fmt: skip
def test_titles_read_as_numbers_are_kept_as_written(site: Site, written: str, kind: str) -> None:
    site.write("a.txt", "Body.\n")
    sidecars = {
        "yaml": ("a.yaml", f"title: {written}\ndate: 2025-01-01\n"),
        "toml": ("a.toml", f"title = {written}\ndate = 2025-01-01\n"),
        "json": ("a.json", f'{{"title": {written}, "date": "2025-01-01"}}'),
    }
    name, text = sidecars[kind]
    (site.content / name).write_text(text)
    assert site.run().exit_code == 0
    assert f"<title>{written}</title>".encode() in (site.output / "rss.xml").read_bytes()


def test_windows_device_names_are_never_group_folders(site: Site) -> None:
    site.configure(feeds_per=["tags"])
    site.write("a.md", fm(*OK, "tags: [CON, nul, Com1, python]"))
    assert site.run().exit_code == 0
    folders = sorted(p.name for p in (site.output / "tags").iterdir())
    assert "python" in folders
    assert not {"con", "nul", "com1"} & set(folders)
    assert all(name.split("_")[0] in ("con", "nul", "com1", "python") for name in folders)


def test_the_id_attribute_is_stripped(site: Site) -> None:
    site.write("a.md", fm(*OK, body='<a id="config" name="x" href="/a">A</a>\n'))
    assert site.run().exit_code == 0
    html = json.loads((site.output / "feed.json").read_text())["items"][0]["content_html"]
    assert 'href="https://example.org/a"' in html
    assert "id=" not in html and "name=" not in html


def test_a_cached_build_never_executes_the_cache(site: Site, tmp_path: Path) -> None:
    # The same through the command line: build, build --check, all with a hostile cache.
    import pickle

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    cache = site.root.with_name(site.root.name + "-cache")
    cache.mkdir()
    for name in ("state.pickle", "state.json"):
        (cache / name).write_bytes(pickle.dumps(Payload()))
    site.article("a.md", title="A", date="2025-01-01")
    assert site.run("build").exit_code == 0
    assert site.run("build", "--check").exit_code == 0
    assert not marker.exists()
