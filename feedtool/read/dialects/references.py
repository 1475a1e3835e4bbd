"""Links between articles written in a generator's own syntax, made real addresses.

Jekyll's ``{% post_url 2024-01-05-hello %}`` and ``{% link _posts/x.md %}``, Hugo's
``{{< ref "posts/x.md" >}}`` / ``relref`` and Pelican's ``{filename}x.md`` (and
``{static}``/``{attach}`` files) name a file; the feed needs the address its generator gave
it. Each is looked up among the articles of this build, once every article is read:
relative to the referring file first, then as the end of some article's path. A target
found nowhere is left as written (and the template step renders or drops it as usual).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable

from feedtool.config import SiteConfig
from feedtool.model import Article

_JEKYLL = re.compile(r"\{%-?\s*(post_url|link)\s+([^\s%]+)\s*-?%\}")
_HUGO = re.compile(r"\{\{[<%]\s*(?:ref|relref)\s+\"?([^\"\s>%]+)\"?\s*[>%]\}\}")
_PELICAN = re.compile(r"(?:\{(filename|static|attach)\}|\|(filename|static|attach)\|)([^\s\"')>]+)")


def _key(path: str) -> str:
    """A path as references name it: "/" separated, without extension or a final /index."""
    path = path.replace(os.sep, "/")
    stem = posixpath.splitext(path)[0]
    return stem[: -len("/index")] if stem.endswith("/index") else stem


class Index:
    """The articles of a build, to look references up in."""

    def __init__(self, articles: Iterable[Article]) -> None:
        self.by_key: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        for article in articles:
            key = _key(os.path.normpath(article.source))
            self.by_key[key] = article.link
            self.by_name.setdefault(key.rsplit("/", 1)[-1], []).append(key)

    def find(self, target: str, source: str) -> str | None:
        target = target.split("#", 1)[0]
        relative = posixpath.normpath(
            posixpath.join(posixpath.dirname(source.replace(os.sep, "/")), target.lstrip("/"))
        )
        if not target.startswith("/") and _key(relative) in self.by_key:
            return self.by_key[_key(relative)]
        wanted = _key(target.lstrip("./").lstrip("/"))
        name = wanted.rsplit("/", 1)[-1]
        found = [k for k in self.by_name.get(name, []) if k == wanted or k.endswith("/" + wanted)]
        return self.by_key[found[0]] if len(found) == 1 else None


def resolve(texts: dict[str, str], articles: list[Article], config: SiteConfig) -> dict[str, str]:
    """``texts`` (body text by source) with references to other articles made links."""
    kinds = {"jekyll": _JEKYLL, "eleventy": _JEKYLL, "hugo": _HUGO, "pelican": _PELICAN}
    pattern = kinds.get(config.dialect or "")
    if pattern is None or not any(pattern.search(text) for text in texts.values()):
        return texts
    index = Index(articles)
    result = dict(texts)
    for source, text in texts.items():
        if not pattern.search(text):
            continue

        def replace(match: re.Match[str], source: str = source) -> str:
            if pattern is _PELICAN:
                kind, target = match[1] or match[2], match[3]
                if kind != "filename":
                    return _static(target, source, config) or match[0]
                return index.find(target, source) or match[0]
            if pattern is _JEKYLL:
                kind, target = match[1], match[2]
                found = index.find(target, source)
                if found is None and kind == "link":
                    # A page, not a post: Jekyll writes it at its path, as .html.
                    page = re.sub(r"\.(md|markdown|mkd)$", ".html", target.lstrip("/"))
                    # A collection's document (_coll/x.md): /coll/x.html, the default
                    # /:collection/:path:output_ext.
                    page = re.sub(r"^_(?!posts/)([^/]+)/", r"\1/", page)
                    return config.base_url + page
                return found or match[0]
            return index.find(match[1], source) or match[0]

        result[source] = pattern.sub(replace, text)
    return result


def _static(target: str, source: str, config: SiteConfig) -> str | None:
    """A Pelican static file's address: where it lies below the content folder."""
    if target.startswith("/"):
        return config.base_url + target.lstrip("/")
    content = os.path.normpath(config.content or "content")
    folder = os.path.dirname(os.path.normpath(source))
    parts = folder.split(os.sep)
    if content in parts:
        below = parts[parts.index(content) + 1 :]
        path = posixpath.normpath(posixpath.join(*below, target)) if below else target
        return config.base_url + path.lstrip("/")
    return None
