"""Adopting the feed a site publishes today (issue 20, item 1): init --from and
ids --adopt compare it item by item with feedtool's, and the ledger keeps every old
item's id and link from then on, whatever the dialect computes."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import threading
import time
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import feedparser
import pytest
from click.testing import CliRunner, Result

from conftest import TESTS
from feedtool.cli import cli
from feedtool.errors import ConfigError
from feedtool.publish.ledger import read_ledger
from feedtool.site.adopt import OldItem, compare, parse_feed

SITES = TESTS / "data" / "sites"
NOW = "2026-01-01T00:00:00Z"
BASE = "https://jekyll.example.org/blog/"
# In the old feed, "Own permalink" still has the address it had before its permalink:
# front matter was added (jekyll-feed's ids have no extension).
MOVED_LINK = f"{BASE}2024/03/15/own-permalink.html"
MOVED_ID = f"{BASE}2024/03/15/own-permalink"
GONE = {
    "id": f"{BASE}2023/12/01/a-deleted-post",
    "link": f"{BASE}2023/12/01/a-deleted-post.html",
    "title": "A deleted post",
    "published": "2023-12-01T00:00:00-05:00",
}


def jekyll_feed(items: list[dict[str, str]]) -> str:
    """An Atom feed shaped as jekyll-feed writes one."""
    entries = "".join(
        f'<entry><title type="html">{escape(item["title"])}</title>'
        f'<link href="{item["link"]}" rel="alternate" type="text/html" '
        f'title="{escape(item["title"])}" />'
        f"<published>{item['published']}</published><updated>{item['published']}</updated>"
        f'<id>{item["id"]}</id><content type="html" xml:base="{item["link"]}">'
        "&lt;p&gt;Text.&lt;/p&gt;</content></entry>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" >'
        '<generator uri="https://jekyllrb.com/" version="4.3.1">Jekyll</generator>'
        f'<link href="{BASE}feed.xml" rel="self" type="application/atom+xml" />'
        f'<link href="{BASE}" rel="alternate" type="text/html" />'
        f"<updated>2024-04-10T00:00:00-04:00</updated><id>{BASE}feed.xml</id>"
        f'<title type="html">Jekyll Test Site</title>{entries}</feed>'
    )


def old_items() -> list[dict[str, str]]:
    expected = json.loads((SITES / "jekyll" / "expected.json").read_text(encoding="utf-8"))
    items: list[dict[str, str]] = expected["items"]
    for item in items:
        if item["title"] == "Own permalink":
            item["link"], item["id"] = MOVED_LINK, MOVED_ID
    return [*items, GONE]


@pytest.fixture
def jekyll(tmp_path: Path) -> Path:
    """The Jekyll test site with the feed its generator built in _site/."""
    site = tmp_path / "jekyll"
    shutil.copytree(SITES / "jekyll", site)
    (site / "_site").mkdir()
    (site / "_site" / "feed.xml").write_text(jekyll_feed(old_items()), encoding="utf-8")
    return site


def run_in(site: Path, *args: str) -> Result:
    here = os.getcwd()
    os.chdir(site)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(here)


def built_entries(site: Path) -> dict[str, tuple[str, str]]:
    """title -> (id, link) of feedtool's Atom feed (where jekyll-feed's was), as feedparser
    reads it."""
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    return {entry.title: (entry.id, entry.link) for entry in parsed.entries}


def test_init_from_compares_the_built_feed_and_keeps_its_ids_and_links(jekyll: Path) -> None:
    result = run_in(jekyll, "init", "--from", ".")
    assert result.exit_code == 0, result.output
    assert "6 of 8 items of your current feed match (id, link, title, date): " in result.output
    assert (
        f'  _posts/2024-03-15-own-permalink.md: id: the feed has "{MOVED_ID}", feedtool would '
        f'make "{BASE}special/own-permalink" (matched by title and date; the feed\'s is kept)\n'
    ) in result.output
    assert result.stderr == ""
    assert (
        f'no article is the item "A deleted post" ({GONE["id"]}): nothing in the ledger for it'
    ) in result.output
    assert "keeps the id and link of 7 item(s) of that feed" in result.output
    items = read_ledger(jekyll / "feedtool.ids").items
    assert items[MOVED_ID].link == MOVED_LINK and items[MOVED_ID].keeps == "id,link"
    assert GONE["id"] not in items  # listed, never guessed

    build = run_in(jekyll, "build", "--now", NOW, "--no-cache")
    assert build.exit_code == 0, build.output
    entries = built_entries(jekyll)
    # The item whose computed link differs keeps the old feed's id and link.
    assert entries["Own permalink"] == (MOVED_ID, MOVED_LINK)
    for item in old_items()[:-1]:
        assert entries[item["title"]] == (item["id"], item["link"])
    again = run_in(jekyll, "build", "--now", NOW, "--no-cache")
    assert again.exit_code == 0 and "feedtool.ids" not in again.output  # stable


def test_ids_adopt_later_from_a_url(jekyll: Path) -> None:
    feed = (jekyll / "_site" / "feed.xml").read_bytes()
    shutil.rmtree(jekyll / "_site")
    assert run_in(jekyll, "init", "--from", ".").exit_code == 0
    assert not (jekyll / "feedtool.ids").exists()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml")
            self.end_headers()
            self.wfile.write(feed)

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as url:
        result = run_in(jekyll, "ids", "--adopt", f"{url}/feed.xml", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert "6 of 8 items of your current feed match" in result.output
    assert run_in(jekyll, "build", "--now", NOW, "--no-cache").exit_code == 0
    assert built_entries(jekyll)["Own permalink"] == (MOVED_ID, MOVED_LINK)


class serving:  # noqa: N801 (a context manager used like a function)
    """An HTTP server on localhost for the test's handler."""

    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *args: object) -> None:
        self.server.shutdown()
        self.server.server_close()


TRICKLE_SECONDS = 30.0  # how long the trickling server below would take


def trickling(where: str) -> type[http.server.BaseHTTPRequestHandler]:
    """A handler that sends one byte every 0.1 s for TRICKLE_SECONDS, in its headers
    (``where == "headers"``) or its body."""

    class Trickle(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            self.send_response(200)
            if where == "body":
                self.end_headers()
            else:
                self.flush_headers()
            try:
                for _ in range(int(TRICKLE_SECONDS * 10)):
                    self.wfile.write(b"x" if where == "headers" else b"<")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass

        def log_message(self, *args: object) -> None:
            pass

    return Trickle


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_trickling_download_is_cut_at_the_time_limit(
    monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    from feedtool.site import adopt

    monkeypatch.setattr(adopt, "FETCH_SECONDS", 1.0)
    with serving(trickling(where)) as url:
        started = time.monotonic()
        with pytest.raises(ConfigError) as caught:
            adopt.load_old_feed(url)
        elapsed = time.monotonic() - started
    assert str(caught.value) == f"{url}: cannot fetch it: took over 1 s"
    assert elapsed < TRICKLE_SECONDS / 2  # cut off, not read to the end


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("file:///etc/passwd", "file:///etc/passwd: only an http(s) address or a file can be read"),
        ("/dev/zero", "/dev/zero: is not a regular file"),
    ],
)
def test_only_http_or_a_regular_file_is_read(jekyll: Path, where: str, message: str) -> None:
    assert run_in(jekyll, "init", "--from", ".").exit_code == 0
    result = run_in(jekyll, "ids", "--adopt", where)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {message}")


def test_an_endless_download_is_cut_at_the_size_limit(
    jekyll: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedtool.site import adopt

    monkeypatch.setattr(adopt, "MAX_FEED_BYTES", 100_000)

    class Endless(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"<" * 65536)
            except OSError:
                pass

        def log_message(self, *args: object) -> None:
            pass

    assert run_in(jekyll, "init", "--from", ".").exit_code == 0
    with serving(Endless) as url:
        result = run_in(jekyll, "ids", "--adopt", url)
    assert result.exit_code == 1
    assert result.stderr == f"error: {url}: is over 100000 bytes, too big for a feed\n"


def test_matching_prefers_link_then_id_then_title_and_date() -> None:
    from conftest import ledger_article as article

    day = datetime.fromisoformat("2025-01-02T00:00:00+00:00")
    a = article("a.md", "id-a", "https://x.example/a/")
    b = article("b.md", "id-b", "https://x.example/b/")
    c = article("c.md", "id-c", "https://x.example/c/")._replace(title="Cee")
    old = [
        OldItem("id-b", "https://x.example/a/", "a.md", day),  # link says a, id says b
        OldItem("old-c", "https://x.example/old-c/", "Cee", day),
        OldItem("id-b", "https://x.example/elsewhere/", "b.md", day),
    ]
    found = compare("feed.xml", old, [a, b, c])
    assert [(m.article.source, m.by) for m in found.matches] == [
        ("/site/content/a.md", "link"),
        ("/site/content/c.md", "title and date"),
        ("/site/content/b.md", "id"),
    ]
    assert found.matches[0].differences == ("id",)


def test_rss_items_are_read_with_guid_and_pub_date() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Hello</title><link>https://x.example/hello/</link>"
        b"<guid>https://x.example/hello/</guid>"
        b"<pubDate>Fri, 05 Jan 2024 10:00:00 +0000</pubDate></item></channel></rss>"
    )
    (item,) = parse_feed(rss, "index.xml")
    assert item == OldItem(
        "https://x.example/hello/",
        "https://x.example/hello/",
        "Hello",
        datetime.fromisoformat("2024-01-05T10:00:00+00:00"),
    )


def test_an_item_without_a_link_never_gets_the_homepage_as_its_link() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b'<item><title>Guid only</title><guid isPermaLink="false">tag:x,2024:1</guid></item>'
        b"<item><title>Permalink guid</title><guid>https://x.example/p/</guid></item>"
        b"</channel></rss>"
    )
    guid_only, permalink = parse_feed(rss, "index.xml", "https://x.example/")
    assert (guid_only.id, guid_only.link) == ("tag:x,2024:1", "")
    assert (permalink.id, permalink.link) == ("https://x.example/p/", "https://x.example/p/")
    json_feed = b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"}]}'
    (item,) = parse_feed(json_feed, "feed.json", "https://x.example/")
    assert (item.id, item.link) == ("1", "")


def test_what_was_adopted_holds_with_new_ids_too(jekyll: Path) -> None:
    assert run_in(jekyll, "init", "--from", ".").exit_code == 0
    build = run_in(jekyll, "build", "--now", NOW, "--no-cache", "--new-ids")
    assert build.exit_code == 0, build.output
    assert built_entries(jekyll)["Own permalink"] == (MOVED_ID, MOVED_LINK)


def test_relative_links_resolve_against_the_site_and_relative_ids_are_never_kept() -> None:
    from conftest import LEDGER_CONTENT as CONTENT
    from conftest import ledger_article as article
    from feedtool.site.adopt import adopted_items

    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title/><id/><updated/>'
        b'<entry><title>a.md</title><link href="/posts/a/"/><id>/posts/a/</id>'
        b"<updated>2025-01-02T00:00:00Z</updated></entry></feed>"
    )
    (item,) = parse_feed(atom, "feed.xml", "https://x.example/")
    assert item.link == "https://x.example/posts/a/"
    found = compare("feed.xml", [item], [article("a.md", "https://x.example/posts/a/", item.link)])
    assert found.matches[0].by == "link"
    assert adopted_items(found, CONTENT) == []
    assert found.lines()[-1] == (
        '/site/content/a.md: the feed\'s id "/posts/a/" or link "https://x.example/posts/a/" is '
        "no absolute address (readers each read it their own way): not kept"
    )
