"""The preview server: real HTTP requests against start_server() and `feedtool serve`."""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from click.testing import CliRunner

from conftest import DEFAULT_CONFIG, NOW, Site, options
from feedtool.cli import cli
from feedtool.config import load_config
from feedtool.errors import FeedtoolError
from feedtool.pipeline import build
from feedtool.site import serve
from feedtool.site.serve import Limits, RunningServer, fingerprint, start_server


def request(
    server: RunningServer | str,
    path: str,
    headers: dict[str, str] | None = None,
    method: str = "GET",
) -> tuple[int, dict[str, str], bytes]:
    """One request, sending ``path`` exactly as given (no client-side normalising)."""
    parts = urlsplit(server if isinstance(server, str) else server.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture
def served(site: Site) -> Iterator[tuple[Site, RunningServer]]:
    site.article("2025-01-01-first.md", title="First", date="2025-01-01T00:00:00Z")

    def rebuild() -> None:
        build(
            site.content,
            site.output,
            load_config(site.config_path),
            options(load_config(site.config_path), NOW),
        )

    # No looks in the background: each test says when to look (look()), so nothing
    # depends on timing; test_the_watcher_rebuilds_by_itself covers the watcher.
    with start_server(
        site.output, rebuild=rebuild, watch=[site.content, site.config_path], look_pause=3600
    ) as running:
        yield site, running


def look(running: RunningServer) -> bool:
    assert running.rebuilder is not None
    return running.rebuilder.refresh()


def test_builds_first_and_serves_each_feed_with_its_type(
    served: tuple[Site, RunningServer],
) -> None:
    site, running = served
    assert running.server.server_address[0] == "127.0.0.1"
    expected = {
        "rss.xml": "application/rss+xml; charset=utf-8",
        "atom.xml": "application/atom+xml; charset=utf-8",
    }
    for name, kind in expected.items():
        status, headers, body = request(running, "/" + name)
        assert status == 200
        assert headers["Content-Type"] == kind
        assert body == (site.output / name).read_bytes()
        assert int(headers["Content-Length"]) == len(body)
        feed = feedparser.parse(body)
        assert not feed.bozo and [e.title for e in feed.entries] == ["First"]
    status, headers, body = request(running, "/rss.xml", method="HEAD")
    assert status == 200 and body == b"" and headers["Content-Type"].startswith("application/rss")


def test_json_feed_and_opml_types(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "feed.json").write_text(
        json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []})
    )
    (out / "index.opml").write_text('<?xml version="1.0"?><opml version="2.0"><body/></opml>')
    (out / "other.json").write_text("{}")
    with start_server(out) as running:
        assert request(running, "/feed.json")[1]["Content-Type"] == (
            "application/feed+json; charset=utf-8"
        )
        assert request(running, "/index.opml")[1]["Content-Type"] == "text/x-opml; charset=utf-8"
        assert request(running, "/other.json")[1]["Content-Type"].startswith("application/json")


def test_etag_and_last_modified_give_304(served: tuple[Site, RunningServer]) -> None:
    site, running = served
    status, headers, _ = request(running, "/atom.xml")
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200 and etag.startswith('"') and etag.endswith('"')
    mtime = (site.output / "atom.xml").stat().st_mtime
    assert email.utils.parsedate_to_datetime(last_modified).timestamp() == int(mtime)

    status, headers, body = request(running, "/atom.xml", {"If-None-Match": etag})
    assert (status, body) == (304, b"")
    assert headers["ETag"] == etag
    assert request(running, "/atom.xml", {"If-None-Match": f'"other", W/{etag}'})[0] == 304
    assert request(running, "/atom.xml", {"If-None-Match": '"other"'})[0] == 200
    assert request(running, "/atom.xml", {"If-Modified-Since": last_modified})[0] == 304
    earlier = email.utils.formatdate(int(mtime) - 60, usegmt=True)
    assert request(running, "/atom.xml", {"If-Modified-Since": earlier})[0] == 200
    # If-None-Match decides when both are sent (RFC 9110 13.2.2).
    both = {"If-None-Match": '"other"', "If-Modified-Since": last_modified}
    assert request(running, "/atom.xml", both)[0] == 200


def test_rebuilds_after_an_edit(served: tuple[Site, RunningServer]) -> None:
    site, running = served
    _, before, _ = request(running, "/rss.xml")
    site.article("2025-02-01-second.md", title="Second", date="2025-02-01T00:00:00Z")
    assert look(running)
    status, after, body = request(running, "/rss.xml")
    assert status == 200
    assert [e.title for e in feedparser.parse(body).entries] == ["Second", "First"]
    assert after["ETag"] != before["ETag"]
    # A reader holding the old ETag now gets the new feed, not a 304.
    assert request(running, "/rss.xml", {"If-None-Match": before["ETag"]})[0] == 200
    site.configure(DEFAULT_CONFIG.replace("Test site", "Renamed site"))
    assert look(running)
    assert feedparser.parse(request(running, "/atom.xml")[2]).feed.title == "Renamed site"
    builds = running.rebuilder.builds if running.rebuilder else 0
    assert not look(running)
    request(running, "/atom.xml")
    assert running.rebuilder is not None and running.rebuilder.builds == builds  # nothing changed


def test_a_failed_rebuild_keeps_serving_the_last_good_feeds(
    served: tuple[Site, RunningServer],
) -> None:
    site, running = served
    good = request(running, "/atom.xml")[2]
    site.write("broken.md", "---\ntitle: no date\n---\n", dedent=False)
    assert look(running)
    status, _, body = request(running, "/atom.xml")
    assert (status, body) == (200, good)


def test_unknown_and_outside_paths_are_404(site: Site, tmp_path: Path) -> None:
    site.build()
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web")
    (site.output / "link.txt").symlink_to(secret)
    (site.output / ".atom.xml.abc.tmp").write_text("half written")
    with start_server(site.output) as running:
        for path in [
            "/nope.xml",
            "/../feedtool.toml",
            "/%2e%2e/feedtool.toml",
            "/..%2ffeedtool.toml",
            "/link.txt",
            "/.atom.xml.abc.tmp",
            "/atom.xml%00",
            "/..\\feedtool.toml",
        ]:
            status, _, body = request(running, path)
            assert status == 404, path
            assert b"not for the web" not in body and b"base_url" not in body
        assert request(running, "/atom.xml?x=1")[0] == 200


def test_index_lists_feeds_for_autodiscovery(served: tuple[Site, RunningServer]) -> None:
    site, running = served
    site.configure(html_page=False)  # no page of the build's own: the server lists the files
    assert look(running)
    status, headers, body = request(running, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'<link rel="alternate" type="application/atom+xml" href="atom.xml">' in body
    assert b'href="rss.xml"' in body


def test_fingerprint_sees_new_changed_and_removed_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("one")
    first = fingerprint([tmp_path, tmp_path / "missing.toml"])
    assert fingerprint([tmp_path, tmp_path / "missing.toml"]) == first
    (tmp_path / "a.md").write_text("two!")
    second = fingerprint([tmp_path])
    assert second != fingerprint([tmp_path, tmp_path / "missing.toml"])
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("x")
    assert fingerprint([tmp_path]) != second
    (tmp_path / "sub" / "b.md").unlink()
    assert fingerprint([tmp_path]) == second


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_feedtool_serve_command(site: Site, signum: signal.Signals) -> None:
    """The real command in a subprocess: builds, prints its URL and the main feeds (not
    every file), serves, stops on Ctrl-C and on SIGTERM."""
    site.configure(feeds_per=["tags"])
    site.article("a.md", title="Served", tags="[one, two, three]")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "feedtool",
            "serve",
            "--port",
            "0",
            "--content",
            str(site.content),
            "--output",
            str(site.output),
            "--config",
            str(site.config_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith(f"Serving {site.output} at http://127.0.0.1:"), first
        url = first.split(" at ")[1].split()[0]
        listed = [process.stdout.readline().rstrip("\n") for _ in range(5)]
        # The site's own feeds, then a count of the rest (3 tags x 3 formats).
        assert listed == [
            f"  {url}atom.xml",
            f"  {url}feed.json",
            f"  {url}index.opml",
            f"  {url}rss.xml",
            "  and 9 more file(s) (per-tag feeds, archives...)",
        ]
        status, headers, body = request(url, "/atom.xml")
        assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
        assert [e.title for e in feedparser.parse(body).entries] == ["Served"]
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert "Stopped." in stdout
    assert '"GET /atom.xml HTTP/1.1" 200' in stderr
    assert "Traceback" not in stderr


def test_serve_with_a_missing_config_stops_as_build_does(site: Site) -> None:
    missing = str(site.root / "missing.toml")
    built = site.run("build", "--config", missing)
    served = CliRunner().invoke(cli, ["serve", "--config", missing, "--port", "0"])
    assert built.exit_code == served.exit_code == 1
    assert served.output == built.output
    assert built.output == (
        f"error: {missing}: config file not found in {site.root} (give another with --config)\n"
    )


def test_validate_with_a_missing_config_stops_as_build_does(site: Site) -> None:
    missing = str(site.root / "missing.toml")
    built = site.run("build", "--config", missing)
    site.build()
    for args in ([], [str(site.output)]):
        checked = CliRunner().invoke(cli, ["validate", "--config", missing, *args])
        assert checked.exit_code == 1, checked.output
        assert checked.output == built.output


def test_an_empty_host_is_refused(site: Site) -> None:
    # "" listens on every interface while the URL printed would be http://:8000/.
    result = site.run("serve", "--host", "")
    assert result.exit_code == 2
    assert "every network interface" in result.output
    with pytest.raises(FeedtoolError, match="every network interface"):
        start_server(site.output, "")


def test_a_busy_port_is_one_line_exit_1_before_anything_is_built(
    site: Site, tmp_path: Path
) -> None:
    site.article("a.md")
    with start_server(tmp_path / "another") as running:
        port = str(urlsplit(running.url).port)
        result = site.run("serve", "--port", port)
    assert result.exit_code == 1
    assert result.output.startswith(f"error: cannot listen on 127.0.0.1 port {port}: ")
    assert len(result.output.splitlines()) == 1, result.output
    assert not (site.output / "atom.xml").exists()


# --- what a reader cannot do to the server (issue 17, finding 10) -------------------


def _connect(running: RunningServer) -> socket.socket:
    parts = urlsplit(running.url)
    return socket.create_connection((parts.hostname or "", parts.port or 80), timeout=60)


def _closed_by_server(connection: socket.socket) -> bool:
    """Read until the server closes; False if it is still open after the socket's timeout."""
    try:
        while connection.recv(4096):
            pass
    except TimeoutError:
        return False
    except OSError:
        pass  # reset: closed too
    return True


def test_a_half_sent_request_is_cut_off(site: Site) -> None:
    site.build()
    limits = Limits(request_seconds=0.5)
    with start_server(site.output, limits=limits) as running:
        connection = _connect(running)
        with connection:
            connection.sendall(b"GET /atom.xml HTTP/1.1\r\nHost: x\r\n")  # no blank line
            stop = threading.Event()

            def trickle() -> None:  # a byte now and then: a per-read timeout never fires
                while not stop.wait(0.1):
                    try:
                        connection.sendall(b"X")
                    except OSError:
                        return

            thread = threading.Thread(target=trickle, daemon=True)
            thread.start()
            try:
                assert _closed_by_server(connection)
            finally:
                stop.set()
        # Meanwhile and after, others are answered.
        assert request(running, "/atom.xml")[0] == 200


def test_many_half_sent_requests_hold_no_worker(site: Site) -> None:
    # Readers that never finish their request wait in one selector thread: they take
    # no thread each, and a whole request is answered at once past all of them.
    site.build()
    limits = Limits(workers=2, backlog=2, request_seconds=600)
    with start_server(site.output, limits=limits) as running:
        threads_before = threading.active_count()
        connections = [_connect(running) for _ in range(300)]
        try:
            for connection in connections:
                connection.sendall(b"GET /atom.xml HTTP/1.1\r\n")
            assert request(running, "/atom.xml")[0] == 200
            assert threading.active_count() <= threads_before
        finally:
            for connection in connections:
                connection.close()


def test_requests_do_not_walk_the_content_tree(
    served: tuple[Site, RunningServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A walk per request cost 14 s a request with a million files; now only the watcher
    # looks (here: never, look_pause is an hour).
    _, running = served
    looks = []
    real = serve.fingerprint
    monkeypatch.setattr(serve, "fingerprint", lambda paths: looks.append(1) or real(paths))
    for _ in range(20):
        assert request(running, "/atom.xml")[0] == 200
    assert looks == []


def test_the_watcher_rebuilds_by_itself(site: Site) -> None:
    site.article("a.md", title="First")

    def rebuild() -> None:
        build(
            site.content,
            site.output,
            load_config(site.config_path),
            options(load_config(site.config_path), NOW),
        )

    with start_server(
        site.output, rebuild=rebuild, watch=[site.content, site.config_path], look_pause=0.05
    ) as running:
        site.article("b.md", title="Second", date="2025-02-01T00:00:00Z")
        titles: list[str] = []
        for _ in range(600):  # a minute at most; a look is due every 0.05 s
            titles = [e.title for e in feedparser.parse(request(running, "/atom.xml")[2]).entries]
            if "Second" in titles:
                break
            time.sleep(0.1)
        assert titles == ["Second", "First"]


def test_a_huge_if_modified_since_year_is_ignored(served: tuple[Site, RunningServer]) -> None:
    _, running = served
    huge = "Mon, 01 Jan 99999999999999999999 00:00:00 GMT"
    status, _, body = request(running, "/atom.xml", {"If-Modified-Since": huge})
    assert status == 200 and body


def test_a_fifo_in_the_output_never_blocks(site: Site) -> None:
    site.configure(html_page=False)  # "/" lists the files
    site.build()
    os.mkfifo(site.output / "pipe.xml")
    with start_server(site.output) as running:
        assert request(running, "/pipe.xml")[0] == 404
        status, _, page = request(running, "/")
        assert status == 200 and b"pipe.xml" not in page


def test_index_does_not_list_links_pointing_outside(site: Site, tmp_path: Path) -> None:
    site.configure(html_page=False)  # "/" lists the files
    site.build()
    secret = tmp_path / "secret.xml"
    secret.write_text("<rss version='2.0'><channel><title>secret</title></channel></rss>")
    (site.output / "outside.xml").symlink_to(secret)
    (site.output / "inside.xml").symlink_to(site.output / "atom.xml")
    with start_server(site.output) as running:
        _, _, page = request(running, "/")
    assert b"outside.xml" not in page and b"inside.xml" in page


def test_request_paths_are_logged_escaped(site: Site) -> None:
    site.build()
    logged: list[str] = []
    with start_server(site.output, log=logged.append) as running:
        connection = _connect(running)
        with connection:
            connection.sendall(b"GET /\x1b]0;pwned\x07\xe2\x80\xae HTTP/1.1\r\nHost: x\r\n\r\n")
            assert connection.recv(100).startswith(b"HTTP/1.1 404")
    assert logged
    assert not any(re.search("[\x00-\x1f\x7f-\x9f\u202e]", line) for line in logged), logged
    assert any("/\\x1b]0;pwned\\x07" in line for line in logged), logged


def test_a_404_is_logged_once(site: Site) -> None:
    site.build()
    logged: list[str] = []
    with start_server(site.output, log=logged.append) as running:
        status, _, _ = request(running, "/nothing.xml")
    assert status == 404
    assert len(logged) == 1 and '"GET /nothing.xml HTTP/1.1" 404' in logged[0], logged
