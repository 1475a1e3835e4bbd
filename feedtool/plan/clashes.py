"""Clashes: two articles claiming the same URL or id, and which of them is kept."""

from __future__ import annotations

from feedtool.errors import ContentError, FeedtoolError
from feedtool.model import Article


def find_clashes(
    articles: list[Article], *, keep_going: bool = False
) -> tuple[set[str], list[FeedtoolError]]:
    """Two articles with the same URL or id would replace each other, or show as one item.

    Articles are taken oldest first (ties: by file name), so the one already
    published keeps its URL and id and the newcomer, usually a copy of an old
    post whose slug or id was not changed, is the one reported. Returns the
    sources of the reported articles and one problem for each.

    With ``keep_going`` the reported articles are skipped, so they claim nothing:
    a third article that clashes only with a skipped one is published.
    """
    if len({a.link for a in articles}) == len({a.id for a in articles}) == len(articles):
        return set(), []  # the usual case, told by two set sizes, before any sorting
    claimed: dict[tuple[str, str], Article] = {}
    clashing: set[str] = set()
    problems: list[FeedtoolError] = []
    for article in sorted(articles, key=lambda a: (a.published, a.source)):
        keys = (("URL", article.link), ("id", article.id))
        clashes: dict[str, list[tuple[str, str]]] = {}  # first holder's source -> what clashed
        holders: dict[str, Article] = {}
        for what, value in keys:
            first = claimed.get((what, value))
            if first is not None:
                clashes.setdefault(first.source, []).append((what, value))
                holders[first.source] = first
        if clashes:
            clashing.add(article.source)
        if not (clashes and keep_going):
            for what, value in keys:
                claimed.setdefault((what, value), article)
        for source, same in clashes.items():
            what = " and ".join(w for w, _ in same)
            values = " and ".join(f'"{v}"' for _, v in same)
            kept = f", which is kept ({_older(holders[source], article)})" if keep_going else ""
            fix = "slug or link" if same[0][0] == "URL" else "id"
            problems.append(
                ContentError(
                    f"same {what} {values} as {source}{kept}; give one of them its own {fix}",
                    path=article.source,
                    field="slug" if same[0][0] == "URL" else "id",
                )
            )
    return clashing, problems


def _older(first: Article, second: Article) -> str:
    if first.published < second.published:
        return "it is dated earlier"
    return "same date, and its file name sorts first"


def shared_enclosures(
    articles: list[Article], *, keep_going: bool = False
) -> tuple[set[str], list[FeedtoolError]]:
    """Two podcast episodes with the same enclosure URL: apps take them for one episode.

    As with find_clashes, the later article (oldest first, ties by file name) is the
    one reported, and skipped with ``keep_going``. Returns the reported sources and
    one problem each, naming the file and line of its ``enclosures``.
    """
    first: dict[str, Article] = {}
    reported: set[str] = set()
    problems: list[FeedtoolError] = []
    episodes = [a for a in articles if a.episode is not None]
    for article in sorted(episodes, key=lambda a: (a.published, a.source)):
        assert article.episode is not None
        url = article.episode.enclosure.url
        holder = first.get(url)
        if holder is None:
            first[url] = article
            continue
        reported.add(article.source)
        path, line = article.episode.at
        problems.append(
            ContentError(
                f'same enclosure URL "{url}" as {holder.source}; podcast apps would take them '
                "for one episode: give each episode its own file",
                path=path or article.source,
                line=line,
                field="enclosures",
            )
        )
    return reported, problems
