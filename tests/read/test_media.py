"""Enclosures, images and languages: local files, media types, URLs and bad values."""

from __future__ import annotations

import pytest

from conftest import Site
from feedtool.config import config_from_mapping
from feedtool.errors import ConfigError
from feedtool.model import Article, Enclosure
from feedtool.read.media import guess_type, medium
from feedtool.read.metadata import load_articles


def load(site: Site) -> list[Article]:
    articles, problems = load_articles(site.content, site_config(site))
    assert problems == []
    return articles


def site_config(site: Site):  # type: ignore[no-untyped-def]
    from feedtool.config import load_config

    return load_config(site.config_path)


def test_local_file_gets_length_type_and_a_url_under_base_url(site: Site) -> None:
    (site.content / "media").mkdir()
    (site.content / "media" / "ep 1.mp3").write_bytes(b"x" * 1234)
    (site.content / "posts" / "files").mkdir(parents=True)
    (site.content / "posts" / "files" / "notes.pdf").write_bytes(b"%PDF" * 10)
    site.write(
        "posts/2025-01-01-show.md",
        """\
        ---
        title: Show
        date: 2025-01-01
        enclosures:
          - /media/ep 1.mp3
          - files/notes.pdf
          - {url: ../media/ep 1.mp3, type: audio/x-custom, length: 99}
        ---
        body
        """,
    )
    [article] = load(site)
    assert article.enclosures == (
        Enclosure("https://example.org/blog/media/ep%201.mp3", "audio/mpeg", 1234),
        Enclosure("https://example.org/blog/posts/files/notes.pdf", "application/pdf", 40),
        # what the article says wins over what the file says
        Enclosure("https://example.org/blog/media/ep%201.mp3", "audio/x-custom", 99),
    )


def test_web_address_enclosures(site: Site) -> None:
    site.write(
        "a.md",
        """\
        ---
        title: A
        date: 2025-01-01
        enclosures:
          - https://cdn.example.net/a.m4a
          - //cdn.example.net/b.unknownext
          - {url: "http://cdn.example.net/c", type: video/mp4, length: 0}
        ---
        """,
    )
    [article] = load(site)
    assert article.enclosures == (
        Enclosure("https://cdn.example.net/a.m4a", "audio/mp4", None),
        Enclosure("https://cdn.example.net/b.unknownext", "application/octet-stream", None),
        Enclosure("http://cdn.example.net/c", "video/mp4", 0),
    )


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ("enclosures: media/missing.mp3", 'enclosures: file "media/missing.mp3" not found'),
        (
            "enclosures: ../../outside.mp3",
            'enclosures: file "../../outside.mp3" is outside the content folder',
        ),
        (
            "enclosures: ftp://example.org/a.mp3",
            'enclosures: "ftp://example.org/a.mp3" is not a web address (http:// or https:// '
            "and a host), nor a path to a file",
        ),
        (
            'enclosures: "https://example.org/a b.mp3"',
            'enclosures: "https://example.org/a b.mp3" is not a URL (it contains spaces)',
        ),
        (
            "enclosures: [{url: https://x.org/a.mp3, type: mp3}]",
            'enclosures: "mp3" is not a media type like "audio/mpeg"',
        ),
        ("image: javascript:alert(1)", 'image: "javascript:alert(1)" is not a web address'),
        ("lang: english", 'lang: "english" is not a language tag'),
    ],
)
def test_bad_media_values_are_one_clear_line(site: Site, meta: str, message: str) -> None:
    site.write("2025-01-01-bad.md", f"---\ntitle: Bad\ndate: 2025-01-01\n{meta}\n---\nbody\n")
    before = site.snapshot()
    result = site.run()
    assert result.exit_code == 1
    assert f"2025-01-01-bad.md:4: {message}" in result.output
    assert "Traceback" not in result.output
    assert site.snapshot() == before


def test_image_is_absolute_against_the_permalink(site: Site) -> None:
    site.article("2025-01-01-pic.md", image="img/cover.webp", slug="pic")
    site.article("2025-01-02-abs.md", image="https://cdn.example.net/c.png", slug="abs")
    images = {a.slug: a.image for a in load(site)}
    assert images == {
        "pic": "https://example.org/blog/pic/img/cover.webp",
        "abs": "https://cdn.example.net/c.png",
    }


def test_config_pictures_and_language() -> None:
    config = config_from_mapping(
        {
            "base_url": "https://x.org/site/",
            "image": "logo.png",
            "icon": "/i.ico",
            "language": "de-AT",
        }
    )
    assert (config.image, config.icon, config.language) == (
        "https://x.org/site/logo.png",
        "https://x.org/i.ico",
        "de-AT",
    )
    with pytest.raises(ConfigError, match='language: "Deutsch" is not a language tag'):
        config_from_mapping({"base_url": "https://x.org/", "language": "Deutsch"})
    with pytest.raises(ConfigError, match='icon: "javascript:x" is not a web address'):
        config_from_mapping({"base_url": "https://x.org/", "icon": "javascript:x"})


@pytest.mark.parametrize(
    ("name", "media_type", "kind"),
    [
        ("a.mp3", "audio/mpeg", "audio"),
        ("https://x.org/a.M4A?x=1", "audio/mp4", "audio"),
        ("a.ogg", "audio/ogg", "audio"),
        ("a.webm", "video/webm", "video"),
        ("a.webp", "image/webp", "image"),
        ("a.pdf", "application/pdf", None),
        ("a.csv", "text/csv", None),  # from Python's own table
        ("noext", None, None),
    ],
)
def test_media_types(name: str, media_type: str | None, kind: str | None) -> None:
    assert guess_type(name) == media_type
    assert medium(media_type) == kind


def test_rss_channel_picture_falls_back_to_the_icon(site: Site) -> None:
    site.configure(icon="/icon.png")
    site.article("2025-01-01-a.md")
    site.build()
    assert site.parsed("rss.xml").feed.image.href == "https://example.org/icon.png"
    atom = site.parsed("atom.xml").feed
    assert (atom.get("logo"), atom.icon) == (None, "https://example.org/icon.png")
