"""Apple's podcast rules: each broken one is one line naming file:line, and nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import DEFAULT_CONFIG, ROOT, Site
from feedtool.config import config_from_mapping
from feedtool.errors import FeedtoolError
from feedtool.read.episode import duration
from feedtool.read.show import feed_guid

MEDIA = ROOT / "content" / "media"
PODCAST = """
[podcast]
category = ["Technology", "Arts > Books"]
explicit = false
owner = "Site Owner <owner@example.org>"
image = "media/art.png"
"""


def _art(
    path: Path, size: tuple[int, int] = (1400, 1400), mode: str = "RGB", kind: str = "PNG"
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size).save(path, kind)


@pytest.fixture
def podcast(site: Site) -> Site:
    """A podcast with one good episode, built once: its feeds are on disk."""
    site.config_path.write_text(DEFAULT_CONFIG + PODCAST, encoding="utf-8")
    (site.content / "media").mkdir()
    for name in ("episode-one.mp3", "episode-two.m4a"):
        shutil.copy(MEDIA / name, site.content / "media" / name)
    _art(site.content / "media" / "art.png")
    site.write(
        "one.md",
        """\
        ---
        title: One
        date: 2025-01-01T00:00:00Z
        enclosures: [media/episode-one.mp3]
        episode: 1
        ---
        The first.
        """,
    )
    result = site.run("build")
    assert result.exit_code == 0, result.output
    assert (site.output / "podcast.xml").is_file()
    return site


def _fails_with(site: Site, line: str) -> None:
    """The build fails with exactly this one error line, and writes nothing."""
    before = site.snapshot()
    result = site.run("build")
    assert result.exit_code == 1, result.output
    errors = [text for text in result.output.splitlines() if text.startswith("error: ")]
    assert errors == [f"error: {line}"], result.output
    assert site.snapshot() == before  # the earlier feeds are untouched


def _episode(site: Site, name: str, *meta: str) -> str:
    site.write(
        name,
        "---\ntitle: Two\ndate: 2025-02-01T00:00:00Z\n" + "\n".join(meta) + "\n---\nText.\n",
        dedent=False,
    )
    return str(site.content / name)


def test_an_episode_without_a_length(podcast: Site) -> None:
    path = _episode(podcast, "two.md", "enclosures: [https://cdn.example.org/two.mp3]")
    _fails_with(
        podcast,
        f'{path}:4: enclosures: "https://cdn.example.org/two.mp3" has no length; Apple Podcasts '
        "needs the file's size in bytes: give {url, type, length}",
    )


def test_an_episode_of_a_type_apple_does_not_take(podcast: Site) -> None:
    path = _episode(
        podcast,
        "two.md",
        "enclosures:",
        "  - {url: https://cdn.example.org/two.ogg, length: 1000}",
    )
    _fails_with(
        podcast,
        f'{path}:4: enclosures: "https://cdn.example.org/two.ogg" is audio/ogg, which Apple '
        "Podcasts does not take; use MP3 (audio/mpeg), M4A (audio/mp4), MP4 or MOV video, or PDF",
    )


def test_a_file_whose_content_is_not_its_type(podcast: Site) -> None:
    path = _episode(
        podcast, "two.md", "enclosures:", "  - {url: media/episode-two.m4a, type: audio/mpeg}"
    )
    _fails_with(
        podcast,
        f'{path}:4: enclosures: "episode-two.m4a" is MP4 but its type is audio/mpeg; give '
        "type = audio/mp4 (or convert the file)",
    )


def test_a_file_that_is_not_audio_at_all(podcast: Site) -> None:
    (podcast.content / "media" / "noise.mp3").write_bytes(b"not audio " * 100)
    path = _episode(podcast, "two.md", "enclosures: [media/noise.mp3]")
    _fails_with(
        podcast,
        f'{path}:4: enclosures: "noise.mp3" cannot be read as audio/mpeg (can\'t sync to MPEG '
        "frame); export it again as MP3 or M4A",
    )


def test_two_episodes_sharing_an_enclosure(podcast: Site) -> None:
    path = _episode(podcast, "two.md", "episode: 2", "enclosures: [/media/episode-one.mp3]")
    _fails_with(
        podcast,
        f'{path}:5: enclosures: same enclosure URL "https://example.org/blog/media/episode-one'
        f'.mp3" as {podcast.content / "one.md"}; podcast apps would take them for one episode: '
        "give each episode its own file",
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("episode", "0", "expected a whole number of 1 or more, got 0"),
        ("season", "two", "expected a whole number of 1 or more, got 'two'"),
        ("episode_type", "teaser", '"teaser" is not an episode type (use full, trailer, bonus)'),
        (
            "duration",
            "1:75:00",
            "expected seconds or HH:MM:SS, like 1834 or \"00:30:34\", got '1:75:00'",
        ),
    ],
)
def test_episode_keys(podcast: Site, key: str, value: str, message: str) -> None:
    path = _episode(podcast, "two.md", "enclosures: [media/episode-two.m4a]", f"{key}: {value}")
    _fails_with(podcast, f"{path}:5: {key}: {message}")


def test_episode_keys_without_an_episode_file(podcast: Site) -> None:
    path = _episode(podcast, "two.md", "season: 2", "enclosures: [https://cdn.example.org/a.pdf]")
    _fails_with(
        podcast,
        f"{path}:4: season: is set, but the article has no audio or video enclosure, so it is "
        "not a podcast episode: add its file to enclosures",
    )


@pytest.mark.parametrize(
    ("meta", "line", "key", "url", "what"),
    [
        (
            "enclosures: [{url: 'http://cdn.example.org/a.mp3', length: 9}]",
            4,
            "enclosures",
            "http://cdn.example.org/a.mp3",
            "enclosure",
        ),
        (
            "transcript: http://cdn.example.org/a.vtt",
            5,
            "transcript",
            "http://cdn.example.org/a.vtt",
            "transcript",
        ),
        (
            "image: http://cdn.example.org/a.png",
            5,
            "image",
            "http://cdn.example.org/a.png",
            "image",
        ),
    ],
)
def test_an_http_url_in_an_episode(
    podcast: Site, meta: str, line: int, key: str, url: str, what: str
) -> None:
    extra = [] if meta.startswith("enclosures") else ["enclosures: [media/episode-two.m4a]"]
    path = _episode(podcast, "two.md", *extra, meta)
    _fails_with(
        podcast,
        f'{path}:{line}: {key}: {what} "{url}" is http; podcast apps need https:// for '
        "everything in a podcast feed",
    )


def test_an_http_site(podcast: Site) -> None:
    text = podcast.config_path.read_text().replace(
        "https://example.org/blog/", "http://example.org/"
    )
    podcast.config_path.write_text(text)
    _fails_with(
        podcast,
        f'{podcast.config_path}:3: base_url: "http://example.org/" is http; podcast apps need '
        "https:// for everything in a podcast feed (its links, its self link, its files)",
    )


@pytest.mark.parametrize(
    ("size", "mode", "kind", "fix"),
    [
        ((800, 800), "RGB", "PNG", "scale it to between 1400 and 3000 pixels a side"),
        ((1400, 1500), "RGB", "PNG", "make it square"),
        ((1400, 1400), "CMYK", "JPEG", "convert it to RGB colour (it is CMYK)"),
        ((1400, 1400), "L", "PNG", "convert it to RGB colour (it is L)"),
        (
            (3200, 3200),
            "RGB",
            "GIF",
            "save it as JPEG or PNG (it is GIF), scale it to between "
            "1400 and 3000 pixels a side, convert it to RGB colour (it is P)",
        ),
    ],
)
def test_bad_show_art(podcast: Site, size: tuple[int, int], mode: str, kind: str, fix: str) -> None:
    art = podcast.content / "media" / "art.png"
    _art(art, size, mode, kind)
    with Image.open(art) as found:
        shown = f"{found.size[0]}x{found.size[1]} {found.format} {found.mode}"
    _fails_with(
        podcast,
        f'{podcast.config_path}:12: podcast.image: "art.png" is {shown}; Apple Podcasts needs '
        f"square 1400-3000 px JPEG or PNG art in RGB: {fix}",
    )


def test_show_art_outside_the_content_folder(podcast: Site) -> None:
    text = podcast.config_path.read_text().replace('"media/art.png"', '"../feedtool.toml"')
    podcast.config_path.write_text(text)
    _fails_with(
        podcast,
        f'{podcast.config_path}:12: podcast.image: file "../feedtool.toml" is outside the '
        f"content folder {podcast.content}",
    )


@pytest.mark.parametrize(
    ("table", "line", "message"),
    [
        (
            '[podcast]\ncategory = "Technology"\nimage = "a.png"\nowner = "Someone"\n',
            11,
            'podcast.owner: needs an e-mail address, as Apple Podcasts requires: "Name '
            '<name@example.org>"',
        ),
        (
            '[podcast]\nimage = "a.png"\nowner = "A <a@example.org>"\n',
            8,
            'podcast.category: is required by Apple Podcasts, e.g. category = "Technology"',
        ),
        (
            '[podcast]\ncategory = "technology"\nimage = "a.png"\nowner = "A <a@example.org>"\n',
            9,
            'podcast.category: "technology" is not an Apple Podcasts category (did you mean '
            '"Technology"? known: Arts, Business, Comedy, Education, Fiction, Government, '
            "History, Health & Fitness, Kids & Family, Leisure, Music, News, Religion & "
            "Spirituality, Science, Society & Culture, Sports, Technology, True Crime, TV & Film)",
        ),
        (
            '[podcast]\ncategory = "Arts > Poetry"\nimage = "a.png"\nowner = "A <a@example.org>"\n',
            9,
            'podcast.category: "Poetry" is not a subcategory of "Arts" (known: Books, Design, '
            "Fashion & Beauty, Food, Performing Arts, Visual Arts)",
        ),
        (
            '[podcast]\ncategory = "News"\nimage = "a.png"\nowner = "A <a@example.org>"\n'
            'locked = "yes"\n',
            12,
            "podcast.locked: expected true or false, got 'yes'",
        ),
    ],
)
def test_show_settings(site: Site, table: str, line: int, message: str) -> None:
    site.config_path.write_text(DEFAULT_CONFIG + "\n" + table, encoding="utf-8")
    result = site.run("build")
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"error: {site.config_path}:{line}: {message}"]


def test_podcast_guid_is_the_podcast_namespace_uuidv5_of_the_feed_url() -> None:
    # The example in the podcast namespace's docs/tags/guid.md.
    assert feed_guid("https://mp3s.nashownotes.com/pc20rss.xml") == (
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )
    # Scheme and every trailing slash are left out.
    assert feed_guid("http://podnews.net/rss///") == feed_guid("podnews.net/rss")


def test_duration_forms() -> None:
    assert [duration(v) for v in (1834, "30:34", "00:30:34", "1:00:00")] == [1834, 1834, 1834, 3600]


def test_a_site_without_podcast_ignores_the_episode_keys(site: Site) -> None:
    site.article("a.md", enclosures="[https://cdn.example.org/a.ogg]", episode="0")
    assert site.run("build").exit_code == 0
    assert not (site.output / "podcast.xml").exists()
    assert "podcast" not in (site.output / "index.opml").read_text()


def test_the_podcast_table_is_read_into_a_show() -> None:
    show = config_from_mapping(
        {
            "base_url": "https://example.org/",
            "podcast": {
                "category": "Arts > Books",
                "owner": "A <a@example.org>",
                "image": "https://cdn.example.org/art.jpg",
                "type": "serial",
                "funding": [{"url": "https://example.org/give", "text": "Give"}],
            },
        }
    ).podcast
    assert show is not None
    assert (show.categories, show.explicit, show.author, show.type) == (
        (("Arts", "Books"),),
        False,
        "A",
        "serial",
    )
    assert show.funding == (("https://example.org/give", "Give"),)
    with pytest.raises(FeedtoolError, match="podcast.colour: unknown key"):
        config_from_mapping({"base_url": "https://example.org/", "podcast": {"colour": 1}})
