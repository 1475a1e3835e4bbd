"""`feedtool serve` answers `/` with the page the build wrote (index.html)."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlsplit

from conftest import NOW, Site, options
from feedtool.config import load_config
from feedtool.pipeline import build
from feedtool.site.serve import RunningServer, start_server


def request(
    server: RunningServer, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_root_is_the_built_page_and_its_links_work(site: Site) -> None:
    site.configure(feeds_per=["tags"])
    site.article("a.md", title="First", tags="[x]")

    def rebuild() -> None:
        build(
            site.content,
            site.output,
            load_config(site.config_path),
            options(load_config(site.config_path), NOW),
        )

    with start_server(site.output, rebuild=rebuild, watch=[site.content]) as running:
        status, headers, body = request(running, "/")
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert body == (site.output / "index.html").read_bytes()
        assert request(running, "/", {"If-None-Match": headers["ETag"]})[0] == 304
        for href in re.findall(rb'href="([^":]+)"', body):  # the page's relative links
            assert request(running, "/" + href.decode())[0] == 200, href
        site.article("b.md", title="Second", date="2025-02-02")  # the page follows edits
        assert running.rebuilder is not None
        running.rebuilder.refresh()  # what the watcher thread does, without waiting for it
        assert b"Second" in request(running, "/")[2]
