"""WebSub: hub links in RSS and Atom, and `build --ping` against a real hub on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from lxml import etree

from conftest import Site
from feedcheck import atom_problems
from feedtool.site.websub import changed_topics, ping

NOW = "2026-01-01T00:00:00Z"


@dataclass
class Hub:
    """A WebSub hub that records every publish notification it is sent."""

    url: str
    pings: list[dict[str, list[str]]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    status: int = 204

    def topics(self) -> list[str]:
        return sorted(p["hub.url"][0] for p in self.pings)


@pytest.fixture
def hub() -> Iterator[Hub]:
    record = Hub(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers["Content-Length"])
            record.pings.append(parse_qs(self.rfile.read(length).decode("ascii")))
            record.headers.append(dict(self.headers))
            self.send_response(record.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    record.url = f"http://127.0.0.1:{server.server_address[1]}/hub"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield record
    server.shutdown()
    server.server_close()
    thread.join()


def test_hub_link_in_rss_and_atom(site: Site) -> None:
    site.configure(hub="https://hub.example.net/")
    site.article("a.md")
    site.build()
    for name in ("rss.xml", "atom.xml"):
        links = {(link.rel, link.href) for link in site.parsed(name).feed.links}
        assert ("hub", "https://hub.example.net/") in links, name
        assert ("self", f"https://example.org/blog/{name}") in links
    assert atom_problems((site.output / "atom.xml").read_bytes()) == []
    # In RSS the hub link goes before the items (after them the W3C validator warns).
    channel = etree.fromstring((site.output / "rss.xml").read_bytes()).find("channel")
    assert channel is not None
    children = list(channel)
    hub_link = next(c for c in children if c.get("rel") == "hub")
    assert hub_link.tag == "{http://www.w3.org/2005/Atom}link"
    assert children.index(hub_link) < children.index(channel.find("item"))  # type: ignore[arg-type]


def test_no_hub_no_link(site: Site) -> None:
    site.build()
    for name in ("rss.xml", "atom.xml"):
        assert b"hub" not in (site.output / name).read_bytes()


def test_one_ping_per_changed_feed_none_when_nothing_changed(site: Site, hub: Hub) -> None:
    site.configure(hub=hub.url)
    site.article("a.md", title="A")
    first = site.run("build", "--ping", "--now", NOW)
    assert first.exit_code == 0, first.output
    # Every feed file is pinged (JSON Feed carries the hub too); index.opml is not a feed.
    assert hub.topics() == [
        "https://example.org/blog/atom.xml",
        "https://example.org/blog/feed.json",
        "https://example.org/blog/rss.xml",
    ]
    assert all(p["hub.mode"] == ["publish"] for p in hub.pings)
    assert all(len(p) == 2 for p in hub.pings)  # hub.mode and hub.url, nothing else
    assert all(h["Content-Type"] == "application/x-www-form-urlencoded" for h in hub.headers)
    assert f"pinged {hub.url} for https://example.org/blog/atom.xml" in first.output

    hub.pings.clear()
    again = site.run("build", "--ping", "--now", NOW)
    assert again.exit_code == 0
    assert hub.pings == []
    assert "not pinged" in again.output

    site.article("b.md", title="B")
    third = site.run("build", "--ping", "--now", NOW)
    assert third.exit_code == 0
    assert len(hub.pings) == 3 and len(hub.topics()) == 3


def test_only_the_feed_that_changed_is_pinged(site: Site, hub: Hub) -> None:
    site.configure(hub=hub.url)
    site.article("a.md")
    assert site.run("build", "--now", NOW).exit_code == 0
    # Make one file differ on disk: only that one is rewritten, and only it is pinged.
    (site.output / "rss.xml").write_bytes(b"old")
    result = site.run("build", "--ping", "--now", NOW)
    assert result.exit_code == 0
    assert hub.topics() == ["https://example.org/blog/rss.xml"]


def test_a_failed_ping_is_a_warning_and_exit_0(site: Site, hub: Hub) -> None:
    site.configure(hub=hub.url)
    hub.status = 500
    result = site.run("build", "--ping", "--now", NOW)
    assert result.exit_code == 0
    assert (site.output / "atom.xml").exists()
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3
    assert "the hub answered HTTP 500" in warnings[0]


def test_an_unreachable_hub_is_a_warning(site: Site) -> None:
    site.configure(hub="http://127.0.0.1:9/")  # discard port: nothing listens there
    result = site.run("build", "--ping", "--now", NOW)
    assert result.exit_code == 0
    assert result.output.count("warning: WebSub ping for") == 3
    assert "cannot reach the hub" in result.output


def test_ping_needs_a_hub_and_no_check(site: Site, hub: Hub) -> None:
    result = site.run("build", "--ping")
    assert result.exit_code == 1
    assert "--ping needs a hub" in result.output
    assert not site.output.exists()
    site.configure(hub=hub.url)
    assert site.run("build", "--ping", "--check").exit_code == 2
    assert hub.pings == []


def test_bad_hub_in_config(site: Site) -> None:
    site.configure(hub="ftp://hub.example.net/")
    result = site.run("build")
    assert result.exit_code == 1
    assert "hub: " in result.output and "WebSub hub" in result.output


def test_changed_topics_skips_what_is_not_a_feed() -> None:
    files = {
        "rss.xml": b"<rss version='2.0'><channel/></rss>",
        "index.opml": b"<opml version='2.0'/>",
        "feed.json": b'{"version": "https://jsonfeed.org/version/1.1"}',
        "notes.txt": b"x",
    }
    assert changed_topics("https://x.org/f/", sorted(files), files) == [
        "https://x.org/f/feed.json",
        "https://x.org/f/rss.xml",
    ]


def test_ping_function_reports_the_hub_answer(hub: Hub) -> None:
    answer = ping(hub.url, "https://x.org/atom.xml")
    assert answer.ok and answer.detail == "HTTP 204"
    assert hub.pings == [{"hub.mode": ["publish"], "hub.url": ["https://x.org/atom.xml"]}]
