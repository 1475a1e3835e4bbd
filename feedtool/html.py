"""Making article HTML safe to show anywhere: sanitised, absolute, XML-clean.

Feed readers show item HTML out of context (another site, an e-mail, an app), so
relative links break and scripts are dangerous. nh3 (the Rust sanitiser
ammonia) parses the HTML properly; its attribute filter is where URLs are made
absolute, so there is one parse and no regular expression touches markup.
"""

from __future__ import annotations

import html as stdlib_html
import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import nh3

# XML 1.0 allows only these characters (section 2.2); everything else, such as
# control characters, lone surrogates and U+FFFE/U+FFFF, is dropped. So are DEL
# and the C1 controls (U+007F-U+009F): XML discourages them, they are never
# meant as text (they are what cp1252 text read as Latin-1 looks like), and
# readers turn them into other characters (feedparser maps U+0091 to a quote).
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_URL_ATTRIBUTES = frozenset({"href", "src", "cite", "poster", "longdesc", "usemap", "action"})

_EXTRA_TAGS = {"audio", "source", "video", "track", "picture", "section", "tfoot"}
_EXTRA_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "lang", "dir", "id"},
    "a": {"href", "hreflang", "title", "rel"},
    "img": {"srcset", "sizes", "loading", "decoding", "width", "height", "alt", "src", "title"},
    "source": {"src", "srcset", "sizes", "type", "media"},
    "video": {"src", "poster", "controls", "width", "height", "loop", "muted", "playsinline"},
    "audio": {"src", "controls", "loop", "muted"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "code": {"class"},  # language-xxx, for syntax highlighting in readers that do it
    "pre": {"class"},
    "time": {"datetime"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
}
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_IMAGE_DATA = re.compile(r"data:image/(?!svg)[a-z0-9.+-]+[;,]", re.IGNORECASE)


def _url_text(url: str) -> str:
    # As browsers read a URL (WHATWG URL standard): tabs and newlines anywhere are
    # ignored, and so are control characters and spaces at the start.
    return re.sub("[\t\n\r]", "", url).lstrip(_C0_AND_SPACE)


def _is_data_url(url: str) -> bool:
    return _url_text(url)[:5].lower() == "data:"


_URL_SCHEMES = {"http", "https", "mailto", "tel", "ftp", "data", "xmpp", "irc", "ircs", "magnet"}


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry, so any text can go into a feed."""
    return _XML_ILLEGAL.sub("", text)


def absolute_url(url: str, base: str) -> str:
    """``url`` resolved against ``base``; absolute URLs and other schemes stay as they are.

    An empty URL means the document itself, as in a browser: ``base``.
    """
    return urljoin(base, url.strip())


def absolute_srcset(srcset: str, base: str) -> str:
    """Each candidate of a srcset made absolute, its width or density kept."""
    candidates = []
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts:
            continue
        parts[0] = absolute_url(parts[0], base)
        candidates.append(" ".join(parts))
    return ", ".join(candidates)


@lru_cache(maxsize=1)
def _attributes() -> dict[str, set[str]]:
    merged = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag, attrs in _EXTRA_ATTRIBUTES.items():
        merged.setdefault(tag, set()).update(attrs)
    return merged


def clean_html(fragment: str, base_url: str) -> str:
    """Sanitise ``fragment`` and make every URL in it absolute against ``base_url``."""

    def rewrite(tag: str, attribute: str, value: str) -> str | None:
        # data: URLs only as pictures: data:text/html in a link or a video is a way
        # to run a page of the author's choosing in the reader.
        if attribute in _URL_ATTRIBUTES and _is_data_url(value):
            if not (attribute in ("src", "poster") and _IMAGE_DATA.match(_url_text(value))):
                return None
        if attribute == "srcset" and any(_is_data_url(c) for c in value.split(",")):
            return None
        try:
            if attribute in _URL_ATTRIBUTES:
                url = absolute_url(value, base_url)
                # nh3 checks schemes only on some attributes (not cite, longdesc, ...).
                return url if urlsplit(_url_text(url)).scheme.lower() in _URL_SCHEMES else None
            if attribute == "srcset":
                return absolute_srcset(value, base_url)
        except ValueError:
            # urljoin refuses some broken URLs ("http://[::1"); such a link cannot work anyway.
            # (An exception raised here would be swallowed and printed by nh3.)
            return None
        if attribute == "rel" and tag == "a":
            # Only link relations that describe the link; no "noopener" noise needed in feeds.
            return value
        return value

    cleaned: str = nh3.clean(
        xml_safe(fragment),
        tags=set(nh3.ALLOWED_TAGS) | _EXTRA_TAGS,
        clean_content_tags={"script", "style", "noscript", "template"},
        attributes=_attributes(),
        attribute_filter=rewrite,
        url_schemes=_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return cleaned


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def plain_text(fragment: str) -> str:
    """The visible text of sanitised HTML, on one line."""
    block_breaks = re.sub(
        r"</(p|div|li|h[1-6]|blockquote|pre|tr|figcaption)>|<br\s*/?>", " ", fragment
    )
    # The input is nh3's output, so tags are well-formed and a simple strip is exact.
    return _SPACE.sub(" ", stdlib_html.unescape(_TAG.sub("", block_breaks))).strip()


def summarize(fragment: str, limit: int = 300) -> str:
    """The start of the text, cut at a word boundary near ``limit`` characters."""
    text = plain_text(fragment)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"
