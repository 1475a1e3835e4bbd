"""Entries and files: bodies rendered once each, then every planned document in every
enabled format, with links between documents, max_bytes and the OPML index."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

import msgspec
from msgspec.structs import replace

from feedtool.config import SiteConfig
from feedtool.errors import ConfigError, ContentError
from feedtool.model import Article, Entry, FeedDoc
from feedtool.parallel import split_map
from feedtool.plan.feeds import FeedPlan
from feedtool.plan.groups import GROUPINGS
from feedtool.render.body_html import make_entry
from feedtool.render.formats import OWN_FORMATS, Format, feed_path, feed_url, named, opml, page
from feedtool.render.formats.fragments import Fragments
from feedtool.values import choices

if TYPE_CHECKING:
    from feedtool.validators import Problem

# A feed with no items still needs an updated time; the clock would break determinism.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The files written here besides each format's feeds: config.py keeps feed_files off them.
_OWN = {fmt.filename for fmt in OWN_FORMATS.values()} | {opml.FILENAME, page.FILENAME}
assert _OWN == set(choices.OWN_FILES), "see values/choices"


Result = tuple[bytes, list[str]]  # a file's bytes and the warnings rendering it gave
# What is wrong with a rendered file (output path, bytes), or None when it is published
# with those very bytes already, so need not be looked at.
Validate = Callable[[str, bytes], "list[Problem] | None"]
# Told of each unit of work done, for progress bars: (what, how many done, of how many).
Progress = Callable[[str, int, int], None]


class Rendered(msgspec.Struct, frozen=True):
    files: dict[str, bytes]  # output path (relative, / separated) -> contents
    warnings: list[tuple[str, str]]  # (output path, what rendering it warns of)
    # What ``validate`` found in each file it looked at. The others are published with
    # these very bytes already: the cache took them from there, or ``validate`` said so.
    checked: dict[str, list[Problem]] = msgspec.field(default_factory=dict)


def newest_update(entries: tuple[Entry, ...]) -> datetime:
    """The feed's updated time (Atom updated, RSS lastBuildDate): never older than any of
    its items' dates, or a reader may take the feed for unchanged and skip them."""
    return max((max(e.article.updated, e.article.published) for e in entries), default=_EPOCH)


def feed_doc(config: SiteConfig, plan: FeedPlan, entries: tuple[Entry, ...]) -> FeedDoc:
    """The format-independent document for a plan (links to other documents come later)."""
    show = config.podcast if plan.kind == "podcast" else None
    return FeedDoc(
        key=plan.key,
        title=plan.title,
        description=plan.description,
        site_url=config.base_url,
        updated=newest_update(entries),
        entries=entries,
        language=config.language,
        authors=plan.authors,
        image=show.image if show is not None else config.image,
        icon=config.icon,
        hub=None if plan.archive else config.hub,  # archive pages never change: nothing to push
        archive=plan.archive,
        show=show,
    )


def _first(doc: FeedDoc, count: int) -> FeedDoc:
    entries = doc.entries[:count]
    return replace(doc, entries=entries, updated=newest_update(entries))


def _fit(
    doc: FeedDoc, fmt: Format, url: str, max_bytes: int, fragments: Fragments
) -> tuple[bytes, int] | None:
    """The document with as many of its first entries as fit in ``max_bytes``, and how many.

    Size grows with every entry, so a binary search finds the largest count in about
    log2(n) renders. None when not even an empty document fits.
    """
    best: tuple[bytes, int] | None = None
    low, high = 0, len(doc.entries) - 1  # the whole document is already known not to fit
    while low <= high:
        middle = (low + high) // 2
        data = fragments.render(fmt, _first(doc, middle), url)
        if len(data) <= max_bytes:
            best = (data, middle)
            low = middle + 1
        else:
            high = middle - 1
    return best


def _render_one(
    config: SiteConfig,
    plan: FeedPlan,
    doc: FeedDoc,
    fmt: Format,
    warnings: list[str],
    fragments: Fragments,
) -> bytes:
    """``fmt``'s file for ``plan``; ``fragments`` has the entries rendered for other files."""
    names = config.feed_files
    path = feed_path(plan.key, fmt, names)
    url = feed_url(config.feeds_url, plan.key, fmt, names)
    links = tuple(
        (rel, feed_url(config.feeds_url, target, fmt, names)) for rel, target in plan.links
    )
    doc = replace(doc, extra_links=doc.extra_links + links)
    data = fragments.render(fmt, doc, url)
    limit = config.max_bytes
    if limit is None or len(data) <= limit:
        return data
    if not plan.trim:
        warnings.append(
            f"{len(data)} bytes, over max_bytes ({limit}): archive pages keep every item; "
            "lower archive_page_size to make them smaller"
        )
        return data
    fitted = _fit(doc, fmt, url, limit, fragments)
    if fitted is None:
        raise ConfigError(
            f"{limit} is too small: {path} is {len(fmt.render(_first(doc, 0), url))} bytes "
            "with no items at all",
            path=config.source,
            field="max_bytes",
        )
    data, kept = fitted
    warnings.append(
        f"left out the oldest {len(doc.entries) - kept} of {len(doc.entries)} items "
        f"to stay within max_bytes ({len(data)} of {limit} bytes)"
    )
    return data


def index_opml(config: SiteConfig, plans: list[FeedPlan]) -> bytes:
    """index.opml: every subscribable feed (not archive pages), one folder per format."""
    formats = named(config.formats) + named(
        dict.fromkeys(name for plan in plans for name in plan.formats)
    )
    folders = [
        opml.Folder(
            text=fmt.label,
            feeds=tuple(
                opml.Subscription(
                    title=plan.title,
                    xml_url=feed_url(config.feeds_url, plan.key, fmt, config.feed_files),
                    html_url=config.base_url,
                    description=plan.description,
                )
                for plan in plans
                if not plan.archive and fmt.name in (plan.formats or config.formats)
            ),
        )
        for fmt in formats
    ]
    return opml.render(f"{config.title}: all feeds", config.author, folders)


# How many of the main feed's newest items index.html shows in full.
PAGE_ENTRIES = 10


def index_page(config: SiteConfig, plans: list[FeedPlan], entries: dict[str, Entry]) -> bytes:
    """index.html: the feeds with subscribe links, and the main feed's newest items."""

    def feed(plan: FeedPlan, name: str) -> page.Feed:
        links = tuple(
            page.FeedLink(
                label=fmt.label,
                media_type=fmt.media_type,
                # the page sits at the top of the output folder
                href=feed_path(plan.key, fmt, config.feed_files),
                url=feed_url(config.feeds_url, plan.key, fmt, config.feed_files),
            )
            for fmt in named(plan.formats or config.formats)
        )
        return page.Feed(name=name, links=links)

    main = next(plan for plan in plans if plan.kind == "main")
    groups = []
    for grouping in (GROUPINGS[name] for name in config.feeds_per):
        prefix = f"{config.title}: {grouping.label} "
        feeds = tuple(
            feed(plan, plan.title.removeprefix(prefix))
            for plan in plans
            if plan.kind == grouping.name
        )
        if feeds:
            groups.append(page.FeedList(title=f"Feeds per {grouping.label}", feeds=feeds))
    # Feeds of the whole site in a format of their own (the podcast), beside the main one.
    others = [feed(plan, plan.title) for plan in plans if plan.formats and not plan.archive]
    site = page.Site(
        config.title, config.description, config.base_url, config.language, config.feeds_url
    )
    shown = page_entries(plans, entries)
    opml_href = opml.FILENAME if config.opml else None
    return page.render(
        site, feed(main, config.title), groups, shown, len(main.articles), opml_href, others
    )


def page_entries(plans: list[FeedPlan], entries: dict[str, Entry]) -> list[Entry]:
    """The entries index.html shows: the main feed's newest."""
    main = next(plan for plan in plans if plan.kind == "main")
    return [entries[article.source] for article in main.articles[:PAGE_ENTRIES]]


def _entry_digest(entry: Entry) -> bytes:
    """A digest of everything an entry shows (its article's metadata, its HTML)."""
    # The article by repr, not pickle: equal records always print the same, while
    # pickle's bytes depend on which equal strings happen to be one object in memory.
    # The HTML and summary as their own bytes, each after its length: repr would escape
    # them character by character, the costliest part of a first build's cache
    # (docs/speed.md).
    digest = hashlib.blake2b(digest_size=16)
    for text in (repr(entry.article), entry.content_html, entry.summary):
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.digest()


def _digest(config: SiteConfig, plan: FeedPlan, doc: FeedDoc, digests: dict[str, bytes]) -> bytes:
    """A digest of everything a plan's files show but the format: the plan and the
    document, with each entry by its digest (``digests``, by source: an entry is in many
    files, and the cache keeps its digest with it)."""
    shown = (
        config.feeds_url,
        config.max_bytes,
        replace(plan, articles=()),
        replace(doc, entries=()),
        tuple(digests[entry.article.source] for entry in doc.entries),
    )
    return hashlib.blake2b(repr(shown).encode("utf-8", "surrogatepass"), digest_size=20).digest()


class RenderCache(Protocol):
    """What render_files asks of a cache (rendered.DiskRenderCache, a build's cache.rendered):
    entries and files made before."""

    def entry(self, article: Article) -> tuple[Entry, bytes] | None: ...

    def unclean(self, entries: Iterable[Entry], /) -> list[str]:
        """The sources of those of ``entries`` the cache gave whose HTML the sanitiser
        would change (asked before they go into a file rendered now)."""
        ...

    def drop_unclean(self) -> None:
        """Check every entry given so far and forget those that fail; from then on,
        check each entry as it is given."""
        ...

    def keep_entry(self, entry: Entry, digest: bytes, /) -> None: ...

    def document(self, key: tuple[object, ...], path: str, /) -> Result | None: ...

    def keep_document(self, key: tuple[object, ...], path: str, result: Result, /) -> None: ...


# Below these counts a forked helper costs more than it saves (see parallel.py).
SPLIT_MIN_ENTRIES = 64
SPLIT_MIN_FILES = 16


class Entries(msgspec.Struct, frozen=True):
    """Every article some plan shows, as an entry; with a cache, each entry's digest too."""

    by_source: dict[str, Entry]
    digests: dict[str, bytes]  # by source; only with a cache (see _digest)


class UncleanEntries(Exception):
    """Entries the cache gave whose HTML the sanitiser would change (a forged or damaged
    cache): render_files renders no file with them. pipeline._render_trusted has the
    cache drop them and makes the entries and files again, once (pipeline._build_kept
    has it drop them and leaves the rest to the full build)."""

    def __init__(self, sources: list[str]) -> None:
        super().__init__(", ".join(sources))
        self.sources = sources


def shown_articles(plans: list[FeedPlan]) -> list[Article]:
    """Every article some plan shows, once each, in the plans' order."""
    shown: dict[str, Article] = {}
    for plan in plans:
        for article in plan.articles:
            shown.setdefault(article.source, article)
    return list(shown.values())


def cached_entries(
    articles: list[Article], cache: RenderCache | None
) -> tuple[dict[str, tuple[Entry, bytes]], list[Article]]:
    """The entries the cache has (with their digests), and the articles it has none for."""
    found: dict[str, tuple[Entry, bytes]] = {}
    missing: list[Article] = []
    for article in articles:
        hit = cache.entry(article) if cache is not None else None
        if hit is None:
            missing.append(article)
        else:
            found[article.source] = hit
    return found, missing


def render_entries(
    cached: dict[str, tuple[Entry, bytes]],
    articles: list[Article],
    texts: dict[str, str],
    cache: RenderCache | None,
    max_html_bytes: int | None = None,
    on_entry: Progress | None = None,
) -> tuple[Entries, list[ContentError]]:
    """The cached entries plus ``articles`` rendered from their body ``texts`` (by source),
    in several processes when there are many; and a problem for each body over the limits
    (see make_entry), in the order given. ``on_entry(source, done, total)`` is called
    after each article rendered."""

    def render(article: Article) -> tuple[str, str] | ContentError:
        try:
            entry = make_entry(article, texts[article.source], max_html_bytes=max_html_bytes)
        except ContentError as exc:
            return exc
        # Only the HTML travels back from a helper process: the article is here already.
        return entry.content_html, entry.summary

    report = _counter(on_entry, [article.source for article in articles])
    made = split_map(render, articles, min_items=SPLIT_MIN_ENTRIES, on_done=report)
    entries = {source: hit[0] for source, hit in cached.items()}
    digests = {source: hit[1] for source, hit in cached.items()}
    problems: list[ContentError] = []
    for article, outcome in zip(articles, made, strict=True):
        if isinstance(outcome, ContentError):
            problems.append(outcome)
            continue
        html, summary = outcome
        entry = Entry(article=article, content_html=html, summary=summary)
        entries[article.source] = entry
        if cache is not None:
            digests[article.source] = _entry_digest(entry)
            cache.keep_entry(entry, digests[article.source])
    return Entries(entries, digests), problems


def _counter(on_done: Progress | None, items: list[str]) -> Callable[[int], None] | None:
    """split_map's on_done(index) as ``on_done(item, done, total)``, counting."""
    if on_done is None:
        return None
    report, done = on_done, 0

    def count(index: int) -> None:
        nonlocal done
        done += 1
        report(items[index], done, len(items))

    return count


def render_files(
    config: SiteConfig,
    plans: list[FeedPlan],
    entries: Entries,
    cache: RenderCache | None = None,
    validate: Validate | None = None,
    on_file: Progress | None = None,
) -> Rendered:
    """Every planned document in every enabled format, plus index.opml and index.html
    when enabled.

    ``cache`` answers for files whose every input is unchanged. Files are rendered in
    several processes when there are many. ``validate``, when given, is run on each file
    rendered now, in the process that rendered it: checking is then shared between
    processes as rendering is, not a second round. ``on_file(path, done, total)`` is
    called after each file rendered (and checked) now.
    """
    jobs: list[tuple[FeedPlan, FeedDoc, Format]] = []
    keys: list[tuple[object, ...]] = []  # what each file shows, for the cache
    for plan in plans:
        formats = named(plan.formats or config.formats)
        doc = feed_doc(config, plan, tuple(entries.by_source[a.source] for a in plan.articles))
        jobs.extend((plan, doc, fmt) for fmt in formats)
        shown = _digest(config, plan, doc, entries.digests) if cache else b""
        keys.extend((fmt.name, shown) for fmt in formats)
    paths = [feed_path(plan.key, fmt, config.feed_files) for plan, _, fmt in jobs]
    results = [cache.document(k, p) if cache else None for k, p in zip(keys, paths, strict=True)]
    missing = [number for number, result in enumerate(results) if result is None]
    if cache is not None:
        # Cached HTML goes into no file before the sanitiser has seen it (rendered.py).
        emitted = [entry for number in missing for entry in jobs[number][1].entries]
        if config.html_page:
            emitted += page_entries(plans, entries.by_source)
        unclean = cache.unclean(emitted)
        if unclean:
            raise UncleanEntries(unclean)
    # Each entry is rendered once per format (in each process), then reused by every
    # file that shows it: a feed per tag shows most entries again.
    fragments = Fragments()

    def render(number: int) -> tuple[Result, list[Problem] | None]:
        notes: list[str] = []
        data = _render_one(config, *jobs[number], notes, fragments)
        problems = validate(paths[number], data) if validate is not None else None
        return (data, notes), problems

    report = _counter(on_file, [paths[number] for number in missing])
    made = split_map(render, missing, min_items=SPLIT_MIN_FILES, on_done=report)
    checked: dict[str, list[Problem]] = {}
    for number, (result, problems) in zip(missing, made, strict=True):
        results[number] = result
        if problems is not None:
            checked[paths[number]] = problems
        if cache is not None:
            cache.keep_document(keys[number], paths[number], result)
    files: dict[str, bytes] = {}
    warnings: list[tuple[str, str]] = []
    for path, done in zip(paths, results, strict=True):
        assert done is not None  # every missing one was rendered above
        files[path] = done[0]
        warnings.extend((path, warning) for warning in done[1])
    if config.opml:
        files[opml.FILENAME] = index_opml(config, plans)
        problems = validate(opml.FILENAME, files[opml.FILENAME]) if validate is not None else None
        if problems is not None:
            checked[opml.FILENAME] = problems
    if config.html_page:
        files[page.FILENAME] = index_page(config, plans, entries.by_source)
        problems = validate(page.FILENAME, files[page.FILENAME]) if validate is not None else None
        if problems is not None:
            checked[page.FILENAME] = problems
    # config.py keeps feed_files off these names; two documents in one file would lose one.
    assert len(files) == len(paths) + config.opml + config.html_page, "two files, one path"
    return Rendered(files=files, warnings=warnings, checked=checked)
