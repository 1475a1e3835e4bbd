"""feedtool validate --media: enclosures, transcripts, chapters and art must answer HEAD and
a byte range with the feed's type and length (issue 23 item 4). Loopback servers only."""

from __future__ import annotations

import contextlib
import functools
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW, ROOT, options
from feedtool.cli import cli
from feedtool.config import load_config
from feedtool.pipeline import build
from feedtool.site.mediacheck import MediaLink, check_media, media_links
from feedtool.site.serve import start_server

AUDIO = bytes(range(256)) * 20  # 5,120 bytes


def rss(*enclosures: tuple[str, str, int]) -> bytes:
    items = "".join(
        f'<item><title>E{n}</title><guid isPermaLink="false">e{n}</guid>\n'
        f'<enclosure url="{url}" type="{kind}" length="{length}"/></item>\n'
        for n, (url, kind, length) in enumerate(enclosures)
    )
    return (
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title>'
        f"<link>https://e.org/</link><description>D</description>\n{items}</channel></rss>\n"
    ).encode()


@pytest.fixture
def media_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "www"
    folder.mkdir()
    (folder / "a.mp3").write_bytes(AUDIO)
    (folder / "tiny.mp3").write_bytes(b"abc")
    return folder


@pytest.fixture
def ranged(media_folder: Path) -> Iterator[str]:
    """feedtool's preview server: answers ranges."""
    with start_server(media_folder) as server:
        yield server.url


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def plain(media_folder: Path) -> Iterator[str]:
    """Python's http.server: no byte ranges (a 200 with the whole file)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(media_folder))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _codes(feed: bytes, **options: float) -> list[tuple[int, str]]:
    problems = check_media(media_links("feed.xml", feed), **options)  # type: ignore[arg-type]
    return [(p.line, p.code) for p in problems]


def test_a_good_host_has_no_problems(ranged: str) -> None:
    feed = rss((ranged + "a.mp3", "audio/mpeg", len(AUDIO)), (ranged + "tiny.mp3", "audio/mpeg", 3))
    assert _codes(feed) == []


def test_a_host_without_ranges_is_an_error(plain: str) -> None:
    feed = rss((plain + "a.mp3", "audio/mpeg", len(AUDIO)))
    problems = check_media(media_links("feed.xml", feed))
    assert [str(p) for p in problems] == [
        f"feed.xml:4: error: enclosure {plain}a.mp3: answered a byte range request with 200, "
        "not 206 Partial Content (apps seek and Apple checks with ranges)"
    ]


def test_wrong_type_length_and_missing_files(ranged: str) -> None:
    feed = rss(
        (ranged + "a.mp3", "audio/mp4", len(AUDIO)),
        (ranged + "a.mp3", "audio/mpeg", 999),
        (ranged + "gone.mp3", "audio/mpeg", 1),
    )
    assert _codes(feed) == [
        (4, "media-type-mismatch"),
        (6, "media-length-mismatch"),
        (8, "media-unreachable"),
    ]
    messages = [p.message for p in check_media(media_links("feed.xml", feed))]
    assert messages[0].endswith('served as "audio/mpeg", the feed says "audio/mp4"')
    assert messages[1].endswith("is 5,120 bytes, the feed says 999")
    assert messages[2].endswith("HEAD answered 404")


def test_a_host_that_never_answers_is_cut_off_in_time() -> None:
    with socket.socket() as silent:  # listens, accepts nothing, answers nothing
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/a.mp3"
        assert _codes(rss((url, "audio/mpeg", 1)), timeout=0.5, deadline=5) == [
            (4, "media-unreachable")
        ]
        assert _codes(rss((url, "audio/mpeg", 1)), timeout=5, deadline=0.5) == [
            (4, "media-timeout")
        ]


TRICKLE_SECONDS = 30.0  # how long the trickling server below would take


class _Trickle(http.server.BaseHTTPRequestHandler):
    """Sends its headers one byte every 0.1 s, for TRICKLE_SECONDS."""

    def do_HEAD(self) -> None:  # noqa: N802 (the standard library's name)
        self.send_response(200)
        self.flush_headers()
        try:
            for _ in range(int(TRICKLE_SECONDS * 10)):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    do_GET = do_HEAD

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _ToFtp(_Quiet):
    def do_HEAD(self) -> None:  # noqa: N802 (the standard library's name)
        self.send_response(302)
        self.send_header("Location", "ftp://127.0.0.1/a.mp3")
        self.end_headers()

    do_GET = do_HEAD


@contextlib.contextmanager
def serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_the_whole_check_ends_at_its_deadline_whatever_each_request_may_take() -> None:
    with serving(_Trickle) as url:
        started = time.monotonic()
        codes = _codes(rss((url + "a.mp3", "audio/mpeg", 1)), timeout=TRICKLE_SECONDS, deadline=1)
        elapsed = time.monotonic() - started
        assert codes == [(4, "media-timeout")]
        assert elapsed < TRICKLE_SECONDS / 2  # cut off, not waiting for the request
        # Nor does the request left behind run on (the process would wait for it at exit).
        workers = [t for t in threading.enumerate() if t.name.startswith("ThreadPoolExecutor")]
        for worker in workers:
            worker.join(TRICKLE_SECONDS / 2)
        assert not any(worker.is_alive() for worker in workers)


def test_a_host_trickling_bytes_is_cut_off_at_the_request_timeout() -> None:
    with serving(_Trickle) as url:
        started = time.monotonic()
        problems = check_media(
            media_links("feed.xml", rss((url + "a.mp3", "audio/mpeg", 1))), timeout=1
        )
        elapsed = time.monotonic() - started
    assert [p.message for p in problems] == [f"enclosure {url}a.mp3: HEAD failed: took over 1 s"]
    assert elapsed < TRICKLE_SECONDS / 2


def test_a_redirect_to_another_scheme_is_not_followed() -> None:
    with serving(_ToFtp) as url:
        problems = check_media(media_links("feed.xml", rss((url + "a.mp3", "audio/mpeg", 1))))
    assert [p.message for p in problems] == [
        f"enclosure {url}a.mp3: HEAD failed: redirected to ftp://127.0.0.1/a.mp3, "
        "which is not http(s)"
    ]


def test_only_http_and_https_are_fetched() -> None:
    links = [MediaLink("f.xml", 2, "enclosure", "file:///etc/passwd", "audio/mpeg", 1)]
    problems = check_media(links)
    assert [(p.level, p.code) for p in problems] == [("warning", "media-not-checked")]


def test_every_kind_of_media_link_is_found() -> None:
    podcast = (ROOT / "feeds" / "podcast.xml").read_bytes()
    kinds = {(link.what, link.url.rsplit("/", 1)[-1]) for link in media_links("p.xml", podcast)}
    assert {
        ("enclosure", "episode-two.m4a"),
        ("transcript", "episode-two.vtt"),
        ("chapters", "episode-two-chapters.json"),
        ("art", "show-art.png"),
    } <= kinds
    feed = (ROOT / "feeds" / "feed.json").read_bytes()
    assert ("enclosure", "episode-one.mp3") in {
        (link.what, link.url.rsplit("/", 1)[-1]) for link in media_links("f.json", feed)
    }
    atom = (ROOT / "feeds" / "atom.xml").read_bytes()
    assert any(link.what == "enclosure" for link in media_links("a.xml", atom))


def test_validate_media_on_the_command_line(ranged: str, plain: str, tmp_path: Path) -> None:
    good = tmp_path / "good.xml"
    good.write_bytes(rss((ranged + "a.mp3", "audio/mpeg", len(AUDIO))))
    done = CliRunner().invoke(cli, ["validate", "--media", str(good)])
    assert done.exit_code == 0, done.output
    bad = tmp_path / "bad.xml"
    bad.write_bytes(rss((plain + "a.mp3", "audio/mpeg", len(AUDIO))))
    done = CliRunner().invoke(cli, ["validate", "--media", str(bad)])
    assert done.exit_code == 1
    assert f"{bad}:4: error: enclosure {plain}a.mp3: answered a byte range request" in done.output
    # Without --media nothing is fetched: the same feed is valid.
    assert CliRunner().invoke(cli, ["validate", str(bad)]).exit_code == 0


def test_the_preview_server_serves_a_podcasts_media_as_apps_need(tmp_path: Path) -> None:
    """The sample podcast's feeds, their site's address swapped for the preview server's
    (podcast feeds must be https): every enclosure, transcript, chapters file and picture
    it serves from the content folder answers HEAD and ranges with the feed's facts."""
    output = tmp_path / "feeds"
    config = load_config(ROOT / "feedtool.toml")
    build(ROOT / "content", output, config, options(config, NOW))
    site = b"https://feedtool.example.org/"
    with start_server(output, media=ROOT / "content") as server:
        feeds = [
            (str(path), path.read_bytes().replace(site, server.url.encode()))
            for path in sorted(output.iterdir())
            if path.suffix in (".xml", ".json")
        ]
        links = [link for name, data in feeds for link in media_links(name, data)]
        assert {link.what for link in links} == {"enclosure", "transcript", "chapters", "art"}
        local = [link for link in links if link.url.startswith(server.url)]
        assert len(local) > 10
        problems = check_media(local)
    # The one file the sample site names but does not have (an article's picture): found.
    assert {(p.code, p.message.split(": ", 1)[0]) for p in problems} == {
        ("media-unreachable", f"enclosure {server.url}media/cover.png")
    }
