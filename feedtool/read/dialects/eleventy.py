"""Eleventy: posts are the feed collection's members (``tags``, from front matter or
directory data files); the feed plugin's id is the post's absolute URL.

Checked against Eleventy 3.1 with @11ty/eleventy-plugin-rss 3.0 (tests/data/sites/
eleventy/expected.json): a file-name date stays in the URL, dates without an offset
are UTC, ``draft: true`` is left out as the official base blog does.
JavaScript (directory data files, ``---js`` front matter) is never run: plain
``const name = literal;`` lines and object literals are read, anything else is not.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from typing import Any

from feedtool import safefile
from feedtool.config import SiteConfig
from feedtool.read.dialects import Dialect, Page, Reading
from feedtool.read.dialects._common import as_date, content_dir, file_date, skip, words
from feedtool.read.frontmatter import split
from feedtool.textfile import read_text
from feedtool.values.checks import slugify

# The value is everything after "=", trimmed by js_literal: a pattern that ended in
# "(.+?);?\s*$" tried every end of a long line again (seconds for 40 KB of spaces).
_CONST = re.compile(r"\s*(?:const|let|var)\s+(\w+)\s*=(.*)")


def js_literal(text: str) -> Any:
    """A JavaScript literal (string, number, boolean, array, object of those), or raise
    ValueError: read as JSON once keys are quoted, single quotes made double, and
    trailing commas dropped."""
    source = text.strip().rstrip(";").strip()
    source = re.sub(r"//[^\n]*", "", source)
    source = re.sub(r"'((?:[^'\\]|\\.)*)'", lambda m: json.dumps(m[1]), source)
    source = re.sub(r"`([^`$]*)`", lambda m: json.dumps(m[1]), source)
    source = re.sub(r"([{,]\s*)([A-Za-z_$][\w$]*)\s*:", r'\1"\2":', source)
    source = re.sub(r",(\s*[}\]])", r"\1", source)
    try:
        return json.loads(source)
    except json.JSONDecodeError:
        raise ValueError("not a plain literal") from None


def js_module_value(text: str) -> Any:
    """``export default {...}`` / ``module.exports = {...}``: the literal, or raise ValueError."""
    match = re.search(r"(?:export\s+default|module\.exports\s*=)\s*", text)
    if match is None:
        raise ValueError("no export")
    return js_literal(text[match.end() :].strip())


def folder_data(folder: str, content: str, config: SiteConfig) -> dict[str, Any]:
    """A directory data file's values (``blog/blog.11tydata.json|js`` or ``blog/blog.json``),
    read as an article is (see site_text): a link out of the content folder is an error."""
    names = _data_files(folder)
    # Read once per folder and version of its data files: the same relative folder in
    # another site, or a data file edited while serve rebuilds, is read again.
    key = (os.path.abspath(folder), tuple(_stamp(name) for name in names))
    return _folder_data(folder, content, config.content_roots, config.max_article_bytes, key)


def _data_files(folder: str) -> list[str]:
    name = os.path.basename(folder)
    suffixes = (".11tydata.json", ".11tydata.js", ".11tydata.mjs", ".json")
    return [os.path.join(folder, name + suffix) for suffix in suffixes]


def _stamp(path: str) -> tuple[int, int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns)


@lru_cache(maxsize=256)
def _folder_data(
    folder: str,
    content: str,
    roots: tuple[str, ...],
    max_bytes: int | None,
    key: tuple[object, ...],  # what the answer depends on besides the arguments above
) -> dict[str, Any]:
    for path in _data_files(folder):
        if not os.path.isfile(path):
            continue
        safefile.inside(path, [content, *roots])
        text = read_text(path, max_bytes)
        try:
            value = json.loads(text) if path.endswith(".json") else js_module_value(text)
        except (ValueError, json.JSONDecodeError):
            continue
        if isinstance(value, dict):
            return value
    return {}


class Eleventy(Dialect):
    suffixes = (".md", ".html", ".njk", ".liquid")
    hidden = (".", "_")

    def parse(self, text: str, path: str) -> tuple[dict[str, Any], int]:
        if text.startswith(("---js", "---javascript")):
            end = text.find("\n---", 4)
            if end < 0:
                raise skip(path, "JavaScript front matter is never closed", 1)
            meta: dict[str, Any] = {}
            for number, line in enumerate(text[text.find("\n") + 1 : end].splitlines(), 2):
                if not line.strip() or line.strip().startswith("//"):
                    continue
                match = _CONST.fullmatch(line)
                try:
                    if match is None or not match[2].strip():
                        raise ValueError
                    meta[match[1]] = js_literal(match[2])
                except ValueError:
                    raise skip(
                        path,
                        "JavaScript front matter is read only as plain `const name = value;` "
                        "lines, and feedtool never runs code",
                        number,
                    ) from None
            body = text.find("\n", end + 1)
            return meta, len(text) if body < 0 else body + 1
        parts = split(text, path)
        return parts.meta, parts.body_start

    def read(self, page: Page) -> Reading | None:
        data: dict[str, Any] = {}
        tags: list[str] = []
        root = content_dir(page.path, page.rel)
        folder = ""
        for part in page.folders:
            folder = f"{folder}/{part}" if folder else part
            values = folder_data(os.path.join(root, folder), root, self.config)
            tags += words(values.get("tags"))
            data.update(values)
        meta = {**data, **page.meta}
        tags += words(page.meta.get("tags"))
        collection = str(self.options.get("collection", "posts"))
        if collection not in tags or meta.get("eleventyExcludeFromCollections") is True:
            return None
        if meta.get("permalink") is False or meta.get("draft") is True:
            return None
        dated = file_date(page.stem)
        date = meta.get("date")
        tz = self.config.tz
        if isinstance(date, str) and date in (
            "Last Modified",
            "Created",
            "git Last Modified",
            "git Created",
        ):
            raise skip(page.path, f'date: "{date}" depends on the file system or git history')
        if as_date(date, tz) is None:
            if dated is None:
                raise skip(
                    page.path,
                    "date: none in front matter or the file name; Eleventy "
                    "would use the file's creation time, which a checkout does not keep",
                )
            date = dated[0]
        url = meta.get("permalink")
        if isinstance(url, str) and ("{{" in url or "{%" in url):
            url = _permalink_template(url, page, meta, dated)
        if isinstance(url, str) and url:
            path = url if url.startswith("/") else "/" + url
            if path.endswith("/index.html"):
                path = path[: -len("index.html")]
        else:
            stem_path = page.rel.rsplit(".", 1)[0]
            parts = stem_path.split("/")
            # index.md, and a file named like its folder (blog/trip/trip.md), is the
            # folder's page: Eleventy writes it at /blog/trip/.
            if parts[-1] == "index" or (len(parts) > 1 and parts[-1] == parts[-2]):
                stem_path = "/".join(parts[:-1])
            path = "/" + stem_path + "/" if stem_path else "/"
        link = self.config.base_url + path.lstrip("/")
        out: dict[str, Any] = {
            "title": meta.get("title") or page.stem,  # the plugin: empty; an item needs one
            "date": date,
            "slug": (dated[1] if dated else page.stem),
            "link": link,
            "id": link,
        }
        other = [t for t in tags if t not in (collection, "all")]
        if other:
            out["tags"] = list(dict.fromkeys(other))
        if isinstance(meta.get("summary") or meta.get("description"), str):
            out["summary"] = meta.get("summary") or meta.get("description")
        fmt = (
            "liquid-html" if page.rel.endswith((".html", ".njk", ".liquid")) else "liquid-markdown"
        )
        return Reading(meta=out, body_format=fmt, warnings=page.template_notes("liquid"))


_TEMPLATE_VALUE = re.compile(r"\{\{-?\s*([\w.]+)\s*(?:\|\s*(\w+)\s*)?-?\}\}")


def _permalink_template(
    url: str, page: Page, meta: dict[str, Any], dated: tuple[str, str] | None
) -> str:
    """The common ``{{ page.fileSlug }}``-style permalinks; others leave the file out."""

    stem_path = "/" + page.rel.rsplit(".", 1)[0]
    values = {
        "page.fileSlug": dated[1] if dated else page.stem,
        "page.filePathStem": stem_path,
        "title": str(meta.get("title") or ""),
    }

    def fill(match: re.Match[str]) -> str:
        if match[1] not in values:
            raise skip(
                page.path,
                f"permalink: {url!r} uses {match[1]!r}, which feedtool "
                "cannot fill in without running Eleventy",
            )
        value = values[match[1]]
        return slugify(value) if match[2] in ("slugify", "slug") else value

    filled = _TEMPLATE_VALUE.sub(fill, url)
    if "{" in filled:
        raise skip(page.path, f"permalink: {url!r} is a template feedtool cannot fill in")
    return filled


DIALECT = Eleventy
