"""WebSub: hub links in RSS and Atom, and `build --ping` against a real hub on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from lxml import etree

from conftest import Site
from feedcheck import atom_problems
from feedtool.site import websub
from feedtool.site.websub import Ping, changed_topics, ping, ping_all

NOW = "2026-01-01T00:00:00Z"


@dataclass
class Hub:
    """A WebSub hub that records every publish notification it is sent."""

    url: str
    pings: list[dict[str, list[str]]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    status: int = 204
    reason: str | None = None

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
            self.send_response(record.status, record.reason)
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
    assert f"pinged {hub.url} about 3 changed feed(s)" in first.output

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
    assert len(warnings) == 1
    assert "failed for 3 of 3 changed feed(s): the hub answered HTTP 500" in warnings[0]


def test_an_unreachable_hub_is_a_warning(site: Site) -> None:
    site.configure(hub="http://127.0.0.1:9/")  # discard port: nothing listens there
    result = site.run("build", "--ping", "--now", NOW)
    assert result.exit_code == 0
    # One line with the count, not one per feed (a build may change dozens).
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, result.output
    assert "failed for 3 of 3 changed feed(s): cannot reach the hub" in warnings[0]


def test_verbose_names_each_feed(site: Site, hub: Hub) -> None:
    site.configure(hub=hub.url)
    result = site.run("build", "-v", "--ping", "--now", NOW)
    assert result.exit_code == 0
    assert f"pinged {hub.url} for https://example.org/blog/atom.xml (HTTP 204)" in result.output


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


def test_a_hostile_hub_answer_is_printed_escaped(site: Site, hub: Hub) -> None:
    site.configure(hub=hub.url)
    hub.status = 500
    hub.reason = "Oops\x1b]0;pwned\x07"
    result = site.run("build", "--ping", "--now", NOW)
    assert "\x1b" not in result.output
    assert "Oops\\x1b]0;pwned\\x07" in result.output


class SlowHub:
    """A hub on 127.0.0.1 that misbehaves: ``silent`` (takes the request, never answers),
    ``trickle`` (sends its answer one byte at a time, each well within any per-read
    timeout, for as long as it is let), or ``together`` (answers only once ``together``
    connections are open at the same time). ``release()`` ends every connection."""

    def __init__(self, mode: str, together: int = 0) -> None:
        self.mode = mode
        self.together = together
        self.released = threading.Event()
        self.cut_off = threading.Event()  # the client closed a connection on the hub
        self.finished_sending = threading.Event()
        self.lock = threading.Lock()
        self.open = 0
        self.peak = 0
        self.all_there = threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/hub"
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        counted = True  # in self.open until the finally below (or the answer) takes it out
        with self.lock:
            self.open += 1
            self.peak = max(self.peak, self.open)
            if self.open >= self.together > 0:
                self.all_there.set()
        try:
            conn.recv(65536)  # the request
            if self.mode == "silent":
                self.released.wait(60)
            elif self.mode == "trickle":
                answer = b"HTTP/1.1 204 No Content\r\n" + b"X-Slow: " + b"." * 10_000
                for byte in answer:
                    if self.released.wait(0.02):
                        return
                    conn.sendall(bytes([byte]))
                self.finished_sending.set()
            elif self.mode == "together":
                self.all_there.wait(60)
                # Counted as closed before the answer: once answered, the client may open
                # its next connection before this thread reaches its finally (peak 5 of 4).
                with self.lock:
                    self.open -= 1
                    counted = False
                conn.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
        except OSError:
            self.cut_off.set()
        finally:
            conn.close()
            if counted:
                with self.lock:
                    self.open -= 1

    def release(self) -> None:
        self.released.set()
        # close() alone does not wake the thread waiting in accept() (it would outlive the
        # test, and no build forks work while another thread runs); shutdown() does.
        with contextlib.suppress(OSError):
            self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        self.thread.join(timeout=5)


def _in_time(call: Callable[[], list[Ping]]) -> list[Ping]:
    """Run ``call``; a guard so a hang fails the test instead of stopping the suite."""
    result: list[list[Ping]] = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    thread.join(120)
    assert result, "ping_all did not return"
    return result[0]


def test_a_trickling_hub_cannot_hold_the_ping_past_its_deadline() -> None:
    # One byte every 20 ms: a per-read timeout of 5 s never fires, and the whole answer
    # takes minutes. The deadline ends the ping, and the connection is cut.
    hub = SlowHub("trickle")
    try:
        answers = _in_time(lambda: ping_all(hub.url, ["https://x.org/a"], deadline=0.5, timeout=5))
        assert not hub.finished_sending.is_set()
        assert answers == [Ping("https://x.org/a", False, "no answer within 0.5 s")]
        assert hub.cut_off.wait(60), "the connection to the hub was left open"
    finally:
        hub.release()


def test_a_silent_hub_costs_one_deadline_not_one_timeout_per_feed() -> None:
    hub = SlowHub("silent")
    topics = [f"https://x.org/{n}.xml" for n in range(20)]
    try:
        # One after another, each waiting out its 5 s timeout, this would take 100 s.
        answers = _in_time(lambda: ping_all(hub.url, topics, deadline=0.5, timeout=5, workers=4))
        assert not hub.released.is_set()
        assert [a.topic for a in answers] == topics
        assert {a.detail for a in answers} == {"no answer within 0.5 s"}
        assert hub.peak <= 4
    finally:
        hub.release()


def test_pings_go_out_together_at_most_workers_at_a_time() -> None:
    # The hub answers only when four pings are open at once: pings sent one after
    # another would all wait for nothing.
    hub = SlowHub("together", together=4)
    topics = [f"https://x.org/{n}.xml" for n in range(12)]
    try:
        answers = _in_time(lambda: ping_all(hub.url, topics, deadline=60, timeout=30, workers=4))
        assert [(a.topic, a.ok, a.detail) for a in answers] == [
            (t, True, "HTTP 204") for t in topics
        ]
        assert hub.peak == 4
    finally:
        hub.release()


def test_build_ping_with_a_silent_hub_ends_with_one_warning(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = SlowHub("silent")
    monkeypatch.setattr(websub, "DEADLINE", 0.5)
    try:
        site.configure(hub=hub.url)
        result = site.run("build", "--ping", "--now", NOW)
        assert result.exit_code == 0
        assert not hub.released.is_set()
        warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
        assert warnings == [
            f"warning: WebSub ping to {hub.url} failed for 3 of 3 changed feed(s): no answer "
            "within 0.5 s; the hub sees the changes when it next fetches the feeds"
        ]
    finally:
        hub.release()
