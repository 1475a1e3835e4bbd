"""Apple's podcast rules: each broken one is one line naming file:line, and nothing is written."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import feedparser
import pytest
from PIL import Image

from conftest import DEFAULT_CONFIG, ROOT, Site
from feedtool.config import config_from_mapping
from feedtool.errors import FeedtoolError
from feedtool.read.episode import duration
from feedtool.validators import examine_document
from feedtool.values.podcast_settings import feed_guid

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


def _problems(site: Site) -> list[str]:
    """What feedtool validate finds in the podcast feed written (errors and warnings)."""
    checked = examine_document(
        (site.output / "podcast.xml").read_bytes(), "https://example.org/blog/podcast.xml"
    )
    return [str(p) for p in checked.findings.problems("podcast.xml")]


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
        f'{podcast.config_path}:12: podcast.image: "media/art.png" is {shown}; Apple Podcasts '
        f"needs square 1400-3000 px JPEG or PNG art in RGB: {fix}",
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
            '<name@example.org>" (or verify the show with txt = {purpose = '
            '"applepodcastsverify", text = "..."})',
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
            "language": "en",
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
        config_from_mapping(
            {"base_url": "https://example.org/", "language": "en", "podcast": {"colour": 1}}
        )


def _png_header(path: Path, width: int, height: int) -> None:
    """A PNG that is only its header: it declares a size but holds no pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))


@pytest.mark.parametrize("side", [10_000, 100_000])
def test_show_art_declaring_too_many_pixels(podcast: Site, side: int) -> None:
    # Pillow warns past 89 million pixels and refuses past twice that: one error line
    # either way, never a raw warning or a traceback (exit 3).
    _png_header(podcast.content / "media" / "art.png", side, side)
    _fails_with(
        podcast,
        f'{podcast.config_path}:12: podcast.image: "media/art.png" declares more than 89,478,485 '
        "pixels; Apple Podcasts needs square 1400-3000 px JPEG or PNG art in RGB: scale it to "
        "between 1400 and 3000 pixels a side",
    )


def test_an_m4a_declaring_136_years(podcast: Site) -> None:
    data = bytearray((MEDIA / "episode-two.m4a").read_bytes())
    at = data.find(b"mdhd") + 4 + 4 + 8  # version and flags, creation and change times
    data[at : at + 8] = struct.pack(">II", 1, 0xFFFFFFFF)  # 1 unit a second, 2**32-1 units
    (podcast.content / "media" / "long.m4a").write_bytes(bytes(data))
    path = _episode(podcast, "two.md", "enclosures: [media/long.m4a]")
    _fails_with(
        podcast,
        f'{path}:4: enclosures: "long.m4a" says it lasts 136 years, longer than any episode '
        "(at most 48 hours): its header is damaged; export it again",
    )


def test_a_duration_longer_than_any_episode(podcast: Site) -> None:
    path = _episode(
        podcast,
        "two.md",
        "enclosures: [{url: 'https://cdn.example.org/a.mp3', length: 9}]",
        "duration: 200:00:00",
    )
    _fails_with(
        podcast,
        f"{path}:5: duration: 720000 seconds is 200 hours, longer than any episode (at most 48 "
        "hours): give the duration in seconds or HH:MM:SS",
    )


def test_a_podcast_without_a_language(podcast: Site) -> None:
    text = podcast.config_path.read_text().replace('language = "en"\n', "")
    podcast.config_path.write_text(text)
    _fails_with(
        podcast,
        f"{podcast.config_path}:7: language: is required for a podcast: Apple Podcasts rejects "
        'a show without its language; add language = "en" (its ISO 639 code) at the top of '
        "the file",
    )


def test_episode_art_too_small(podcast: Site) -> None:
    _art(podcast.content / "media" / "two.png", (800, 800))
    path = _episode(
        podcast, "two.md", "enclosures: [media/episode-two.m4a]", "image: media/two.png"
    )
    _fails_with(
        podcast,
        f'{path}:5: image: "media/two.png" is 800x800 PNG RGB; Apple Podcasts needs square '
        "1400-3000 px JPEG or PNG art in RGB: scale it to between 1400 and 3000 pixels a side",
    )


@pytest.mark.parametrize("name", ["episode two.m4a", "épisode-2.m4a"])
def test_an_enclosure_file_name_apple_does_not_like(podcast: Site, name: str) -> None:
    shutil.copy(MEDIA / "episode-two.m4a", podcast.content / "media" / name)
    path = _episode(podcast, "two.md", f"enclosures: ['media/{name}']")
    result = podcast.run("build")
    assert result.exit_code == 0, result.output
    assert (
        f'warning: {path}:4: enclosures: file name "{name}" has spaces or characters outside '
        "ASCII, which Apple Podcasts asks podcasts not to use: rename the file with letters, "
        "digits, - and _ only"
    ) in result.output.splitlines()


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            'medium = "radio"',
            'podcast.medium: "radio" is not a podcast:medium (known: podcast, music, video, '
            "film, audiobook, newsletter, blog, publisher, course, or a list form like musicL)",
        ),
        (
            'people = [{ name = "Ada", role = "sidekick" }]',
            'podcast.people: item 1: "sidekick" is not a role of the Podcast Taxonomy (such as '
            '"host", "guest", "producer")',
        ),
        (
            'location = { name = "Leeds", geo = "53.8,-1.5" }',
            'podcast.location: "53.8,-1.5" is not a geo URI like "geo:30.2672,-97.7431" (RFC 5870)',
        ),
        (
            'location = { name = "Leeds", geo = "geo:93.8,-1.5" }',
            'podcast.location: "geo:93.8,-1.5" is not on Earth: latitude runs from -90 to 90, '
            "longitude from -180 to 180",
        ),
        (
            'trailer = [{ title = "Soon", url = "media/episode-one.mp3" }]',
            'podcast.trailer: item 1: needs date, like {title = "Coming soon", url = '
            '"media/trailer.mp3", date = 2025-04-01}',
        ),
        (
            'license = { name = "mine", url = "http://example.org/licence" }',
            'podcast.license: "http://example.org/licence" is http; podcast apps need '
            "https:// for everything",
        ),
        (
            'txt = { purpose = "verify" }',
            'podcast.txt: needs text, like {purpose = "verify", text = "S6lpp-7ZCn8"}',
        ),
    ],
)
def test_podcast_20_show_settings(podcast: Site, setting: str, message: str) -> None:
    podcast.config_path.write_text(podcast.config_path.read_text() + setting + "\n")
    _fails_with(podcast, f"{podcast.config_path}:13: {message}")


def test_podcast_20_show_tags_and_a_verified_owner_without_email(podcast: Site) -> None:
    text = podcast.config_path.read_text().replace(
        '"Site Owner <owner@example.org>"', '"Site Owner"'
    )
    podcast.config_path.write_text(
        text
        + 'txt = { purpose = "applepodcastsverify", text = "40213" }\n'
        + 'medium = "audiobook"\n'
        + 'people = ["Ada Host", { name = "Lena Park", group = "Visuals", '
        + 'role = "Cover Art Designer" }]\n'
        + 'license = { name = "my-licence", url = "https://example.org/licence" }\n'
        + 'location = { name = "Leeds", rel = "creator", country = "gb" }\n'
        + 'trailer = [{ title = "Soon", url = "media/episode-two.m4a", date = 2025-03-02, '
        + "season = 2 }]\n"
    )
    result = podcast.run("build")
    assert result.exit_code == 0, result.output
    feed = (podcast.output / "podcast.xml").read_text()
    assert "<itunes:email>" not in feed and "<podcast:locked>no</podcast:locked>" in feed
    length = (MEDIA / "episode-two.m4a").stat().st_size
    for tag in (
        '<podcast:txt purpose="applepodcastsverify">40213</podcast:txt>',
        "<podcast:medium>audiobook</podcast:medium>",
        "<podcast:person>Ada Host</podcast:person>",
        '<podcast:person role="Cover Art Designer" group="Visuals">Lena Park</podcast:person>',
        '<podcast:license url="https://example.org/licence">my-licence</podcast:license>',
        '<podcast:location rel="creator" country="GB">Leeds</podcast:location>',
        '<podcast:trailer pubdate="Sun, 02 Mar 2025 00:00:00 +0000" '
        f'url="https://example.org/blog/media/episode-two.m4a" length="{length}" '
        'type="audio/mp4" season="2">Soon</podcast:trailer>',
    ):
        assert tag in feed
    assert _problems(podcast) == []


def test_podcast_20_episode_tags(podcast: Site) -> None:
    (podcast.content / "media" / "two.vtt").write_text("WEBVTT\n")
    (podcast.content / "media" / "two.srt").write_text("1\n")
    _episode(
        podcast,
        "two.md",
        "enclosures: [media/episode-two.m4a]",
        "episode: 2",
        "season: 1",
        "transcript: [media/two.vtt, {url: media/two.srt, language: de, rel: captions}]",
        "people: [{name: Ada Host}, {name: Sam Guest, role: guest}]",
        "license: cc-by-4.0",
        "location: {name: Berlin, geo: 'geo:52.52,13.405', osm: R62422}",
    )
    result = podcast.run("build")
    assert result.exit_code == 0, result.output
    feed = (podcast.output / "podcast.xml").read_text()
    for tag in (
        "<podcast:season>1</podcast:season>",
        "<podcast:episode>2</podcast:episode>",
        '<podcast:transcript url="https://example.org/blog/media/two.vtt" type="text/vtt"/>',
        '<podcast:transcript url="https://example.org/blog/media/two.srt" '
        'type="application/x-subrip" language="de" rel="captions"/>',
        "<podcast:person>Ada Host</podcast:person>",
        '<podcast:person role="guest">Sam Guest</podcast:person>',
        "<podcast:license>cc-by-4.0</podcast:license>",
        '<podcast:location geo="geo:52.52,13.405" osm="R62422">Berlin</podcast:location>',
    ):
        assert tag in feed
    assert _problems(podcast) == []


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        (
            "transcript: [{url: media/a.vtt, rel: subtitles}]",
            'transcript: item 1: rel "subtitles" must be "captions" (or left out)',
        ),
        (
            "transcript: [media/a.vtt, media/a.doc]",
            'transcript: item 2: "media/a.doc": name the file .vtt, .srt, .txt, .html or .json '
            "so its type is known (or give its type)",
        ),
        (
            "people: [{name: Sam, img: 'http://example.org/sam.jpg'}]",
            'people: item 1: "http://example.org/sam.jpg" is http; podcast apps need https:// '
            "for everything",
        ),
        (
            "location: {name: Berlin, osm: '62422'}",
            'location: "62422" is not an OpenStreetMap object like "R113314" (N, W or R, then '
            "its number)",
        ),
    ],
)
def test_podcast_20_episode_keys(podcast: Site, meta: str, message: str) -> None:
    (podcast.content / "media" / "a.vtt").write_text("WEBVTT\n")
    path = _episode(podcast, "two.md", "enclosures: [media/episode-two.m4a]", meta)
    _fails_with(podcast, f"{path}:5: {message}")


def test_podcast_archive_pages(podcast: Site) -> None:
    # Issue: hugo#3035, Apple dropped old episodes. Opt-in RFC 5005 pages of every
    # episode, while podcast.xml itself stays whole for apps that read only it.
    for number in (2, 3):
        shutil.copy(MEDIA / "episode-two.m4a", podcast.content / "media" / f"e{number}.m4a")
        podcast.write(
            f"e{number}.md",
            f"---\ntitle: E{number}\ndate: 2025-0{number}-01T00:00:00Z\n"
            f"enclosures: [media/e{number}.m4a]\n---\nText.\n",
            dedent=False,
        )
    podcast.config_path.write_text(
        podcast.config_path.read_text() + "archives = true\narchive_page_size = 2\n"
    )
    result = podcast.run("build")
    assert result.exit_code == 0, result.output
    base = "https://example.org/blog/"
    pages = {
        path: feedparser.parse((podcast.output / path).read_bytes())
        for path in (
            "podcast.xml",
            "podcast-archive/1/podcast.xml",
            "podcast-archive/2/podcast.xml",
        )
    }
    titles = {path: [e.title for e in feed.entries] for path, feed in pages.items()}
    assert titles == {
        "podcast.xml": ["E3", "E2", "One"],
        "podcast-archive/1/podcast.xml": ["E2", "One"],  # filled from the oldest
        "podcast-archive/2/podcast.xml": ["E3"],
    }

    def links(path: str) -> dict[str, str]:
        return {link.rel: link.href for link in pages[path].feed.links if link.rel != "alternate"}

    assert links("podcast.xml") == {
        "self": base + "podcast.xml",
        "prev-archive": base + "podcast-archive/2/podcast.xml",
    }
    assert links("podcast-archive/2/podcast.xml") == {
        "self": base + "podcast-archive/2/podcast.xml",
        "current": base + "podcast.xml",
        "prev-archive": base + "podcast-archive/1/podcast.xml",
    }
    first = (podcast.output / "podcast-archive/1/podcast.xml").read_text()
    assert (
        "<fh:archive/>" in first and f'rel="next-archive" href="{base}podcast-archive/2/' in first
    )
    assert "<fh:archive/>" not in (podcast.output / "podcast.xml").read_text()
    opml = (podcast.output / "index.opml").read_text()
    assert "podcast-archive" not in opml
    # One show: every page carries the guid of podcast.xml's address.
    assert {feed.feed.podcast_guid for feed in pages.values()} == {feed_guid(base + "podcast.xml")}
    for path in pages:
        checked = examine_document((podcast.output / path).read_bytes(), base + path)
        assert checked.findings.problems(path) == []
