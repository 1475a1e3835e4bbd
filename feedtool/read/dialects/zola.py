"""Zola: TOML front matter, ``_index.md`` sections, bundles, file-name dates; the Atom id
is the page's permalink.

Zola does not install here (not in Debian, PyPI or npm), so these rules come from its
documentation and its built-in atom.xml template, not from a run.
"""

from __future__ import annotations

from typing import Any

from feedtool.errors import FeedtoolError
from feedtool.read.dialects import Dialect, Page, Reading
from feedtool.read.dialects._common import (
    as_date,
    file_date,
    lower_keys,
    translation_files,
    words,
)
from feedtool.read.frontmatter import split
from feedtool.read.textfile import read_text


def slugify(text: str) -> str:
    from feedtool.site.scaffold import slugify as plain

    return plain(text)


class Zola(Dialect):
    suffixes = (".md",)

    def read(self, page: Page) -> Reading | None:
        name = page.rel.rsplit("/", 1)[-1]
        if name.startswith("_index."):
            return None
        meta = dict(page.meta)
        folders = page.folders
        stem = page.stem
        if stem == "index" and folders:
            folders, stem = folders[:-1], folders[-1]
        if "." in stem:  # post.fr.md: a translation, not in the default language's feed
            return None
        dated = file_date(stem)
        tz = self.config.tz
        date = meta.get("date")
        if as_date(date, tz) is None and dated:
            date = dated[0]
        if as_date(date, tz) is None:
            return None  # Zola's feeds hold only pages with a date
        # Zola's slugify.paths: "on" (the default) slugifies, "safe" and "off" only strip
        # what cannot be in a path.
        raw_slug = str(meta.get("slug") or (dated[1] if dated else stem))
        if str(self.options.get("slugify_paths", "on")) == "on":
            slug = slugify(raw_slug)
        else:
            slug = raw_slug.replace("/", "").replace("#", "")
        if meta.get("path"):
            path = str(meta["path"]).strip("/") + "/"
        else:
            path = "/".join([*folders, slug]) + "/"
        path = path.lstrip("/")
        link = self.config.base_url + path
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
        translations = self._translations(page, folders, path)
        if translations:
            out["lang"] = str(self.options.get("default_language", "en"))
        return Reading(meta=out, body_format="markdown", translations=translations)

    def _translations(self, page: Page, folders: list[str], path: str) -> list[tuple[str, str]]:
        """``post.fr.md`` beside ``post.md``: at ``/fr/`` + the same path (its own ``slug``
        or ``path`` if it sets one), as Zola publishes it."""
        default_language = str(self.options.get("default_language", "en"))
        found = []
        for language, other in translation_files(page.path, page.stem, default_language):
            try:
                meta = split(read_text(other), other).meta
            except FeedtoolError:
                continue
            if meta.get("draft") is True:
                continue
            if meta.get("path"):
                where = str(meta["path"]).strip("/") + "/"
            elif meta.get("slug"):
                where = "/".join([*folders, slugify(str(meta["slug"]))]) + "/"
            else:
                where = path
            found.append((language, f"{self.config.base_url}{language}/{where}"))
        return found


DIALECT = Zola
