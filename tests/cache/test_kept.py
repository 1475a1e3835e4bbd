"""A build in which only bodies changed renders the last build's plans (cache/kept.py).

Every case compares the files a build with the cache writes with those a build without
it gives, and checks whether the kept plans were taken: for an edit that leaves every
article's metadata as it was, they are; for anything that could change a plan, they are
not, and the full build runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import DEFAULT_CONFIG, NOW, Site, forge, options
from feedtool import pipeline
from feedtool.cache import kept as kept_module
from feedtool.cache import summary
from feedtool.cache.store import DiskCache
from feedtool.config import load_config
from feedtool.errors import FeedtoolError
from feedtool.model import BuildStep
from feedtool.pipeline import BuildResult, build
from feedtool.publish.write import MANIFEST

HOUR = 3600 * 1_000_000_000


def settle(path: Path, hours: int = 1) -> None:
    """Date a file ``hours`` back: the cache keeps no file changed in the last seconds."""
    when = path.stat().st_mtime_ns - hours * HOUR
    os.utime(path, ns=(when, when))


@pytest.fixture
def posts(site: Site) -> Site:
    site.configure(feeds_per=["tags"], limit=3, formats=["rss", "atom", "json"])
    for number in range(8):
        site.article(
            f"2025-01-0{number + 1}-post-{number}.md",
            title=f"Post {number}",
            date=f"2025-01-0{number + 1}T10:00:00Z",
            tags=f"[all, {'even' if number % 2 == 0 else 'odd'}]",
            body=f"Body {number}.",
        )
    site.article("2026-06-01-later.md", title="Later", date="2026-06-01T10:00:00Z", body="Soon.")
    for path in site.content.iterdir():
        settle(path)
    return site


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each build since took the kept plans."""
    seen: list[bool] = []
    real = pipeline._build_kept

    def spy(*args: object, **kwargs: object) -> BuildResult | None:
        result = real(*args, **kwargs)  # type: ignore[arg-type]  # the very arguments given
        seen.append(result is not None)
        return result

    monkeypatch.setattr(pipeline, "_build_kept", spy)
    return seen


def written(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def cached_build(site: Site, cache: Path, now: datetime = NOW, **kwargs: Any) -> BuildResult:
    config = load_config(site.config_path)
    return build(site.content, site.output, config, options(config, now, cache_dir=cache, **kwargs))


def fresh_files(site: Site, now: datetime = NOW) -> dict[str, bytes]:
    config = load_config(site.config_path)
    out = site.root / "fresh"
    build(site.content, out, config, options(config, now))
    return written(out)


def same_as_full_build(
    site: Site, cache: Path, taken: list[bool], *, kept: bool, **kwargs: Any
) -> BuildResult:
    """A build with the cache, which took the kept plans or not, and wrote what a build
    without the cache writes."""
    result = cached_build(site, cache, **kwargs)
    assert taken[-1] is kept
    assert written(site.output) == fresh_files(site, kwargs.get("now", NOW))
    return result


def post(site: Site, number: int) -> Path:
    return next(site.content.glob(f"*-post-{number}.md"))


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def built_then_edited(site: Site, tmp_path: Path) -> Path:
    """A build with a new cache (returned), then post 7's body edited."""
    cache = tmp_path / "cache"
    cached_build(site, cache)
    edit(post(site, 7), "Body 7.", "Body 7, edited.")
    return cache


def edit_both(first: Path, second: Path) -> None:
    edit(first, "Body 6.", "Body 6!")
    edit(second, "Body 7.", "Body 7!")


def add_sidecar(body: Path) -> None:
    body.with_suffix(".yaml").write_text("summary: From the sidecar\n", encoding="utf-8")


# (what to do to the site after a settled build, whether the kept plans are taken)
Change = Callable[[Site], None]
CASES: dict[str, tuple[Change, bool]] = {
    "a shown body": (lambda s: edit(post(s, 7), "Body 7.", "Body 7, edited."), True),
    "a body shown nowhere": (lambda s: edit(post(s, 0), "Body 0.", "Body 0, edited."), True),
    "two bodies": (lambda s: edit_both(post(s, 6), post(s, 7)), True),
    "a file touched": (lambda s: os.utime(post(s, 7)), True),
    "a title": (lambda s: edit(post(s, 7), "Post 7", "Post seven"), False),
    "a date": (lambda s: edit(post(s, 1), "2025-01-02T10", "2025-01-12T10"), False),
    "tags": (lambda s: edit(post(s, 7), "[all, odd]", "[all, even]"), False),
    "a draft": (lambda s: edit(post(s, 7), "title:", "draft: true\ntitle:"), False),
    "an article added": (lambda s: settle(s.article("2025-02-01-new.md", title="New")), False),
    "an article removed": (lambda s: post(s, 7).unlink(), False),
    "a sidecar added": (lambda s: add_sidecar(post(s, 7)), False),
    "a broken body": (lambda s: edit(post(s, 7), "title:", "title: [\nnot:"), False),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_build_from_kept_plans_writes_what_a_full_build_does(
    posts: Site, tmp_path: Path, taken: list[bool], case: str
) -> None:
    change, expected = CASES[case]
    cache = tmp_path / "cache"
    cached_build(posts, cache)
    assert (cache / kept_module.FILENAME).is_file()
    change(posts)
    try:
        fresh = fresh_files(posts)
    except Exception:  # noqa: BLE001 - a bad article: the build with the cache fails alike
        with pytest.raises(Exception):  # noqa: B017
            cached_build(posts, cache)
        assert taken[-1] is expected
        return
    cached_build(posts, cache)
    assert taken[-1] is expected
    assert written(posts.output) == fresh


def test_the_edited_body_is_published_from_kept_plans(
    posts: Site, tmp_path: Path, taken: list[bool]
) -> None:
    cache = built_then_edited(posts, tmp_path)
    result = cached_build(posts, cache)
    assert taken == [False, True]
    assert b"Body 7, edited." in (posts.output / "rss.xml").read_bytes()
    # Every feed showing the article, and no other.
    assert sorted(result.changed) == sorted(
        path for path, data in written(posts.output).items() if b"Body 7, edited." in data
    )
    assert result.articles == 8 and [s for s, _ in result.scheduled] == [
        str(posts.content / "2026-06-01-later.md")
    ]


def test_kept_plans_are_taken_again_after_a_build_from_them(
    posts: Site, tmp_path: Path, taken: list[bool]
) -> None:
    cache = tmp_path / "cache"
    cached_build(posts, cache)
    for round_ in range(3):
        edit(post(posts, 7), f"Body 7{'!' * round_}.", f"Body 7{'!' * (round_ + 1)}.")
        settle(post(posts, 7))  # an edit old enough for the cache to keep it
        cached_build(posts, cache)
        assert written(posts.output) == fresh_files(posts)
    assert taken == [False, True, True, True]


def test_a_post_coming_due_is_not_a_kept_plan(
    posts: Site, tmp_path: Path, taken: list[bool]
) -> None:
    cache = built_then_edited(posts, tmp_path)
    later = NOW + timedelta(days=200)  # "Later" is due by then
    cached_build(posts, cache, now=later)
    assert taken[-1] is False
    assert written(posts.output) == fresh_files(posts, now=later)
    assert b"Later" in (posts.output / "rss.xml").read_bytes()


@pytest.mark.parametrize("damage", ["numbers", "state"])
def test_kept_plans_of_another_listing_or_state_are_not_taken(
    posts: Site, tmp_path: Path, taken: list[bool], damage: str
) -> None:
    cache = tmp_path / "cache"
    cached_build(posts, cache)

    def damaged(data: list[Any]) -> None:
        if damage == "numbers":
            # Another listing's sizes and times: the state's key says they are not its own.
            data[3] = data[3][:-8] + "AAAAAAA="
        else:
            data[1] += 1  # the plans of a build at another time, with the same listing

    forge(cache / kept_module.FILENAME, damaged)
    edit(post(posts, 7), "Body 7.", "Body 7, edited.")
    same_as_full_build(posts, cache, taken, kept=False)


def test_a_changed_ledger_is_read_by_a_full_build(
    posts: Site, tmp_path: Path, taken: list[bool]
) -> None:
    cache, ledger = tmp_path / "cache", tmp_path / "feedtool.ids"
    cached_build(posts, cache, ledger=ledger)
    edit(post(posts, 7), "Body 7.", "Body 7, edited.")
    cached_build(posts, cache, ledger=ledger)
    assert taken[-1] is True
    edit(post(posts, 7), "Body 7, edited.", "Body 7, again.")
    with ledger.open("a", encoding="utf-8") as lines:
        lines.write("\n")  # a pull brought a change: checked again
    cached_build(posts, cache, ledger=ledger)
    assert taken[-1] is False
    # A build that had a ledger, then none: its ids may have come from the ledger.
    cached_build(posts, cache, ledger=ledger)
    edit(post(posts, 7), "Body 7, again.", "Body 7, once more.")
    cached_build(posts, cache)
    assert taken[-1] is False


def test_keep_going_and_check(posts: Site, tmp_path: Path, taken: list[bool]) -> None:
    cache = built_then_edited(posts, tmp_path)
    before = written(posts.output)
    checked = cached_build(posts, cache, check=True)
    assert taken[-1] is True
    assert written(posts.output) == before  # with check, nothing is written
    assert checked.changed and all(b"Body 7, edited." in checked.files[p] for p in checked.changed)
    # With keep_going, a body that cannot be read leaves its article out: a full build.
    post(posts, 6).write_bytes(post(posts, 6).read_bytes().replace(b"Body 6.", b"Body \xff."))
    config = load_config(posts.config_path)
    fresh = build(posts.content, posts.root / "fresh", config, options(config, keep_going=True))
    result = cached_build(posts, cache, keep_going=True)
    assert taken[-1] is False
    assert result.skipped == fresh.skipped == 1 and result.warnings == fresh.warnings
    assert written(posts.output) == written(posts.root / "fresh")
    edit(post(posts, 7), "Body 7, edited.", "Body 7, again.")
    cached_build(posts, cache, keep_going=True)
    assert taken[-1] is False  # no state was kept after a build that skipped an article
    # Mended, and old enough for the cache to keep: a build with keep_going takes them.
    post(posts, 6).write_bytes(post(posts, 6).read_bytes().replace(b"Body \xff.", b"Body 6."))
    settle(post(posts, 6))
    settle(post(posts, 7))
    cached_build(posts, cache, keep_going=True)
    edit(post(posts, 7), "Body 7, again.", "Body 7, once more.")
    cached_build(posts, cache, keep_going=True)
    assert taken[-1] is True
    assert written(posts.output) == fresh_files(posts)


def blocks(count: int) -> Iterator[tuple[bytes, bytes, list[int]]]:
    """Two numbers texts of ``count`` files, differing at a few known positions."""
    for positions in ([], [0], [count - 1], [5, 63, 64, 65], list(range(0, count, 7))):
        changed = sorted({at for at in positions if at < count})
        old = (bytes(range(256)) * (count * 24 // 256 + 1))[: count * 24]
        new = bytearray(old)
        for at in changed:
            new[at * 24 + 9] ^= 1  # one bit of its modification time
        yield old, bytes(new), changed


@pytest.mark.parametrize("count", [1, 64, 65, 200])
def test_changed_at_finds_every_changed_file(count: int) -> None:
    for old, new, changed in blocks(count):
        assert kept_module.changed_at(old, new) == changed


def test_an_article_read_with_a_sidecar_is_read_by_a_full_build(
    posts: Site, tmp_path: Path, taken: list[bool]
) -> None:
    body = post(posts, 7)
    body.write_text("Body 7.\n", encoding="utf-8")
    body.with_suffix(".yaml").write_text(
        "title: From the sidecar\ndate: 2025-01-08T10:00:00Z\ntags: [all, odd]\n",
        encoding="utf-8",
    )
    settle(body)
    settle(body.with_suffix(".yaml"))
    cache = built_then_edited(posts, tmp_path)
    same_as_full_build(
        posts, cache, taken, kept=False
    )  # its state lists the sidecar as an input beyond articles
    assert b"From the sidecar" in (posts.output / "rss.xml").read_bytes()


# Found by review: builds between the one that kept the plans and this one.


def test_an_article_read_again_since_the_plans_were_kept_is_not_taken_from_them(
    posts: Site, tmp_path: Path, taken: list[bool]
) -> None:
    """A build that saves the article cache but no plans (with check, with a file saved
    just before it, or one that fails after reading) leaves records newer than the plans:
    a body edit after it must not pair the old plans with the new tags."""
    cache = tmp_path / "cache"
    cached_build(posts, cache)
    edit(post(posts, 7), "[all, odd]", "[all, even]")
    settle(post(posts, 7))
    cached_build(posts, cache, check=True)  # reads post 7 again; keeps no plans
    edit(post(posts, 7), "Body 7.", "Body 7, edited.")
    settle(post(posts, 7))
    cached_build(posts, cache)
    assert taken == [False, False, False]
    assert written(posts.output) == fresh_files(posts)
    assert b"Body 7, edited." in (posts.output / "tags/even/rss.xml").read_bytes()


def test_a_draft_is_not_published_from_plans_kept_before_it_was_one(
    posts: Site, tmp_path: Path, taken: list[bool]
) -> None:
    cache = tmp_path / "cache"
    cached_build(posts, cache)
    edit(post(posts, 7), "title:", "draft: true\ntitle:")
    settle(post(posts, 7))
    edit(post(posts, 2), "Body 2.", "Body 2!")  # saved just now: the build keeps no state
    assert cached_build(posts, cache).drafts
    settle(post(posts, 2))
    edit(post(posts, 7), "Body 7.", "Body 7, edited.")
    settle(post(posts, 7))
    result = cached_build(posts, cache)
    assert taken[-1] is False
    assert result.drafts == [str(post(posts, 7))]
    assert b"Post 7" not in (posts.output / "rss.xml").read_bytes()
    assert written(posts.output) == fresh_files(posts)


def test_an_id_the_ledger_refused_is_refused_after_a_body_edit(
    posts: Site, tmp_path: Path, taken: list[bool]
) -> None:
    cache, ledger = tmp_path / "cache", tmp_path / "feedtool.ids"
    cached_build(posts, cache, ledger=ledger)
    edit(post(posts, 7), "title:", "slug: renamed\ntitle:")  # another id and link
    settle(post(posts, 7))
    with pytest.raises(FeedtoolError, match="readers would show it again as new"):
        cached_build(posts, cache, ledger=ledger)
    edit(post(posts, 7), "Body 7.", "Body 7, edited.")
    settle(post(posts, 7))
    with pytest.raises(FeedtoolError, match="readers would show it again as new"):
        cached_build(posts, cache, ledger=ledger)
    assert taken == [False, False, False]


def test_forged_plans_are_not_taken_after_a_fresh_checkout(
    posts: Site, tmp_path: Path, taken: list[bool]
) -> None:
    cache = tmp_path / "cache"
    cached_build(posts, cache)

    def titled(data: list[Any]) -> None:
        data[4][0][2] = "Forged title"  # the main feed's

    forge(cache / kept_module.FILENAME, titled)
    for file in posts.content.iterdir():  # a fresh checkout: every change time is new
        os.chmod(file, file.stat().st_mode)
    cached_build(posts, cache)
    assert taken[-1] is False
    assert b"Forged title" not in (posts.output / "rss.xml").read_bytes()
    assert written(posts.output) == fresh_files(posts)


def test_articles_read_again_are_reported_in_the_full_builds_order(
    posts: Site, tmp_path: Path, taken: list[bool]
) -> None:
    deep = posts.article("0sub/2025-01-20-deep.md", title="Deep", date="2025-01-20T10:00:00Z")
    settle(deep)
    cache = tmp_path / "cache"
    cached_build(posts, cache)

    def steps() -> list[str]:
        seen: list[BuildStep] = []
        cached_build(posts, cache, progress=seen.append)
        return [step.item for step in seen if step.stage == "read"]

    edit(deep, "Body text.", "Body text, edited.")
    edit(post(posts, 7), "Body 7.", "Body 7, edited.")
    kept_steps = steps()
    assert taken[-1] is True
    edit(post(posts, 7), "Post 7", "Post seven")  # the same two files, in a full build
    edit(deep, "Body text, edited.", "Body text, again.")
    assert taken[-1] is True
    full_steps = steps()
    assert taken[-1] is False
    assert kept_steps == full_steps == [kept_steps[0], str(post(posts, 7)), str(deep)]


@pytest.mark.parametrize("name", ["_feeds", "feeds"])
def test_a_state_naming_the_content_as_outputs_vouches_for_nothing(
    posts: Site, tmp_path: Path, taken: list[bool], name: str
) -> None:
    """A forged state.json whose outputs name every content file would leave no file in
    the listing its key is made of, and so none to vouch for forged plans."""
    posts.configure(feeds_per=["tags"], limit=3, html_page=False)
    config = load_config(posts.config_path)
    out, cache = posts.content / name, tmp_path / "cache"  # the output inside the content
    build(posts.content, out, config, options(config, cache_dir=cache))
    good = written(out)
    key = summary.key_of(
        DiskCache(cache, config).fingerprint, (str(posts.content), str(out), False), 0, b"", b""
    )

    def state(data: dict[str, Any]) -> None:
        data["key"] = key
        for file in posts.content.iterdir():
            if file.is_file():
                data["outputs"]["../" + file.name] = [0, 0]

    def plans(data: list[Any]) -> None:
        data[0], data[3] = key, ""
        for plan in data[4]:
            plan[2], plan[4] = "Forged title", []

    forge(cache / "state.json", state)
    forge(cache / kept_module.FILENAME, plans)
    for file in posts.content.iterdir():  # a fresh checkout
        if file.is_file():
            os.chmod(file, file.stat().st_mode)
    build(posts.content, out, config, options(config, cache_dir=cache))
    assert taken[-1] is False
    assert written(out) == good


def test_a_build_that_gives_up_on_kept_plans_tells_each_step_once(
    posts: Site, tmp_path: Path, taken: list[bool]
) -> None:
    posts.configure(feeds_per=["tags"], limit=3, max_html_bytes=300)
    cache = tmp_path / "cache"
    cached_build(posts, cache, keep_going=True)
    edit(post(posts, 7), "Body 7.", "Body 7 " + "long " * 100)  # now over max_html_bytes
    seen: list[BuildStep] = []
    result = cached_build(posts, cache, keep_going=True, progress=seen.append)
    assert taken[-1] is False and result.skipped == 1
    steps = [(step.stage, step.item) for step in seen]
    assert len(steps) == len(set(steps))
    assert [item for stage, item in steps if stage == "read"][1:] == [str(post(posts, 7))]


def test_a_drafts_late_update_is_refused_when_the_clock_goes_back(
    posts: Site, tmp_path: Path, taken: list[bool]
) -> None:
    """A draft updated a day ahead of the build is refused as any article is; the last
    build's window, which a build finding nothing changed or taking kept plans trusts,
    must end where that becomes true."""
    draft = posts.article(
        "2025-01-20-draft.md", title="Draft", draft="true", updated="2026-01-01T20:00:00Z"
    )
    settle(draft)
    cache = tmp_path / "cache"
    cached_build(posts, cache)
    earlier = NOW - timedelta(hours=10)
    with pytest.raises(FeedtoolError, match="more than a day after the build"):
        cached_build(posts, cache, now=earlier)
    edit(post(posts, 7), "Body 7.", "Body 7, edited.")
    with pytest.raises(FeedtoolError, match="more than a day after the build"):
        cached_build(posts, cache, now=earlier)
    assert taken[-1] is False


def test_a_draft_dated_later_leaves_both_quick_answers_working(
    posts: Site, tmp_path: Path, taken: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An article's update defaults to its date: a draft (or post) dated next month is
    no late update, and must not close the window the quick answers trust."""
    settle(posts.article("2026-03-01-plan.md", title="Plan", draft="true", date="2026-03-01"))
    cache, answered = tmp_path / "cache", []
    real = pipeline.unchanged_result
    monkeypatch.setattr(
        pipeline, "unchanged_result", lambda *args: answered.append(1) or real(*args)
    )
    cached_build(posts, cache)
    cached_build(posts, cache)
    assert answered == [1]  # nothing changed, answered from the summary
    edit(post(posts, 7), "Body 7.", "Body 7, edited.")
    cached_build(posts, cache)
    assert taken[-1] is True


LATE_CASES = [  # (date, updated): the late ones are updated over a day after their date
    ("2025-12-01T00:00:00Z", "2025-12-01T00:00:00Z"),
    ("2025-12-01T00:00:00Z", "2025-12-02T00:00:00Z"),
    ("2025-12-01T00:00:00Z", "2026-01-01T12:00:00Z"),
    ("2026-02-01T00:00:00Z", "2026-02-03T00:00:00Z"),
    ("2026-01-01T00:00:00+05:00", "2026-01-02T10:00:00-03:00"),
]


@pytest.mark.parametrize(("date", "updated"), LATE_CASES)
def test_late_until_is_where_late_updates_stops_finding_the_article(
    site: Site, date: str, updated: str
) -> None:
    from feedtool.read.metadata import late_until, late_updates, load_article

    path = site.article("a.md", date=date, updated=updated)
    article = load_article(path, load_config(site.config_path))
    until = late_until([article])
    for hours in range(-24 * 40, 24 * 70, 7):
        now = NOW + timedelta(hours=hours)
        late = bool(late_updates([article], now))
        assert late == (until is not None and now.timestamp() < until), (now, until)


# In Berlin's zone, across the changes of offset: a day and a half hour on the wall
# clock is 23.5 hours (spring), and 23.5 hours on it is a day and a half hour (autumn).
DST_CASES = [("2026-03-28 12:00", "2026-03-29 12:30"), ("2026-10-24 12:00", "2026-10-25 11:30")]


@pytest.mark.parametrize(("date", "updated"), DST_CASES)
def test_late_until_errs_only_late_where_a_zones_offset_changes(
    site: Site, date: str, updated: str
) -> None:
    from feedtool.read.metadata import late_until, late_updates, load_article

    site.configure(DEFAULT_CONFIG.replace('"UTC"', '"Europe/Berlin"'))
    path = site.article("a.md", date=date, updated=updated)
    article = load_article(path, load_config(site.config_path))
    assert article.updated.tzinfo is article.published.tzinfo  # compared as wall clocks
    until = late_until([article])
    assert until is not None
    start = article.published - timedelta(days=2)
    for minutes in range(0, 4 * 24 * 60, 10):
        now = (start + timedelta(minutes=minutes)).astimezone(UTC)
        if late_updates([article], now):
            assert now.timestamp() < until, now


def test_a_late_update_where_the_offset_fell_most_of_a_day(
    site: Site, tmp_path: Path, taken: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kwajalein went from +11 to -12 in October 1969: an update 9 hours after its date
    on the wall clock came 32 hours after it. Neither quick answer may pass a build at a
    time the full build finds it late."""
    site.configure(DEFAULT_CONFIG.replace('"UTC"', '"Pacific/Kwajalein"'))
    for number in range(3):
        site.article(f"p{number}.md", date=f"1969-09-0{number + 1}T10:00:00", body=f"B{number}.")
    site.article("late.md", date="1969-09-30T20:00:00", updated="1969-10-01T05:00:00")
    for path in site.content.iterdir():
        settle(path)
    answered: list[int] = []
    real = pipeline.unchanged_result
    monkeypatch.setattr(
        pipeline, "unchanged_result", lambda *args: answered.append(1) or real(*args)
    )
    later, earlier = datetime(1969, 10, 5, tzinfo=UTC), datetime(1969, 9, 30, 12, tzinfo=UTC)
    cache = tmp_path / "cache"
    cached_build(site, cache, now=later)
    with pytest.raises(FeedtoolError, match="more than a day after the build"):
        cached_build(site, cache, now=earlier)  # nothing changed
    edit(site.content / "p2.md", "B2.", "B2, edited.")
    with pytest.raises(FeedtoolError, match="more than a day after the build"):
        cached_build(site, cache, now=earlier)  # a body changed
    assert answered == [] and taken[-1] is False


def test_a_clock_given_in_the_sites_zone_is_taken_as_an_instant(site: Site, tmp_path: Path) -> None:
    """Through the API a build's now may carry a zone whose offset changes. Compared with
    the articles' times as wall clocks, an update 23.5 hours ahead across a change of
    offset was "more than a day" ahead, which the window the cache trusts (reckoned in
    instants) did not know: now it is reckoned as an instant by every build."""
    site.configure(DEFAULT_CONFIG.replace('"UTC"', '"Europe/Berlin"'))
    settle(site.article("a.md", date="2026-03-20T12:00:00", updated="2026-03-29T12:30:00"))
    cache = tmp_path / "cache"
    cached_build(site, cache, now=datetime(2026, 4, 1, tzinfo=UTC))
    berlin = datetime(2026, 3, 28, 12, tzinfo=ZoneInfo("Europe/Berlin"))  # 11:00 UTC
    as_utc = berlin.astimezone(UTC)
    assert fresh_files(site, berlin) == fresh_files(site, as_utc)
    with pytest.raises(FeedtoolError, match="more than a day after the build"):
        fresh_files(site, as_utc - timedelta(minutes=31))  # the update is 10:30 UTC next day
    cached_build(site, cache, now=berlin)
    assert written(site.output) == fresh_files(site, as_utc)


def test_a_forged_entry_met_by_kept_plans_is_rendered_again_once(
    posts: Site, tmp_path: Path, taken: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept plans give up on a forged entry (its HTML not what the sanitiser makes);
    the full build then checks each entry as the cache gives it, and renders once."""
    import feedtool.render.documents

    cache = tmp_path / "cache"
    cached_build(posts, cache)

    def poison(data: dict[str, list[Any]]) -> None:
        record = data[str(post(posts, 6))]
        record[2] += "<script>alert(1)</script>"
        record[4] = "00" * 16  # a new digest: no file rendered before shows it

    forge(cache / "entries.json", poison)
    edit(post(posts, 7), "Body 7.", "Body 7, edited.")
    unclean: list[object] = []
    real = feedtool.render.documents.UncleanEntries

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any) -> None:
            unclean.append(args)
            super().__init__(*args)

    monkeypatch.setattr(feedtool.render.documents, "UncleanEntries", Counted)
    same_as_full_build(posts, cache, taken, kept=False)
    assert len(unclean) == 1  # raised to the kept plans, never to the full build
    assert not any(b"<script" in data for data in written(posts.output).values())
