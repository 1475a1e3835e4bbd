"""Hugo: front matter as Hugo reads it, page bundles, permalinks; the RSS guid is the link.

Checked against Hugo 0.111's own home feed (tests/data/sites/hugo/expected.json):
the home feed holds every regular page (not only the main sections); ``:slug`` in a
permalink is the slug or else the title, made a URL. Hugo before 0.125 dates an item
by ``date``, 0.125 and later by ``publishDate`` (falling back to ``date``; Hugo's pull
request 12300): the option ``pub_date`` ("publishDate", the default, or "date") says which.
"""

from __future__ import annotations

import os
import re
from typing import Any

from msgspec.structs import replace

from feedtool.errors import FeedtoolError
from feedtool.model import Article
from feedtool.read.dialects import Dialect, Page, Reading
from feedtool.read.dialects._common import (
    as_date,
    content_dir,
    join_url,
    lower_keys,
    site_text,
    skip,
    translation_files,
    words,
)
from feedtool.read.frontmatter import split

_LANG_SUFFIX = re.compile(r"^(.+)\.([a-z]{2}(?:-[a-z]{2,4})?)$", re.I)
_TOKEN = re.compile(
    r":(year|month|monthname|day|weekday|yearday|section|sections|title|slug|"
    r"filename|contentbasename|slugorfilename)"
)


def urlize(text: str) -> str:
    """Hugo's urlize: lower case, spaces (runs of them) to one hyphen, other punctuation out."""
    out: list[str] = []
    hyphen = False
    for char in text.strip().lower():
        if char.isalnum() or char in "_./%+~":
            out.append(char)
            hyphen = False
        elif char in " -\t" and not hyphen:
            out.append("-")
            hyphen = True
    return "".join(out).strip("-")


class Hugo(Dialect):
    def read(self, page: Page) -> Reading | None:
        name = page.rel.rsplit("/", 1)[-1]
        if name.startswith("_index."):
            return None  # a list page (home, section, taxonomy), not an article
        meta = lower_keys(page.meta)
        content = content_dir(page.path, page.rel)  # the site's, not a language's folder
        page, folder_language = self._content_dir(page)
        stem = page.stem
        language = _LANG_SUFFIX.match(stem)
        default_language = str(self.options.get("default_language", "en"))
        lang = language[2] if language else (folder_language or default_language)
        if language:
            stem = language[1]
        bundle = stem == "index"
        if bundle and _truthy(meta.get("headless")):
            return None
        if _truthy(meta.get("hiddeninrss")):
            return None  # PaperMod's feed template (the most used theme) leaves it out
        if meta.get("build", {}) and isinstance(meta["build"], dict):
            if meta["build"].get("list") == "never" or meta["build"].get("render") == "never":
                return None
        tz = self.config.tz
        date = meta.get("date") or meta.get("publishdate") or meta.get("pubdate")
        date = date or meta.get("published") or meta.get("lastmod") or meta.get("modified")
        if as_date(date, tz) is None:
            # Hugo's feed lists it dated 0001-01-01 (its zero time), a date readers misread:
            # named, so every page Hugo publishes is an item or a warning.
            raise skip(
                page.path,
                "date: none, so Hugo's feed dates it 0001-01-01; give it a date to list it",
            )
        folders = page.folders
        if bundle:
            folders, filename = folders[:-1], folders[-1] if folders else "index"
        else:
            filename = stem
        section = folders[0] if folders else ""
        title = meta.get("title")
        slug = meta.get("slug")
        # Hugo's .Date (date, else publishDate...) builds the permalink, whichever dates
        # the feed item.
        page_date = as_date(date, tz)
        assert page_date is not None
        visible_from = meta.get("publishdate") if meta.get("date") else None
        if self.options.get("pub_date", "publishDate") == "publishDate" and visible_from:
            if as_date(visible_from, tz) is not None:
                date, visible_from = visible_from, None
        published = as_date(date, tz)
        assert published is not None
        link = self._in_language(
            self._link(meta, section, folders, filename, title, slug, page_date), lang
        )
        out: dict[str, Any] = {
            # Hugo's feed gives an untitled page an empty title; a feed item needs one.
            "title": title if title not in (None, "") else filename,
            "date": date,
            "slug": urlize(str(slug)) if slug else (urlize(filename) or "index"),
            "link": link,
            "id": link,  # Hugo's RSS <guid> is the permalink
        }
        lastmod = as_date(meta.get("lastmod") or meta.get("modified"), tz)
        if lastmod is not None and lastmod >= published:
            out["updated"] = meta.get("lastmod") or meta.get("modified")
        summary = meta.get("summary") or meta.get("description")
        if summary:
            out["summary"] = summary
        for key in ("tags", "categories"):
            if meta.get(key):
                out[key] = words(meta[key], ",")
        if _truthy(meta.get("draft")):
            out["draft"] = True
        images = meta.get("images")
        if isinstance(images, list) and images:
            out["image"] = images[0]
        author = meta.get("author")
        if isinstance(author, str) and author.strip():
            out["author"] = author
        suffix = "html" if name.endswith((".html", ".htm")) else "markdown"
        translations = self._translations(page, stem, lang, folders, filename, section, content)
        out["lang"] = lang  # every page: the home feed keeps the default language's
        return Reading(
            translations=translations,
            meta=out,
            body_format=f"hugo-{suffix}",
            expires=meta.get("expirydate") or meta.get("unpublishdate"),
            visible_from=visible_from,
            warnings=page.template_notes("hugo"),
        )

    def main_feed(self, article: Article) -> bool:
        """Hugo's home feed is the default language's (each language has its own)."""
        default_language = str(self.options.get("default_language", "en"))
        return article.lang is None or article.lang.lower() == default_language.lower()

    def _in_language(self, link: str, language: str) -> str:
        """A page of another language than the default lives under ``/LANG/``."""
        default_language = str(self.options.get("default_language", "en"))
        base = self.config.base_url
        if language.lower() == default_language.lower() or not link.startswith(base):
            return link
        return base + language.lower() + "/" + link[len(base) :]

    def _content_dir(self, page: Page) -> tuple[Page, str | None]:
        """A page in a language's own ``contentDir`` (``content/fr/posts/x.md``): the page
        as Hugo sees it (``posts/x.md``) and that language."""
        dirs = self.options.get("content_dirs")
        if not isinstance(dirs, dict):
            return page, None
        for language, folder in sorted(dirs.items(), key=lambda item: -len(str(item[1]))):
            prefix = str(folder).strip("/") + "/" if str(folder).strip("/") else ""
            if page.rel.startswith(prefix):
                return replace(page, rel=page.rel[len(prefix) :]), str(language)
        return page, None

    def _other_content_dirs(self, page: Page, lang: str) -> list[tuple[str, str]]:
        """The same page in the other languages' content folders: (language, path)."""
        dirs = self.options.get("content_dirs")
        if not isinstance(dirs, dict):
            return []
        # ``page`` is as Hugo sees it: its rel is below its language's folder.
        mine = str(dirs.get(lang, "")).strip("/")
        root = page.path[: len(page.path) - len(page.rel)]
        root = root[: len(root) - len(mine) - 1] if mine else root
        found = []
        for language, folder in dirs.items():
            other = os.path.join(root, str(folder).strip("/"), page.rel)
            if language != lang and os.path.isfile(other):
                found.append((str(language), other))
        return found

    def _translations(
        self,
        page: Page,
        stem: str,
        lang: str,
        folders: list[str],
        filename: str,
        section: str,
        content: str,
    ) -> list[tuple[str, str]]:
        """Its translations beside it (``post.fr.md``, or ``post.md`` for the default
        language) or in the other languages' content folders, linked as Hugo links them:
        under ``/LANG/`` (the default at the root)."""
        default_language = str(self.options.get("default_language", "en"))
        found: list[tuple[str, str]] = []
        others = translation_files(page.path, stem, lang, default_language)
        seen = {lang}
        for language, path in others + self._other_content_dirs(page, lang):
            if os.path.normpath(path) == os.path.normpath(page.path) or language in seen:
                continue  # in a language's own folder, post.md is not the default's
            seen.add(language)
            try:
                text = site_text(path, content, self.config)
                meta = lower_keys(split(text, path).meta)
            except FeedtoolError:
                continue
            date = as_date(meta.get("date") or meta.get("publishdate"), self.config.tz)
            if date is None or _truthy(meta.get("draft")):
                continue
            link = self._link(
                meta, section, folders, filename, meta.get("title"), meta.get("slug"), date
            )
            found.append((language, self._in_language(link, language)))
        return found

    def _link(
        self,
        meta: dict[str, Any],
        section: str,
        folders: list[str],
        filename: str,
        title: Any,
        slug: Any,
        published: Any,
    ) -> str:
        base = self.config.base_url
        if meta.get("url"):
            url = str(meta["url"])
            return url if "://" in url else join_url(base, _pretty(url))
        permalinks = self.options.get("permalinks") or {}
        pattern = permalinks.get(section) if isinstance(permalinks, dict) else None
        if pattern is None:
            # The path of the file in the content folder; a slug replaces its last part.
            parts = [*folders, urlize(str(slug)) if slug else filename]
            path = "/".join(urlize(p) for p in parts if p)
            return join_url(base, path + "/")
        values = {
            "year": f"{published.year:04d}",
            "month": f"{published.month:02d}",
            "monthname": published.strftime("%B").lower(),
            "day": f"{published.day:02d}",
            "weekday": str(published.isoweekday() % 7),
            "yearday": str(published.timetuple().tm_yday),
            "section": section,
            "sections": "/".join(folders),
            "title": urlize(str(title or "")),
            "slug": urlize(str(slug)) if slug else urlize(str(title or filename)),
            "slugorfilename": urlize(str(slug)) if slug else filename,
            "filename": filename,
            "contentbasename": filename,
        }
        path = _TOKEN.sub(lambda m: values[m[1]], str(pattern)).lower()
        return join_url(base, path)


def _pretty(url: str) -> str:
    """``url:`` as Hugo publishes it: a path without an extension is a folder
    (``post/x`` is written to ``post/x/index.html`` and linked as ``/post/x/``)."""
    path, mark, rest = url.partition("#")
    last = path.rsplit("/", 1)[-1]
    if path and not path.endswith("/") and "." not in last:
        path += "/"
    return path + mark + rest


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


DIALECT = Hugo
