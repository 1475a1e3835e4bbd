"""The Podcast 2.0 tags against the namespace's rules: a feed shaped like the namespace's own
examples passes `feedtool validate` and reads in real consumers; each broken rule is planted
in tests/data/outside/rss/podcast-*.xml (see test_validate.py)."""

from __future__ import annotations

import io
from pathlib import Path

import feedparser
import podcastparser

from feedtool.validators import examine_document
from feedtool.validators.extensions import PODCAST, PODCAST_OLD

SHAPED = Path(__file__).parent.parent / "data" / "podcast" / "namespace-shaped.xml"
SELF = "https://pond.example.com/podcast.xml"


def _problems(data: bytes) -> list[tuple[int, str, str]]:
    checked = examine_document(data, SELF)
    assert checked.kind == "RSS 2.0", checked.reason
    return [(p.line, p.level, p.message) for p in checked.findings.problems(SHAPED.name)]


def test_every_tag_in_the_namespaces_forms_passes() -> None:
    assert _problems(SHAPED.read_bytes()) == []


def test_the_owner_needs_an_email_unless_apple_verifies_by_txt() -> None:
    data = SHAPED.read_bytes().replace(b'purpose="applepodcastsverify"', b'purpose="verify"')
    assert _problems(data) == [(20, "error", "<itunes:owner> has no <itunes:email>")]


def test_the_first_namespace_address_is_checked_alike() -> None:
    data = SHAPED.read_bytes().replace(PODCAST.encode(), PODCAST_OLD.encode())
    assert _problems(data) == []
    broken = data.replace(b"<podcast:medium>podcast<", b"<podcast:medium>radio<")
    assert [(line, level) for line, level, _ in _problems(broken)] == [(23, "error")]


def test_feedparser_reads_the_tags() -> None:
    feed = feedparser.parse(SHAPED.read_bytes())
    assert not feed.bozo
    assert feed.feed.podcast_medium == "podcast"
    assert feed.feed.podcast_license == "cc-by-sa-4.0"
    newts, skaters = feed.entries
    # A tag with attributes is read as its attributes, one without as its text.
    assert newts.podcast_season == {"name": "Under the ice"}
    assert newts.podcast_episode == {"display": "Ep. 5"}
    assert (skaters.podcast_season, skaters.podcast_episode) == ("2", "4.5")
    assert newts.podcast_transcript == {  # the last of four
        "url": "https://pond.example.com/audio/newts.srt",
        "type": "application/x-subrip",
        "rel": "captions",
    }
    assert newts.podcast_location["osm"] == "W40120355"


def test_podcastparser_reads_the_people_and_transcripts() -> None:
    # podcastparser 0.6 knows the namespace by its first address only (see test_podcast.py).
    data = SHAPED.read_bytes().replace(PODCAST.encode(), PODCAST_OLD.encode())
    parsed = podcastparser.parse(SELF, io.BytesIO(data))
    newts = parsed["episodes"][0]
    assert [(p["name"], p["role"], p["group"]) for p in newts["persons"]] == [
        ("Mira Holt", "host", "cast"),
        ("Dr Ruth Amos", "guest", "cast"),
        ("Kit Lowe", "researcher", "writing"),
    ]
    assert newts["persons"][1]["img"] == "https://pond.example.com/people/ruth.jpg"
    assert newts["transcript_url"] == "https://pond.example.com/audio/newts.srt"
    assert newts["season"] == 2 and newts["number"] == 5
