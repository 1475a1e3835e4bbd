"""Zola: TOML front matter, ``_index.md`` sections, bundles, file-name dates; the Atom id
is the page's permalink.

Zola does not install here (not in Debian, PyPI or npm), so these rules come from its
documentation and its built-in atom.xml template, not from a run.
"""

from __future__ import annotations

from typing import Any

from feedtool.errors import FeedtoolError
from feedtool.model import Article
from feedtool.read.dialects import Dialect, Page, Reading
from feedtool.read.dialects._common import (
    as_date,
    content_dir,
    file_date,
    lower_keys,
    site_text,
    translation_files,
    words,
)
from feedtool.read.frontmatter import split
from feedtool.values.checks import slugify as plain


def slugify(text: str) -> str:

    return plain(text)


class Zola(Dialect):
    suffixes = (".md",)

    def read(self, page: Page) -> Reading | None:
        name = page.rel.rsplit("/", 1)[-1]
        if name.startswith("_index."):
            return None
        meta = dict(page.meta)
        folders = page.folders
        default_language = str(self.options.get("default_language", "en"))
        file_stem, _, lang = page.stem.partition(".")  # post.fr.md: French
        lang = lang or default_language
        stem = file_stem
        if stem == "index" and folders:
            folders, stem = folders[:-1], folders[-1]
        dated = file_date(stem)
        tz = self.config.tz
        date = meta.get("date")
        if as_date(date, tz) is None and dated:
            date = dated[0]
        if as_date(date, tz) is None:
            return None  # Zola's feeds hold only pages with a date
        from_file = self._slug(dated[1] if dated else stem)
        slug = self._slug(str(meta["slug"])) if meta.get("slug") else from_file
        if meta.get("path"):
            path = str(meta["path"]).strip("/") + "/"
        else:
            path = "/".join([*folders, slug]) + "/"
        path = path.lstrip("/")
        link = self._in_language(path, lang)
        out: dict[str, Any] = {
            "title": meta.get("title") or slug,  # Zola's feed: empty; an item needs one
            "date": date,
            "slug": slug,
            "link": link,
            "id": link,
        }
        if meta.get("updated"):
            out["updated"] = meta["updated"]
        if meta.get("description"):
            out["summary"] = meta["description"]
        taxonomies = lower_keys(meta.get("taxonomies") or {})
        for key in ("tags", "categories"):
            if taxonomies.get(key):
                out[key] = words(taxonomies[key])
        if meta.get("draft") is True:
            out["draft"] = True
        authors = meta.get("authors")
        if isinstance(authors, list) and authors:
            out["authors"] = [str(a) for a in authors]
        out["lang"] = lang  # every page: the main feed keeps the default language's
        file_path = "/".join([*folders, from_file]) + "/"
        translations = self._translations(page, file_stem, lang, folders, file_path)
        return Reading(meta=out, body_format="markdown", translations=translations)

    def _slug(self, text: str) -> str:
        """Zola's slugify.paths: "on" (the default) slugifies; "safe" and "off" only strip
        what cannot be in a path."""
        if str(self.options.get("slugify_paths", "on")) == "on":
            return slugify(text)
        return text.replace("/", "").replace("#", "")

    def _in_language(self, path: str, language: str) -> str:
        default_language = str(self.options.get("default_language", "en"))
        prefix = "" if language.lower() == default_language.lower() else language + "/"
        return f"{self.config.base_url}{prefix}{path}"

    def main_feed(self, article: Article) -> bool:
        """Zola's site feed is the default language's (each language has its own)."""
        default_language = str(self.options.get("default_language", "en"))
        return article.lang is None or article.lang.lower() == default_language.lower()

    def _translations(
        self, page: Page, stem: str, lang: str, folders: list[str], file_path: str
    ) -> list[tuple[str, str]]:
        """``post.fr.md`` beside ``post.md``: at ``/fr/`` + the path (its own ``slug``
        or ``path`` if it sets one), as Zola publishes it; the default language at the root."""
        default_language = str(self.options.get("default_language", "en"))
        found = []
        for language, other in translation_files(page.path, stem, lang, default_language):
            try:
                text = site_text(other, content_dir(page.path, page.rel), self.config)
                meta = split(text, other).meta
            except FeedtoolError:
                continue
            if meta.get("draft") is True:
                continue
            if meta.get("path"):
                where = str(meta["path"]).strip("/") + "/"
            elif meta.get("slug"):
                where = "/".join([*folders, self._slug(str(meta["slug"]))]) + "/"
            else:
                where = file_path
            found.append((language, self._in_language(where, language)))
        return found


DIALECT = Zola
