"""podcast.xml read back by a real podcast client's parser (gPodder's podcastparser) and by
feedparser: every episode's fields must be the articles' own."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import feedparser
import podcastparser
import pytest

from conftest import ROOT, options
from feedcheck import feed_problems
from feedtool.config import load_config
from feedtool.model import Article
from feedtool.pipeline import build
from feedtool.plan.select import published_articles
from feedtool.read.metadata import load_articles
from feedtool.render.formats.podcast import PODCAST_NS
from feedtool.values.podcast_settings import feed_guid

FEED_URL = "https://feedtool.example.org/podcast.xml"


@pytest.fixture(scope="module")
def sample() -> tuple[bytes, list[Article]]:
    """The sample site's podcast.xml, built fresh, and its episodes (newest first)."""
    config = load_config(ROOT / "feedtool.toml")
    out = ROOT / "feeds"  # compared below with a fresh build, never written
    now = datetime.now(UTC)
    articles, problems = load_articles(ROOT / "content", config)
    assert problems == []
    episodes = [a for a in published_articles(articles, now) if a.episode is not None]
    data = (out / "podcast.xml").read_bytes()
    return data, episodes


def test_the_sample_podcast_is_current_and_has_two_episodes(
    sample: tuple[bytes, list[Article]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    data, episodes = sample
    config = load_config(ROOT / "feedtool.toml")
    fresh = build(
        ROOT / "content", tmp_path_factory.mktemp("p"), config, options(config, datetime.now(UTC))
    )
    assert fresh.files["podcast.xml"] == data, "feeds/podcast.xml is stale: run `make feeds`"
    assert len(episodes) == 2
    assert feed_problems("podcast.xml", data) == []


def test_gpodder_reads_every_episode_as_written(sample: tuple[bytes, list[Article]]) -> None:
    data, episodes = sample
    parsed = podcastparser.parse(FEED_URL, io.BytesIO(data))
    assert parsed["title"] == "feedtool sample site"
    assert parsed["cover_url"] == "https://feedtool.example.org/media/show-art.png"
    assert parsed["type"] == "episodic"
    assert parsed["explicit"] is False
    assert parsed["itunes_owner"] == {"email": "desk@feedtool.example.org", "name": "Sample Desk"}
    assert parsed["itunes_categories"] == [["Technology"], ["Education", "How To"]]
    # podcastparser sorts episodes newest first, as the feed lists them.
    assert [e["guid"] for e in parsed["episodes"]] == [a.id for a in episodes]
    for got, article in zip(parsed["episodes"], episodes, strict=True):
        episode = article.episode
        assert episode is not None
        assert got["title"] == article.title
        assert got["link"] == article.link
        assert got["published"] == int(article.published.timestamp())
        (enclosure,) = got["enclosures"]
        assert enclosure["url"] == episode.enclosure.url
        assert enclosure["file_size"] == episode.enclosure.length
        assert enclosure["mime_type"] == episode.enclosure.type
        assert got["total_time"] == episode.duration
        assert got.get("number") == episode.episode
        assert got.get("season") == episode.season
        assert got["explicit"] == bool(episode.explicit)
        assert got.get("type", "full") == (episode.episode_type or "full")
        if article.image is not None:
            assert got["episode_art_url"] == article.image


def test_gpodder_reads_the_podcast_namespace_elements(sample: tuple[bytes, list[Article]]) -> None:
    # podcastparser 0.6 knows the podcast namespace only by its first name, which the
    # namespace's README says clients must treat as the same as the current one
    # (https://podcastindex.org/namespace/1.0, which feedtool writes, as PSP-1 asks).
    data, episodes = sample
    legacy = data.replace(
        PODCAST_NS.encode(),
        b"https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
    )
    parsed = podcastparser.parse(FEED_URL, io.BytesIO(legacy))
    assert parsed["funding_url"] == "https://feedtool.example.org/support/"
    assert parsed["import_prohibited"] is False  # podcast:locked no
    for got, article in zip(parsed["episodes"], episodes, strict=True):
        episode = article.episode
        assert episode is not None
        # podcastparser keeps one transcript: the last.
        last = episode.transcripts[-1].url if episode.transcripts else None
        assert got.get("transcript_url") == last
        people = [
            {
                "name": p.name,
                "role": (p.role or "host").lower(),
                "group": (p.group or "cast").lower(),
                "href": p.href,
                "img": p.img,
            }
            for p in episode.people
        ]
        assert got.get("persons", []) == people
        assert got.get("chapters_json_url") == episode.chapters


def test_feedparser_reads_every_episode_as_written(sample: tuple[bytes, list[Article]]) -> None:
    data, episodes = sample
    feed = feedparser.parse(data)
    assert not feed.bozo
    # feedparser 6 reads only Apple's old spellings (yes/clean): "false" is None, not False.
    assert not feed.feed.itunes_explicit
    assert feed.feed.image.href == "https://feedtool.example.org/media/show-art.png"
    assert [t.term for t in feed.feed.tags] == ["Technology", "Education", "How To"]
    assert feed.feed.publisher_detail == {
        "name": "Sample Desk",
        "email": "desk@feedtool.example.org",
    }
    assert feed.feed.author_detail == {"name": "Ada Writer"}
    assert feed.feed.itunes_type == "episodic"
    assert feed.feed.podcast_guid == feed_guid(FEED_URL)
    assert len(feed.entries) == len(episodes)
    for got, article in zip(feed.entries, episodes, strict=True):
        episode = article.episode
        assert episode is not None
        assert got.id == article.id
        assert got.title == article.title
        assert got.link == article.link
        (enclosure,) = got.enclosures
        assert enclosure.href == episode.enclosure.url
        assert int(enclosure.length) == episode.enclosure.length
        assert enclosure.type == episode.enclosure.type
        assert int(got.itunes_duration) == episode.duration
        assert not got.itunes_explicit and not episode.explicit
        assert got.get("itunes_episode") == (str(episode.episode) if episode.episode else None)
        assert got.get("itunes_season") == (str(episode.season) if episode.season else None)
        assert got.get("itunes_episodetype") == episode.episode_type
        # feedparser keeps the last podcast:transcript it meets.
        transcript = got.get("podcast_transcript")
        last = episode.transcripts[-1] if episode.transcripts else None
        assert (transcript and (transcript["url"], transcript["type"])) == (
            last and (last.url, last.type)
        )
        assert (got.get("podcast_chapters") or {}).get("url") == episode.chapters


def test_feedparser_reads_the_podcast_20_tags(sample: tuple[bytes, list[Article]]) -> None:
    # feedparser 6 has no podcast module: it reads each tag generically, as prefix_name,
    # keeping a tag's text, or the attributes of the last one of a kind.
    data, episodes = sample
    config = load_config(ROOT / "feedtool.toml")
    show = config.podcast
    assert show is not None and show.license is not None
    feed = feedparser.parse(data)
    assert feed.feed.podcast_medium == show.medium == "podcast"
    assert feed.feed.podcast_license == show.license.name
    (host,) = show.people
    assert feed.feed.podcast_person == {"role": host.role, "img": host.img}
    two = next(a for a in episodes if a.slug == "episode-two")
    got = next(e for e in feed.entries if e.id == two.id)
    assert two.episode is not None
    assert (got.podcast_season, got.podcast_episode) == ("1", "2")
    (place,) = two.episode.locations
    assert got.podcast_location == {
        "rel": place.rel,
        "geo": place.geo,
        "osm": place.osm,
        "country": place.country,
    }
    captions = two.episode.transcripts[-1]
    assert got.podcast_transcript == {
        "url": captions.url,
        "type": captions.type,
        "language": "en",
        "rel": "captions",
    }
    assert [t.type for t in two.episode.transcripts] == ["text/vtt", "application/x-subrip"]
    assert data.count(b"<podcast:transcript ") == 2


def test_the_sample_episodes_carry_the_facts_of_their_files(
    sample: tuple[bytes, list[Article]],
) -> None:
    _, episodes = sample
    facts = {
        a.slug: (a.episode.enclosure.type, a.episode.enclosure.length, a.episode.duration)
        for a in episodes
        if a.episode is not None
    }
    media = ROOT / "content" / "media"
    assert facts == {
        "episode-two": ("audio/mp4", (media / "episode-two.m4a").stat().st_size, 4),
        "episode-one": ("audio/mpeg", (media / "episode-one.mp3").stat().st_size, 3),
    }
    for name in ("episode-one.mp3", "episode-two.m4a", "show-art.png", "episode-two.png"):
        assert (media / name).stat().st_size < 50_000  # small files in the repository


def test_the_podcast_is_listed_in_index_opml() -> None:
    opml = (ROOT / "feeds" / "index.opml").read_text(encoding="utf-8")
    assert '<outline text="Podcast">' in opml
    assert f'xmlUrl="{FEED_URL}"' in opml
    assert opml.count("podcast.xml") == 1
