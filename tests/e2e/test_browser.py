"""A real browser: Debian's chromium, headless, opens index.html from `feedtool serve`.

The sample site (content/, feedtool.toml) is built into tmp_path and served by the
preview server; chromium loads `/`, and the DOM it built (--dump-dom) must hold the
subscribe links and the main feed's newest items, with no script; a screenshot at a
phone's width must show something (not one flat colour).

chromium is required, not optional: CI installs it (.ci/run); locally run
``apt-get install -y chromium``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest
from PIL import Image

from conftest import NOW, ROOT, options
from feedtool.config import load_config
from feedtool.pipeline import build
from feedtool.render.documents import PAGE_ENTRIES
from feedtool.site.serve import RunningServer, start_server

pytestmark = pytest.mark.slow  # a real browser: out of the quick loop (make quick)

PHONE = (412, 915)  # CSS pixels of a common phone held upright


def chromium(url: str, home: Path, *extra: str) -> str:
    """Run headless chromium on ``url`` with a fresh profile in ``home``; its stdout."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "chromium is not installed; this test needs a real browser "
            "(apt-get install -y chromium, as .ci/run does)"
        )
    command = [
        executable,
        "--headless",
        "--no-sandbox",  # CI runs as root, where chromium's sandbox cannot start
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={home / 'profile'}",
        f"--window-size={PHONE[0]},{PHONE[1]}",
        *extra,
        url,
    ]
    # Nothing of the real HOME, and no proxy from outside: the server is on 127.0.0.1.
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, Path]]:
    output = tmp_path_factory.mktemp("browser") / "feeds"
    config = load_config(ROOT / "feedtool.toml")
    build(ROOT / "content", output, config, options(config, NOW))
    with start_server(output, media=ROOT / "content") as server:
        yield server, output


def test_the_browser_shows_the_feeds_and_the_newest_items(
    served: tuple[RunningServer, Path], tmp_path: Path
) -> None:
    server, output = served
    dom = chromium(server.url, tmp_path, "--dump-dom")
    tree = html5lib.parse(dom, namespaceHTMLElements=False)
    assert tree.find(".//script") is None
    assert tree.findtext(".//title") == "feedtool sample site: feeds"
    buttons = {a.get("href"): a.text for a in tree.iterfind(".//ul[@class='subscribe']//a")}
    assert buttons == {
        "rss.xml": "RSS 2.0",
        "atom.xml": "Atom 1.0",
        "feed.json": "JSON Feed 1.1",
        "podcast.xml": "Podcast",  # a button of its own beside them
    }
    items = json.loads((output / "feed.json").read_bytes())["items"][:PAGE_ENTRIES]
    shown = ["".join(h.itertext()) for h in tree.iterfind(".//article/h3")]
    assert shown == [item["title"] for item in items]
    # The article HTML arrived as elements, not as escaped text.
    assert tree.find(".//article//table") is not None and tree.find(".//article//em") is not None


def test_a_phone_sized_screenshot_is_not_blank(
    served: tuple[RunningServer, Path], tmp_path: Path
) -> None:
    server, _ = served
    shot = tmp_path / "page.png"
    chromium(server.url, tmp_path, f"--screenshot={shot}")
    with Image.open(shot) as image:
        assert image.size == PHONE
        pixels = image.convert("L")
        histogram = pixels.histogram()
    background = max(range(256), key=histogram.__getitem__)
    inked = sum(count for level, count in enumerate(histogram) if abs(level - background) > 64)
    # Text, buttons and rules: a blank or failed page is one colour.
    assert inked > PHONE[0] * PHONE[1] // 100, f"only {inked} pixels differ from the background"


def test_the_page_plays_the_episodes_from_the_preview(
    served: tuple[RunningServer, Path], tmp_path: Path
) -> None:
    server, _ = served
    dom = chromium(server.url, tmp_path, "--dump-dom")
    tree = html5lib.parse(dom, namespaceHTMLElements=False)
    players = tree.findall(".//article//audio")
    assert [player.get("src") for player in players] == [
        "media/episode-two.m4a",
        "media/episode-one.mp3",
    ]
    # A player with controls that fetches nothing until played, and no script anywhere.
    assert all(p.get("controls") == "" and p.get("preload") == "none" for p in players)
    assert tree.find(".//script") is None
    # What the player would fetch: chromium takes the file the preview serves as
    # something it can play (its media document), not a download or an error page.
    media = chromium(server.url + "media/episode-one.mp3", tmp_path, "--dump-dom")
    source = html5lib.parse(media, namespaceHTMLElements=False).find(".//video/source")
    assert source is not None and source.get("type") == "audio/mpeg"
