"""The build cache is only an optimisation: with it or without it, the same bytes."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

import feedtool.parallel
import feedtool.render.documents
from conftest import NOW, Site, options
from feedtool.cache.store import DiskCache
from feedtool.config import load_config
from feedtool.model import Article, Entry
from feedtool.pipeline import build
from feedtool.publish.write import MANIFEST
from feedtool.read.metadata import load_articles


def both(site: Site, cache: Path) -> dict[str, bytes]:
    """Build with the cache and without it, into separate folders; they must agree."""
    config = load_config(site.config_path)
    cached = build(
        site.content, site.root / "cached", config, options(config, NOW, cache_dir=cache)
    )
    fresh = build(site.content, site.root / "fresh", config, options(config, NOW))
    assert dict(cached.files) == dict(fresh.files)
    on_disk = {
        str(p.relative_to(site.root / "cached")): p.read_bytes()
        for p in (site.root / "cached").rglob("*")
        if p.is_file() and p.name != MANIFEST
    }
    assert on_disk == dict(fresh.files)
    return dict(fresh.files)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def tagged(site: Site) -> Site:
    site.configure(feeds_per=["tags"])
    for number in range(6):
        site.article(
            f"2025-01-0{number + 1}-post-{number}.md",
            title=f"Post {number}",
            date=f"2025-01-0{number + 1}T10:00:00Z",
            tags=f"[t{number % 2}, all]",
            body=f"Body {number} with a [link](../x/).",
        )
        # Old enough to be trusted: else the cache keeps nothing, and every build that
        # compares it with a fresh one would compare two fresh builds.
        age(site.content / f"2025-01-0{number + 1}-post-{number}.md")
    return site


def test_edit_rename_delete_add_and_config_change(tagged: Site, cache: Path) -> None:
    first = both(tagged, cache)
    assert both(tagged, cache) == first  # nothing changed: answered from the cache

    post = tagged.content / "2025-01-03-post-2.md"
    post.write_text(post.read_text() + "\nAn edit.\n")
    edited = both(tagged, cache)
    assert edited != first and b"An edit." in edited["atom.xml"]

    post.rename(tagged.content / "2025-01-03-renamed.md")
    renamed = both(tagged, cache)
    assert b"/renamed/" in renamed["rss.xml"] and b"/post-2/" not in renamed["rss.xml"]

    (tagged.content / "2025-01-04-post-3.md").unlink()
    deleted = both(tagged, cache)
    assert b"Post 3" not in deleted["atom.xml"]

    tagged.article("2025-02-01-new.md", title="New one", date="2025-02-01", tags="[t9]")
    added = both(tagged, cache)
    assert "tags/t9/atom.xml" in added

    tagged.configure(feeds_per=["tags"], limit=2)
    assert both(tagged, cache)["atom.xml"].count(b"<entry>") == 2


def _edit_and_count_renders(
    tagged: Site, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Build once, edit one post, build with the cache: the bodies that second build
    rendered (in this process), by file name; the list goes on counting afterwards."""
    both(tagged, cache)
    rendered: list[str] = []
    real = feedtool.render.documents.make_entry

    def counting(article: Article, text: str, **limits: int | None) -> Entry:
        rendered.append(Path(article.source).name)
        return real(article, text, **limits)

    monkeypatch.setattr(feedtool.render.documents, "make_entry", counting)
    monkeypatch.setattr(feedtool.parallel, "processes", lambda: 1)  # count in this process
    post = tagged.content / "2025-01-03-post-2.md"
    post.write_text(post.read_text() + "\nAn edit.\n")
    config = load_config(tagged.config_path)
    build(tagged.content, tagged.root / "cached", config, options(config, NOW, cache_dir=cache))
    return rendered


def test_an_edit_renders_only_the_edited_body_again(
    tagged: Site, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = _edit_and_count_renders(tagged, cache, monkeypatch)
    assert rendered == ["2025-01-03-post-2.md"]  # the other five came from the cache
    rendered.clear()
    assert b"An edit." in both(tagged, cache)["atom.xml"]  # and agree with a fresh build
    # The fresh build renders all six; the cached one the edit again, too new to keep.
    assert len(rendered) == 7 and rendered.count("2025-01-03-post-2.md") == 2


def test_cached_entries_are_read_in_one_decode(
    tagged: Site, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # msgspec reads entries.json into the records at once, checking every field as it
    # goes; converting each entry's stamps and article from JSON values after the json
    # module read them cost three times as much.
    import msgspec

    converted: list[object] = []
    real = msgspec.convert
    monkeypatch.setattr(msgspec, "convert", lambda *a, **k: converted.append(a) or real(*a, **k))
    rendered = _edit_and_count_renders(tagged, cache, monkeypatch)
    assert rendered == ["2025-01-03-post-2.md"] and converted == []


def test_a_cached_entry_with_a_time_without_offset_is_no_cache(tagged: Site, cache: Path) -> None:
    expected = both(tagged, cache)
    path = cache / "entries.json"
    header, _, body = path.read_bytes().partition(b"\n")
    data = json.loads(body)
    for record in data.values():
        record[1][5] = record[1][5].replace("+00:00", "").replace("Z", "")  # published
        record[2] = record[2].replace("Body", "Forged")
    path.write_bytes(header + b"\n" + json.dumps(data).encode())
    shutil.rmtree(tagged.root / "cached")
    assert both(tagged, cache) == expected


def test_folders_with_no_file_of_their_own_are_read_with_the_cache(site: Site, cache: Path) -> None:
    site.article("a.md")
    site.article("2025/03/b.md", title="Deep")
    site.article("n1/n2/c.md", title="Deeper")
    site.article("n1/x.md", title="Beside")
    files = both(site, cache)
    assert files["atom.xml"].count(b"<entry>") == 4
    config = load_config(site.config_path)
    assert (
        build(
            site.content, site.root / "again", config, options(config, NOW, cache_dir=cache)
        ).articles
        == 4
    )


def test_sidecar_and_local_enclosure_changes_are_seen(site: Site, cache: Path) -> None:
    site.write("media/a.mp3", "x" * 10)
    site.write("2025-01-01-side.txt", "Text body.\n")
    site.write("2025-01-01-side.yaml", "title: Side\ndate: 2025-01-01\nenclosures: [media/a.mp3]\n")
    assert b'length="10"' in both(site, cache)["rss.xml"]
    (site.content / "media/a.mp3").write_text("x" * 25)
    assert b'length="25"' in both(site, cache)["rss.xml"]
    site.write("2025-01-01-side.yaml", "title: Side two\ndate: 2025-01-01\n")
    assert b"Side two" in both(site, cache)["rss.xml"]
    (site.content / "2025-01-01-side.yaml").unlink()
    site.write("2025-01-01-side.json", '{"title": "From JSON", "date": "2025-01-01"}')
    assert b"From JSON" in both(site, cache)["rss.xml"]


def test_files_in_hidden_folders_are_watched_too(site: Site, cache: Path) -> None:
    # Local enclosures may live in a "_media" folder (not read as articles), and may
    # have a sidecar's suffix: the cache must still notice when they change.
    site.write("_media/chapters.json", "[1]")
    site.article("2025-01-01-a.md", title="A", enclosures="[/_media/chapters.json]")
    assert b'length="3"' in both(site, cache)["rss.xml"]
    (site.content / "_media/chapters.json").write_text("[1, 2, 3]")
    assert b'length="9"' in both(site, cache)["rss.xml"]


def test_same_size_same_time_edit_is_caught_by_content(site: Site, cache: Path) -> None:
    # An edit that keeps the size and (coarse) time: only the content hash can tell.
    path = site.article("2025-01-01-a.md", title="Alpha", body="original body")
    times = path.stat()
    both(site, cache)
    path.write_text(path.read_text().replace("original", "replaced"))
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert b"replaced body" in both(site, cache)["atom.xml"]


def test_scheduled_post_appears_without_an_edit(site: Site, cache: Path) -> None:
    from datetime import UTC, datetime

    site.article("a.md", title="Now", date="2025-01-01")
    site.article("b.md", title="Later", date="2026-06-01")
    config = load_config(site.config_path)
    before = build(site.content, site.output, config, options(config, NOW, cache_dir=cache))
    assert before.articles == 1
    after = build(
        site.content,
        site.output,
        config,
        options(config, datetime(2026, 7, 1, tzinfo=UTC), cache_dir=cache),
    )
    assert after.articles == 2 and "atom.xml" in after.changed


def test_a_changed_output_file_is_rewritten(site: Site, cache: Path) -> None:
    site.article("a.md")
    config = load_config(site.config_path)
    build(site.content, site.output, config, options(config, NOW, cache_dir=cache))
    good = (site.output / "atom.xml").read_bytes()
    (site.output / "atom.xml").write_bytes(b"tampered")
    result = build(site.content, site.output, config, options(config, NOW, cache_dir=cache))
    assert result.changed == ["atom.xml"]
    assert (site.output / "atom.xml").read_bytes() == good


def test_a_changed_output_file_is_never_taken_for_a_cached_one(tagged: Site, cache: Path) -> None:
    # Rendered files are kept as digests and read back from the output folder: an edit
    # there must be noticed even when the file's inputs are unchanged (not in the build
    # that sees another article's edit, not when the size stays the same).
    both(tagged, cache)
    other = tagged.root / "cached" / "tags" / "t0" / "atom.xml"
    good = other.read_bytes()
    other.write_bytes(good.replace(b"Post 0", b"Post X"))
    post = tagged.content / "2025-01-02-post-1.md"  # tagged t1: tags/t0 is not shown it
    post.write_text(post.read_text() + "\nAn edit.\n")
    assert both(tagged, cache)["tags/t0/atom.xml"] == good
    assert other.read_bytes() == good


@pytest.mark.parametrize(
    "damage", ["garbage", "truncate", "wrong fingerprint", "delete some", "wrong shapes", "fifo"]
)
def test_a_damaged_cache_changes_nothing(tagged: Site, cache: Path, damage: str) -> None:
    expected = both(tagged, cache)
    for path in sorted(cache.iterdir()):
        if damage == "garbage":
            path.write_bytes(b"\x80\x04not a pickle")
        elif damage == "truncate":
            path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
        elif damage == "wrong fingerprint":
            _, _, data = path.read_bytes().partition(b"\n")
            path.write_bytes(b'[7, "someone else\'s"]\n' + data)
        elif damage == "wrong shapes":
            header, _, _ = path.read_bytes().partition(b"\n")
            path.write_bytes(header + b'\n{"a": [1, [2, "x"], null], "b": {"c": 3}}')
        elif damage == "fifo":
            path.unlink()
            os.mkfifo(path)
        elif path.name.startswith("articles-"):
            path.unlink()
    shutil.rmtree(tagged.root / "cached")  # so nothing can be answered from old output
    assert both(tagged, cache) == expected


def test_a_cache_from_other_code_is_not_used(
    tagged: Site, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    both(tagged, cache)
    config = load_config(tagged.config_path)
    same = DiskCache(cache, config).fingerprint
    import feedtool.cache.summary

    monkeypatch.setattr(feedtool.cache.summary, "__version__", "999")
    monkeypatch.setattr(feedtool.cache.summary, "_code_key", None)  # as a new process has it
    assert DiskCache(cache, config).fingerprint != same


def age(path: Path, seconds: int = 60) -> None:
    """Make a file look written ``seconds`` ago (the cache distrusts files changed just now)."""
    when = path.stat().st_mtime_ns - seconds * 1_000_000_000
    os.utime(path, ns=(when, when))


def test_files_changed_just_now_are_not_trusted(site: Site, cache: Path) -> None:
    # A file written moments before the build may still be changing (an upload, a copy):
    # nothing about it is kept, so the next build reads it again.
    path = site.article("a.md")
    config = load_config(site.config_path)
    build(site.content, site.output, config, options(config, NOW, cache_dir=cache))
    assert not (cache / "state.json").exists()
    age(path)
    build(site.content, site.output, config, options(config, NOW, cache_dir=cache))
    assert (cache / "state.json").is_file()


def test_no_shortcut_after_skipping_a_bad_article(site: Site, cache: Path) -> None:
    # The skipped article names a file that does not exist yet; when it appears, the
    # next build must see it, so a build that skipped anything saves no shortcut.
    age(site.article("a.md", title="A"))
    age(site.article("b.md", title="B", enclosures="[/_media/ep.mp3]"))
    config = load_config(site.config_path)
    first = build(
        site.content, site.output, config, options(config, NOW, cache_dir=cache, keep_going=True)
    )
    assert first.articles == 1
    site.write("_media/ep.mp3", "x" * 10)
    age(site.content / "_media/ep.mp3")
    second = build(
        site.content, site.output, config, options(config, NOW, cache_dir=cache, keep_going=True)
    )
    assert second.articles == 2


def test_cli_cache_options(site: Site, tmp_path: Path) -> None:
    age(site.article("a.md"))
    folder = tmp_path / "my-cache"
    assert site.run("build", "--cache", str(folder)).exit_code == 0
    assert (folder / "state.json").is_file()
    other = tmp_path / "unused"
    assert site.run("build", "--no-cache", "--cache", str(other)).exit_code == 0
    assert not other.exists()


def test_the_nothing_changed_shortcut_answers_like_a_build(site: Site, cache: Path) -> None:
    from datetime import UTC, datetime

    age(site.article("a.md", title="Now", date="2025-01-01"))
    age(site.article("b.md", title="Later", date="2026-06-01"))
    config = load_config(site.config_path)
    first = build(site.content, site.output, config, options(config, NOW, cache_dir=cache))
    assert (cache / "state.json").is_file()

    import feedtool.read.metadata

    def must_not_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("the shortcut should not read articles")

    real = feedtool.read.metadata.load_articles
    feedtool.read.metadata.load_articles = must_not_read  # type: ignore[assignment]
    try:
        again = build(site.content, site.output, config, options(config, NOW, cache_dir=cache))
    finally:
        feedtool.read.metadata.load_articles = real
    assert again.changed == [] and again.articles == first.articles == 1
    assert dict(again.files) == dict(first.files)
    assert again.scheduled == first.scheduled

    # The scheduled post's time comes: the shortcut must not answer.
    later = build(
        site.content,
        site.output,
        config,
        options(config, datetime(2026, 7, 1, tzinfo=UTC), cache_dir=cache),
    )
    assert later.articles == 2 and "atom.xml" in later.changed
    fresh = build(
        site.content, site.root / "fresh", config, options(config, datetime(2026, 7, 1, tzinfo=UTC))
    )
    assert dict(later.files) == dict(fresh.files)


def test_content_dot_names_files_alike_with_and_without_the_cache(
    site: Site, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cache lists the folder itself; a file must be "bad.md" there too, not "./bad.md",
    # or a body that turns out unreadable is not matched to its article and not skipped.
    site.article("good.md")
    (site.content / "bad.md").write_bytes(b"---\ntitle: Bad\ndate: 2025-01-01\n---\n\xff\n")
    config = load_config(site.config_path)
    monkeypatch.chdir(site.content)
    for cache_dir in (None, cache, cache):
        result = build(
            Path("."),
            site.root / "out",
            config,
            options(config, NOW, keep_going=True, cache_dir=cache_dir),
        )
        assert result.skipped == 1
        assert [w.split(":")[0] for w in result.warnings] == ["bad.md"]


def test_whole_second_times_alone_never_vouch_for_an_output_file(tagged: Site, cache: Path) -> None:
    # FAT and SMB keep whole seconds: a same-size edit within one would keep size and time.
    from feedtool.cache.stamps import RACY_NS, settled

    second = 1_000_000_000
    assert settled(5 * second + 1, 5 * second) and not settled(5 * second, 5 * second + 1)
    assert settled(5 * second, 5 * second + RACY_NS)
    both(tagged, cache)
    feed = tagged.root / "cached" / "tags" / "t0" / "atom.xml"
    good = feed.read_bytes()
    whole = time.time_ns() // second * second
    os.utime(feed, ns=(whole, whole))
    both(tagged, cache)  # the cache notes this size and time, but cannot trust them alone
    feed.write_bytes(good.replace(b"Post 0", b"Post X"))  # same size...
    os.utime(feed, ns=(whole, whole))  # ...and time
    post = tagged.content / "2025-01-02-post-1.md"
    post.write_text(post.read_text() + "\nAn edit.\n")
    assert both(tagged, cache)["tags/t0/atom.xml"] == good
    assert feed.read_bytes() == good


def test_a_pickle_in_the_cache_is_never_loaded(tagged: Site, cache: Path, tmp_path: Path) -> None:
    # Finding 2 of issue 17: a committed .feedtool-cache/state.pickle ran code on build.
    import pickle

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    cache.mkdir()
    for name in ("state.pickle", "state.json", "entries.json", "articles-0.json"):
        (cache / name).write_bytes(pickle.dumps(Payload()))
    expected = both(tagged, cache)
    assert not marker.exists()
    assert not (cache / "state.pickle").exists()  # an older feedtool's files are removed
    assert both(tagged, cache) == expected


def test_an_edit_that_keeps_size_and_time_is_seen(tagged: Site, cache: Path) -> None:
    # Finding 11: touch -r puts the modification time back; the change time still moves.
    both(tagged, cache)
    post = tagged.content / "2025-01-03-post-2.md"
    before = post.stat()
    post.write_text(post.read_text().replace("Body 2", "Xody 2"))
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert post.stat().st_size == before.st_size
    assert b"Xody 2" in both(tagged, cache)["atom.xml"]


def test_temporary_files_left_by_a_killed_build_are_removed(tagged: Site, cache: Path) -> None:
    both(tagged, cache)
    left = [cache / ".entries.json.0123456789ab.tmp", cache / ".entries.pickle.abc123.tmp"]
    for path in left:
        path.write_bytes(b"x" * 1000)
    post = tagged.content / "2025-01-03-post-2.md"
    post.write_text(post.read_text() + "\nAn edit.\n")
    both(tagged, cache)
    assert not any(path.exists() for path in left)


@pytest.mark.parametrize("flag", ["--no-cache", "--check", "--cache"])
def test_a_file_where_the_cache_folder_goes_stops_nothing(site: Site, flag: str) -> None:
    # Finding 11: a regular file named .feedtool-cache made even --no-cache exit 2.
    site.article("a.md", title="A", date="2025-01-01")
    in_the_way = site.root / ".feedtool-cache"
    in_the_way.write_text("not a folder")
    assert site.run("build", "--cache", str(in_the_way)).exit_code == 0
    args = ["--cache", str(in_the_way)] if flag == "--cache" else [flag, "--cache", str(in_the_way)]
    result = site.run("build", *args)
    assert result.exit_code == 0, result.output
    assert in_the_way.read_text() == "not a folder"


def test_the_codec_reads_back_every_field() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from feedtool.cache import codec
    from feedtool.model import (
        Author,
        Body,
        Enclosure,
        Episode,
        License,
        Location,
        Person,
        Transcript,
    )

    article = Article(
        source="c/a.md",
        id="tag:x,2025:a",
        slug="a",
        title="A",
        link="https://x/a",
        published=datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        updated=datetime(2025, 1, 2, tzinfo=UTC),
        body=Body("c/a.md", "markdown", 12, 99, None),
        authors=(Author("N", "n@x", "https://x/n"), Author("M")),
        summary="S",
        tags=("t1", "t2"),
        categories=("c",),
        draft=True,
        image="https://x/i.png",
        enclosures=(Enclosure("https://x/a.mp3", "audio/mpeg", 5), Enclosure("u", "t")),
        lang="de",
        episode=Episode(
            Enclosure("https://x/a.mp3", "audio/mpeg", 5),
            61,
            2,
            1,
            "full",
            None,
            True,
            (
                Transcript("https://x/t.vtt", "text/vtt"),
                Transcript("https://x/t.srt", "a/b", "es", "captions"),
            ),
            "https://x/c.json",
            ("enclosures", 9),
            (Person("P", "host", None, "https://x/p.png", None),),
            License("cc-by-4.0", None),
            (Location("Here", "creator", "geo:1,2", "R1", "DE"),),
        ),
        expires=datetime(2030, 1, 1, tzinfo=UTC),
        visible_from=None,
        translations=(("de", "https://x/de/a"),),
    )
    again = codec.article_in(json.loads(json.dumps(codec.article_out(article))))
    assert again == article and repr(again) == repr(article)
    assert again.published.utcoffset() == article.published.utcoffset()
    stamps = (("c/a.md", 1, 2, 3, None), ("c/a.yaml", 4, 5, 6, b"\x01\x02"))
    assert codec.stamps_in(json.loads(json.dumps(codec.stamps_out(stamps)))) == stamps


@pytest.mark.parametrize(
    "damage",
    [
        lambda a: a.__setitem__(3, 7),  # a title that is not text
        lambda a: a[10].append(None),  # a tag that is not text
        lambda a: a.__setitem__(5, "2025-01-01T00:00:00"),  # a time without its offset
        lambda a: a.__setitem__(7, ["c/a.md", "markdown", "12", None, None]),
        lambda a: a.append(None),  # a field too many
        lambda a: a[8].append(["Name", None, None, None]),  # an author with a field too many
    ],
)
def test_the_codec_refuses_wrong_shapes(damage: Any) -> None:
    from datetime import UTC, datetime

    from feedtool.cache import codec
    from feedtool.model import Body

    when = datetime(2025, 1, 1, tzinfo=UTC)
    article = Article("c/a.md", "i", "a", "A", "https://x/a", when, when, Body("c/a.md", "md", 0))
    data = json.loads(json.dumps(codec.article_out(article)))  # as a file holds it
    damage(data)
    with pytest.raises((TypeError, ValueError)):
        codec.article_in(data)


def test_the_code_fingerprinted_is_every_file_of_the_package_but_compiled_ones(
    tmp_path: Path,
) -> None:
    """The fingerprint lists feedtool's files with os.scandir (every build asks): the
    same files, sizes and times as a walk with pathlib, nested folders included."""
    from feedtool.cache.summary import _code_files

    package = tmp_path / "pkg"
    (package / "sub" / "__pycache__").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    for name in ("a.py", "sub/b.py", "sub/data.json", "__pycache__/a.pyc", "sub/__pycache__/b.pyc"):
        (package / name).write_text(name)
    walked = sorted(
        (str(path.relative_to(package)), path.stat().st_size, path.stat().st_mtime_ns)
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    assert _code_files(str(package)) == walked
    assert [path for path, _, _ in walked] == ["a.py", "sub/b.py", "sub/data.json"]
    (package / "sub" / "b.py").write_text("changed, longer")
    assert _code_files(str(package)) != walked


def test_an_entry_digest_tells_apart_what_moved_between_html_and_summary(site: Site) -> None:
    site.article("post.md")
    config = load_config(site.config_path)
    (article,), _ = load_articles(site.content, config)
    digest = feedtool.render.documents._entry_digest
    one = Entry(article, "<p>ab</p>", "c")
    assert digest(one) == digest(Entry(article, "<p>ab</p>", "c"))
    assert digest(one) != digest(Entry(article, "<p>a", "b</p>c"))  # the same bytes in all
    assert digest(one) != digest(one._replace(article=article._replace(title="Other")))
