"""Jekyll: posts in _posts/ named YYYY-MM-DD-slug; jekyll-feed's id is the post's ``id``.

Checked against Jekyll 4.3 with jekyll-feed (tests/data/sites/jekyll/expected.json):
the entry id is ``site.url + baseurl + dirname(url) + "/" + slug`` (not the link:
``/2024/01/05/hello.html`` has the id ``/2024/01/05/hello``); a front matter time
without an offset is UTC (YAML's rule) unless quoted; a day alone, a quoted time and a
date from the file name are in the site's time zone; a post without a title is titled from its slug.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from feedtool.read.dialects import Dialect, Page, Reading
from feedtool.read.dialects._common import (
    as_date,
    file_date,
    key_line,
    site_image,
    words,
)
from feedtool.read.dialects.smartypants import smartify

STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_TOKEN = re.compile(
    r":(year|short_year|month|i_month|short_month|long_month|day|i_day|y_day|"
    r"hour|minute|second|title|slug|categories|output_ext|name|path)"
)
_QUOTED_DATE = re.compile(r"^date:\s*[\"']", re.M)
_NAIVE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


class Jekyll(Dialect):
    hidden = (".", "_")  # _posts is read because include names it

    def read(self, page: Page) -> Reading | None:
        meta = page.meta
        dated = file_date(page.stem)
        if dated is None:
            return None  # Jekyll skips a post whose name has no date
        day, name_slug = dated
        if meta.get("published") is False:
            return None
        tz = self.config.tz
        raw_date = meta.get("date")
        quoted = _QUOTED_DATE.search(page.text, 0, page.body_start) is not None
        if isinstance(raw_date, str) and _NAIVE_TIME.match(raw_date.strip()) and not quoted:
            # A YAML timestamp without an offset is UTC; a quoted one is text, which
            # Jekyll reads in the site's time zone.
            raw_date = raw_date.strip().replace(" ", "T") + "+00:00"
        date = raw_date if as_date(raw_date, tz) is not None else day
        published = as_date(date, tz)
        assert published is not None
        local = published.astimezone(tz)
        slug = str(meta.get("slug") or name_slug)
        categories = words(meta.get("categories")) or words(meta.get("category"))
        folders = [f for f in page.folders if f != "_posts"]
        categories = [*folders, *categories]
        url = self._url(meta, local, slug, categories, page)
        base = self.config.base_url.rstrip("/")
        link = base + url
        ident = base + posixpath.join(
            posixpath.dirname(url.rstrip("/")) if url.endswith("/") else posixpath.dirname(url),
            slug,
        )
        title = meta.get("title") or " ".join(w.capitalize() for w in name_slug.split("-"))
        title = smartify(str(title))  # jekyll-feed's title filter
        out: dict[str, Any] = {
            "title": title,
            "date": date,
            "slug": slug,
            "link": link,
            "id": ident,
        }
        if meta.get("last_modified_at"):
            out["updated"] = meta["last_modified_at"]
        if categories:
            out["categories"] = categories
        tags = words(meta.get("tags")) or words(meta.get("tag"))
        if tags:
            out["tags"] = tags
        for key in ("excerpt", "description"):
            if isinstance(meta.get(key), str):
                out["summary"] = meta[key]
                break
        if meta.get("draft") is True:
            out["draft"] = True  # jekyll-feed leaves out post.draft
        if isinstance(meta.get("lang"), str):
            out["lang"] = meta["lang"]
        author = meta.get("author")
        if isinstance(author, list) and author:
            author = author[0]  # jekyll-feed names the first of post.authors
        if author is None and isinstance(meta.get("authors"), list) and meta["authors"]:
            author = meta["authors"][0]
        if isinstance(author, str) and author.strip():
            out["author"] = author
        image = meta.get("image")
        if isinstance(image, dict):
            image = image.get("path")
        if isinstance(image, str) and image.strip():
            line = key_line(page.text, page.body_start, "image")
            out["image"] = site_image(image, self.config.base_url, page.path, line)
        html = page.rel.endswith((".html", ".htm"))
        return Reading(
            meta=out,
            body_format="liquid-html" if html else "liquid-markdown",
            warnings=page.template_notes("liquid"),
        )

    def _url(
        self, meta: dict[str, Any], local: Any, slug: str, categories: list[str], page: Page
    ) -> str:
        pattern = meta.get("permalink") or self.options.get("permalink") or "date"
        pattern = STYLES.get(str(pattern), str(pattern))
        values = {
            "year": f"{local.year:04d}",
            "short_year": f"{local.year % 100:02d}",
            "month": f"{local.month:02d}",
            "i_month": str(local.month),
            "short_month": local.strftime("%b"),
            "long_month": local.strftime("%B"),
            "day": f"{local.day:02d}",
            "i_day": str(local.day),
            "y_day": f"{local.timetuple().tm_yday:03d}",
            "hour": f"{local.hour:02d}",
            "minute": f"{local.minute:02d}",
            "second": f"{local.second:02d}",
            "title": slug,
            "slug": slug,
            "name": slug,
            "categories": "/".join(c.lower().replace(" ", "-") for c in categories),
            "output_ext": ".html",
            "path": page.rel.rsplit(".", 1)[0],
        }
        url = _TOKEN.sub(lambda m: values[m[1]], pattern)
        url = re.sub("/+", "/", "/" + url)
        return url


DIALECT = Jekyll
