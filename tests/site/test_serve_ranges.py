"""The preview server answers byte ranges and HEAD for every file, and serves the content
folder's media, so the page for people plays an episode (issue 23 item 4)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_serve import request

from conftest import Site
from feedtool.site import serve
from feedtool.site.serve import byte_range, start_server

AUDIO = bytes(range(256)) * 40  # 10,240 bytes standing in for an MP3


@pytest.fixture
def media_site(site: Site) -> Iterator[tuple[Site, str]]:
    (site.content / "media").mkdir()
    (site.content / "media" / "show.mp3").write_bytes(AUDIO)
    (site.content / "media" / "notes.yaml").write_text("not: media")
    (site.content / "media" / "chapters.json").write_text('{"version": "1.2.0", "chapters": []}')
    (site.content / "side.json").write_text('{"title": "Side", "date": "2025-01-01"}')
    (site.content / "side.md").write_text("Its body.")
    site.article("ep.md", enclosures="['/media/show.mp3']", body="The episode.")
    site.build()
    with start_server(site.output, media=site.content) as server:
        yield site, server.url


def test_curl_gets_the_first_hundred_bytes(media_site: tuple[Site, str], tmp_path: Path) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.fail("curl is not installed (apt-get install -y curl, as .ci/run does)")
    _, url = media_site
    body = tmp_path / "part"
    done = subprocess.run(
        [curl, "-s", "-r", "0-99", "-o", str(body), "-w", "%{http_code}", url + "media/show.mp3"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "206"
    assert body.read_bytes() == AUDIO[:100]


@pytest.mark.parametrize("path", ["media/show.mp3", "rss.xml", "index.html"])
def test_every_file_answers_a_range_and_head(media_site: tuple[Site, str], path: str) -> None:
    site, url = media_site
    status, headers, whole = request(url, "/" + path)
    assert status == 200 and headers["Accept-Ranges"] == "bytes"
    size = len(whole)
    status, headers, part = request(url, "/" + path, {"Range": "bytes=10-19"})
    assert status == 206 and part == whole[10:20]
    assert headers["Content-Range"] == f"bytes 10-19/{size}"
    assert headers["Content-Length"] == "10"
    status, headers, part = request(url, "/" + path, {"Range": "bytes=-5"})
    assert status == 206 and part == whole[-5:]
    status, headers, part = request(url, "/" + path, {"Range": f"bytes={size}-"})
    assert status == 416 and headers["Content-Range"] == f"bytes */{size}" and part == b""
    status, headers, part = request(url, "/" + path, method="HEAD")
    assert status == 200 and part == b"" and headers["Content-Length"] == str(size)
    status, headers, part = request(url, "/" + path, {"Range": "bytes=0-9"}, method="HEAD")
    assert status == 206 and part == b"" and headers["Content-Length"] == "10"


def test_a_range_of_another_version_gets_the_whole_file(media_site: tuple[Site, str]) -> None:
    _, url = media_site
    status, headers, _ = request(url, "/media/show.mp3")
    etag = headers["ETag"]
    status, _, body = request(url, "/media/show.mp3", {"Range": "bytes=0-9", "If-Range": etag})
    assert status == 206 and body == AUDIO[:10]
    status, _, body = request(url, "/media/show.mp3", {"Range": "bytes=0-9", "If-Range": '"old"'})
    assert status == 200 and body == AUDIO


def test_only_media_of_the_content_folder_is_served(media_site: tuple[Site, str]) -> None:
    _, url = media_site
    status, headers, body = request(url, "/media/show.mp3")
    assert status == 200 and body == AUDIO and headers["Content-Type"] == "audio/mpeg"
    assert request(url, "/media/notes.yaml")[0] == 404
    assert request(url, "/ep.md")[0] == 404
    assert request(url, "/side.json")[0] == 404  # an article's metadata
    status, headers, _ = request(url, "/media/chapters.json")  # a podcast's chapters
    assert status == 200 and headers["Content-Type"] == "application/json; charset=utf-8"
    assert request(url, "/../feedtool.toml")[0] == 404


def test_the_page_plays_the_episode_from_the_preview(media_site: tuple[Site, str]) -> None:
    site, url = media_site
    page = (site.output / "index.html").read_text()
    # Relative to the page (published at base_url), so the preview serves it too.
    assert '<audio controls preload="none" src="media/show.mp3">' in page
    assert request(url, "/media/show.mp3")[0] == 200


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 299)),
        ("bytes=250-999", (250, 299)),
        ("bytes=-10", (290, 299)),
        ("bytes=-500", (0, 299)),
        ("bytes=300-", False),
        ("bytes=-0", False),
        ("bytes=5-2", None),  # invalid: ignored
        ("bytes=0-1,5-6", None),  # several: the whole file, as a server may answer
        ("items=0-1", None),
        (None, None),
        ("bytes=0-9999999999999999999", (0, 299)),  # 19 digits: past any file
        ("bytes=" + "9" * 5000 + "-", None),  # too long for int(): ignored, no error
        ("bytes=-" + "9" * 5000, None),
    ],
)
def test_byte_ranges(header: str | None, expected: object) -> None:
    assert byte_range(header, 300) == expected


def test_big_files_are_read_only_in_the_range_asked(
    media_site: tuple[Site, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past WHOLE_FILE a file is never read whole: ranges are read a chunk at a time."""
    _, url = media_site
    monkeypatch.setattr(serve, "WHOLE_FILE", 1000)
    monkeypatch.setattr(serve, "CHUNK", 300)

    def refuse(fd: int) -> bytes:
        raise AssertionError("a big file was read whole")

    monkeypatch.setattr(serve, "_read_all", refuse)
    status, headers, body = request(url, "/media/show.mp3")
    assert status == 200 and body == AUDIO and headers["Content-Type"] == "audio/mpeg"
    etag = headers["ETag"]
    status, headers, body = request(url, "/media/show.mp3", {"Range": "bytes=1000-2999"})
    assert status == 206 and body == AUDIO[1000:3000]
    assert headers["Content-Range"] == f"bytes 1000-2999/{len(AUDIO)}"
    status, headers, body = request(url, "/media/show.mp3", {"Range": "bytes=-7"})
    assert status == 206 and body == AUDIO[-7:]
    status, headers, _ = request(url, "/media/show.mp3", {"Range": f"bytes={len(AUDIO)}-"})
    assert status == 416
    status, _, body = request(url, "/media/show.mp3", {"If-None-Match": etag})
    assert status == 304 and body == b""
    status, headers, body = request(url, "/media/show.mp3", method="HEAD")
    assert status == 200 and body == b"" and headers["Content-Length"] == str(len(AUDIO))
