"""Pelican: header metadata (``Title:``), reST articles, slugs from titles, ARTICLE_URL;
the Atom id is ``tag:HOST,DATE:/URL`` (pelican.utils.get_tag_uri).

Checked against Pelican 4.12 (tests/data/sites/pelican/expected.json): all.atom.xml
holds every language; a translation's URL is ARTICLE_LANG_URL; a date from the file
name (FILENAME_METADATA) is midnight in TIMEZONE.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from feedtool.model import Article
from feedtool.read.dialects import Dialect, Page, Reading
from feedtool.read.dialects._common import as_date, skip, words

_HEADER = re.compile(r"^([A-Za-z][\w-]*):\s*(.*)$")
_RST_FIELD = re.compile(r"^:([\w-]+):\s*(.*)$")
_UNDERLINE = re.compile(r"^([=\-`:'\"~^_*+#<>.])\1+\s*$")
_DEFAULT_FILENAME_METADATA = r"(?P<date>\d{4}-\d{2}-\d{2}).*"


# Pelican's SLUG_REGEX_SUBSTITUTIONS defaults: "'" is deleted, "_" kept.
DEFAULT_SLUG_SUBSTITUTIONS: list[tuple[str, str]] = [
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]
# unidecode's ASCII for the characters it does not fold by decomposition alone.
_ASCII = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "--",
        "\u2026": "...",
        "\u00ab": "<<",
        "\u00bb": ">>",
        "\u0153": "oe",
        "\u0152": "OE",
        "\u00e6": "ae",
        "\u00c6": "AE",
        "\u00df": "ss",
        "\u00f8": "o",
        "\u00d8": "O",
        "\u0142": "l",
        "\u0141": "L",
        "\u00a0": " ",
    }
)


def slugify(text: str, substitutions: list[tuple[str, str]] | None = None) -> str:
    """pelican.utils.slugify: tags stripped, NFKC, made ASCII (unidecode, approximated for
    Latin scripts), the SLUG_REGEX_SUBSTITUTIONS applied ignoring case, lower case."""
    value = html.unescape(re.sub(r"<!--.*?-->|<[^>]*>", "", text))
    value = " ".join(value.split())
    value = unicodedata.normalize("NFKC", value).translate(_ASCII)
    value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    for source, target in substitutions or DEFAULT_SLUG_SUBSTITUTIONS:
        value = re.sub(
            unicodedata.normalize("NFKC", source),
            unicodedata.normalize("NFKC", target),
            value,
            flags=re.IGNORECASE,
        )
    return value.lower().strip()


class Pelican(Dialect):
    suffixes = (".md", ".markdown", ".mkd", ".mdown", ".rst", ".html", ".htm")

    def parse(self, text: str, path: str) -> tuple[dict[str, Any], int]:
        if path.endswith(".rst"):
            return _parse_rst(text)
        if path.endswith((".html", ".htm")):
            meta = {
                m[1].lower(): m[2]
                for m in re.finditer(r'<meta\s+name="([^"]+)"\s+content="([^"]*)"', text)
            }
            title = re.search(r"<title>(.*?)</title>", text, re.S)
            if title:
                meta["title"] = title[1].strip()
            body = re.search(r"<body[^>]*>", text)
            return meta, body.end() if body else 0
        return _parse_markdown_meta(text)

    def read(self, page: Page) -> Reading | None:
        meta = page.meta
        options = self.options
        status = str(meta.get("status", options.get("default_status", "published"))).lower()
        if status in ("hidden", "skip"):
            return None
        tz = self.config.tz
        date = meta.get("date")
        if as_date(date, tz) is None:
            pattern = options.get("filename_metadata", _DEFAULT_FILENAME_METADATA)
            match = re.match(pattern, page.stem) if pattern else None
            found = match.groupdict() if match else {}
            date = found.get("date")
            if found.get("slug") and not meta.get("slug"):
                meta = {**meta, "slug": found["slug"]}
        default_date = options.get("default_date")
        if as_date(date, tz) is None and isinstance(default_date, list) and default_date:
            date = "{:04d}-{:02d}-{:02d}".format(*(list(default_date) + [1, 1])[:3])
        published = as_date(date, tz)
        if published is None:
            # Pelican skips it too, unless DEFAULT_DATE (a date, or "fs": the file's time,
            # which a checkout does not keep).
            raise skip(page.path, "date: none in its metadata or file name, so Pelican skips it")
        title = meta.get("title")
        if not title:
            raise skip(page.path, "title: none, so Pelican skips it")
        substitutions = options.get("slug_regex_substitutions")
        slug = str(meta.get("slug") or slugify(str(title), substitutions))
        default_lang = str(options.get("default_lang", "en"))
        lang = str(meta.get("lang") or default_lang)
        translation = lang != default_lang or str(meta.get("translation", "")).lower() == "true"
        category = meta.get("category") or (
            page.folders[-1]
            if page.folders and options.get("use_folder_as_category", True)
            else options.get("default_category", "misc")
        )
        authors = words(meta.get("authors"), ",") or words(meta.get("author"), ",")
        authors = authors or words(options.get("author"), "\x00")
        key = "article_lang_url" if translation else "article_url"
        default = "{slug}-{lang}.html" if translation else "{slug}.html"
        url = str(options.get(key, default)).format(
            slug=slug,
            lang=lang,
            date=published.astimezone(tz),
            category=slugify(str(category), substitutions),
            author=slugify(authors[0], substitutions) if authors else "",
        )
        if meta.get("url"):  # its own url wins over ARTICLE_URL (save_as: only the file)
            url = str(meta["url"])
        link = self.config.base_url + url.lstrip("/")
        host = urlsplit(self.config.base_url).hostname  # feedgenerator's get_tag_uri
        local = published.astimezone(tz)
        ident = f"tag:{host},{local.date().isoformat()}:{urlsplit(link).path}"
        out: dict[str, Any] = {
            "title": title,
            "date": date,
            "slug": slug,
            "link": link,
            "id": ident,
            "categories": [str(category)],
        }
        if meta.get("modified") and as_date(meta["modified"], tz):
            out["updated"] = meta["modified"]
        if meta.get("tags"):
            out["tags"] = words(meta["tags"], ",")
        if meta.get("summary"):
            out["summary"] = re.sub(r"<[^>]+>", "", str(meta["summary"])).strip()
        if authors:
            out["authors"] = authors
        out["lang"] = lang  # every article, so feeds_per = ["languages"] finds them all
        if status == "draft":
            out["draft"] = True
        fmt = (
            "rst"
            if page.rel.endswith(".rst")
            else ("html" if page.rel.endswith((".html", ".htm")) else "markdown")
        )
        return Reading(meta=out, body_format=fmt)

    def link(self, articles: list[Article]) -> list[Article]:
        """Pelican's translations: articles of one slug in other languages."""
        by_slug: dict[str, list[Article]] = {}
        for article in articles:
            by_slug.setdefault(article.slug, []).append(article)
        result = []
        for article in articles:
            others = tuple(
                (other.lang, other.link)
                for other in by_slug[article.slug]
                if other is not article and other.lang and other.lang != article.lang
            )
            result.append(article._replace(translations=others) if others else article)
        return result


_META = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)")
_META_MORE = re.compile(r"^[ ]{4,}(.*)")
_META_BEGIN = re.compile(r"^-{3}(\s.*)?$")
_META_END = re.compile(r"^(-{3}|\.{3})(\s.*)?$")


def _parse_markdown_meta(text: str) -> tuple[dict[str, Any], int]:
    """Python-Markdown's meta extension, which Pelican's Markdown reader uses: an optional
    ``---`` line first, ``key: value`` lines (more lines indented four spaces), ended by a
    blank line, ``---`` or ``...``."""
    lines = text.splitlines(keepends=True)
    header: dict[str, list[str]] = {}
    position = 0
    key = None
    i = 0
    if lines and _META_BEGIN.match(lines[0].rstrip("\r\n")):
        position += len(lines[0])
        i = 1
    while i < len(lines):
        line = lines[i].rstrip("\r\n")
        match = _META.match(line)
        if not line.strip() or _META_END.match(line):
            position += len(lines[i])
            break
        if match:
            key = match[1].lower().strip()
            header.setdefault(key, []).append(match[2].strip())
        else:
            more = _META_MORE.match(line)
            if more is None or key is None:
                break
            header[key].append(more[1].strip())
        position += len(lines[i])
        i += 1
    return {k: " ".join(v) for k, v in header.items()}, position


def _parse_rst(text: str) -> tuple[dict[str, Any], int]:
    """The document title (underlined) and the field list after it, as Pelican reads them."""
    lines = text.splitlines(keepends=True)
    meta: dict[str, Any] = {}
    i = 0
    position = 0
    while i < len(lines) and not lines[i].strip():
        position += len(lines[i])
        i += 1
    if i < len(lines) and _UNDERLINE.match(lines[i].rstrip()) and i + 2 < len(lines):
        position += len(lines[i])  # an overline
        i += 1
    if i + 1 < len(lines) and _UNDERLINE.match(lines[i + 1].rstrip()):
        meta["title"] = lines[i].strip()
        position += len(lines[i]) + len(lines[i + 1])
        i += 2
    while i < len(lines) and not lines[i].strip():
        position += len(lines[i])
        i += 1
    while i < len(lines):
        match = _RST_FIELD.match(lines[i].rstrip())
        if not match:
            break
        meta[match[1].lower()] = match[2].strip()
        position += len(lines[i])
        i += 1
    return meta, position


DIALECT = Pelican
