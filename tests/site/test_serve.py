"""The preview server: real HTTP requests against start_server() and `feedtool serve`."""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from conftest import DEFAULT_CONFIG, NOW, Site
from feedtool.config import load_config
from feedtool.pipeline import build
from feedtool.site.serve import RunningServer, fingerprint, start_server


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
        build(site.content, site.output, load_config(site.config_path), NOW)

    with start_server(
        site.output, rebuild=rebuild, watch=[site.content, site.config_path]
    ) as running:
        yield site, running


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
    status, after, body = request(running, "/rss.xml")
    assert status == 200
    assert [e.title for e in feedparser.parse(body).entries] == ["Second", "First"]
    assert after["ETag"] != before["ETag"]
    # A reader holding the old ETag now gets the new feed, not a 304.
    assert request(running, "/rss.xml", {"If-None-Match": before["ETag"]})[0] == 200
    site.configure(DEFAULT_CONFIG.replace("Test site", "Renamed site"))
    assert feedparser.parse(request(running, "/atom.xml")[2]).feed.title == "Renamed site"
    builds = running.rebuilder.builds if running.rebuilder else 0
    request(running, "/atom.xml")
    assert running.rebuilder is not None and running.rebuilder.builds == builds  # nothing changed


def test_a_failed_rebuild_keeps_serving_the_last_good_feeds(
    served: tuple[Site, RunningServer],
) -> None:
    site, running = served
    good = request(running, "/atom.xml")[2]
    site.write("broken.md", "---\ntitle: no date\n---\n", dedent=False)
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


def test_feedtool_serve_command(site: Site) -> None:
    """The real command in a subprocess: builds, prints its URL, serves, stops on Ctrl-C."""
    site.article("a.md", title="Served")
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
        status, headers, body = request(url, "/atom.xml")
        assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
        assert [e.title for e in feedparser.parse(body).entries] == ["Served"]
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert "Stopped." in stdout
    assert '"GET /atom.xml HTTP/1.1" 200' in stderr
    assert "Traceback" not in stderr


def test_a_busy_port_is_one_line_exit_1(site: Site) -> None:
    with start_server(site.output) as running:
        port = str(urlsplit(running.url).port)
        result = site.run("serve", "--port", port)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("error: cannot listen on 127.0.0.1")
