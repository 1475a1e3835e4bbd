"""Making article HTML safe to show anywhere: sanitised, absolute, XML-clean.

Feed readers show item HTML out of context (another site, an e-mail, an app), so
relative links break and scripts are dangerous. nh3 (the Rust sanitiser
ammonia) parses the HTML with a real HTML5 parser; its attribute filter is where
URLs are made absolute, so there is one parse and no regular expression touches
markup.
"""

from __future__ import annotations

import html as stdlib_html
import re
from collections.abc import Iterator
from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

from feedtool.values.checks import absolute_url
from feedtool.values.fields import xml_safe
from feedtool.values.patterns import compiled_later

# Lazy imports: lxml.html is imported inside first_paragraph: only summaries need it.

# Attributes whose value is one URL. srcset (several) is handled on its own.
_URL_ATTRIBUTES = frozenset({"href", "src", "cite", "poster", "longdesc", "usemap", "action"})

_EXTRA_TAGS = {"audio", "source", "video", "track", "picture", "section", "tfoot"}
_EXTRA_ATTRIBUTES: dict[str, set[str]] = {
    # Not id (nor name): a page showing the article could find its elements taken for
    # its own (DOM clobbering: window.config becomes an article's <a id="config">).
    "*": {"title", "lang", "dir"},
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
# Elements removed together with everything inside them: their content is code,
# styling or form data, never text a reader should see.
_DROP_WITH_CONTENT = {"script", "style", "noscript", "template", "textarea", "select"}

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp", "xmpp", "irc", "ircs", "magnet"})
# data: URLs are allowed only as inline raster images: a data: link can carry a
# whole HTML page (phishing), and SVG can carry script.
_DATA_IMAGE = compiled_later(r"data:image/(?:png|gif|jpeg|webp|avif)[;,]", re.IGNORECASE)
_IMAGE_SOURCES = frozenset({("img", "src"), ("img", "srcset"), ("source", "srcset")})


def safe_url(url: str, base: str, *, data_image: bool = False) -> str | None:
    """``url`` made absolute, or None when its scheme is not one a feed may carry.

    ``data_image`` allows ``data:`` URLs of raster images (for ``img`` sources).
    """
    try:
        result = absolute_url(url, base)
        scheme = urlsplit(result).scheme.lower()
    except ValueError:  # e.g. an unclosed IPv6 host "http://[::1"
        return None
    if scheme == "data":
        return result if data_image and _DATA_IMAGE().match(result) else None
    return result if scheme in SAFE_SCHEMES else None


def srcset_candidates(srcset: str) -> Iterator[tuple[str, str]]:
    """(URL, descriptors) pairs of a srcset, split the way the HTML standard does.

    A URL runs to the next whitespace (so it may contain commas); trailing commas
    end it; the descriptors run to the next comma outside parentheses.
    """
    position, length = 0, len(srcset)
    while True:
        while position < length and (srcset[position].isspace() or srcset[position] == ","):
            position += 1
        if position >= length:
            return
        start = position
        while position < length and not srcset[position].isspace():
            position += 1
        url = srcset[start:position]
        if url.endswith(","):
            yield url.rstrip(","), ""
            continue
        start, depth = position, 0
        while position < length and (srcset[position] != "," or depth):
            depth += {"(": 1, ")": -1}.get(srcset[position], 0)
            position += 1
        yield url, " ".join(srcset[start:position].split())


def absolute_srcset(srcset: str, base: str) -> str:
    """Each candidate of a srcset made absolute, its width or density kept.

    Candidates whose URL is unsafe (``javascript:`` and the like) are left out:
    the sanitiser does not check srcset, so this is the only guard.
    """
    kept = []
    for url, descriptors in srcset_candidates(srcset):
        absolute = safe_url(url, base, data_image=True)
        if absolute:
            kept.append(f"{absolute} {descriptors}".rstrip())
    return ", ".join(kept)


@lru_cache(maxsize=1)
def _attributes() -> dict[str, set[str]]:
    merged = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag, attrs in _EXTRA_ATTRIBUTES.items():
        merged.setdefault(tag, set()).update(attrs)
    return merged


def clean_html(fragment: str, base_url: str) -> str:
    """Sanitise ``fragment`` and make every URL in it absolute against ``base_url``.

    nh3 removes elements that can run code or load other documents (script,
    style, iframe, object, embed, form and its fields), every event-handler and
    style attribute, and comments. URLs are resolved here; an attribute whose URL
    has an unsafe scheme is dropped, so the element and its text stay.
    """
    token = _BASE_URL.set(base_url)
    try:
        cleaner = _cleaner()
        cleaned: str = cleaner.clean(xml_safe(fragment))
        # nh3 writes the tree html5ever built, and a few trees are written as markup that
        # parses into another one: a <p> the parser opened inside an <object> that is then
        # removed comes out as <p><p></p></p>. Readers (and index.html) parse what is
        # written, so clean again until it is what it parses to: a second pass, rarely more.
        for _ in range(_MAX_PASSES):
            again: str = cleaner.clean(cleaned)
            if again == cleaned:
                break
            cleaned = again
    finally:
        _BASE_URL.reset(token)
    return cleaned


_MAX_PASSES = 3


def is_clean(fragment: str, base_url: str) -> bool:
    """Whether ``fragment`` is exactly what clean_html makes of it: HTML clean_html made
    is a fixpoint, so one pass tells (half the cost of cleaning it again)."""
    if xml_safe(fragment) != fragment:
        return False
    token = _BASE_URL.set(base_url)
    try:
        again: str = _cleaner().clean(fragment)
    finally:
        _BASE_URL.reset(token)
    return again == fragment


# The base URL of the fragment being cleaned, for _rewrite: the cleaner is made once
# (making one per body cost 80 of its 95 µs), so the URL cannot be bound into it.
_BASE_URL: ContextVar[str] = ContextVar("base_url")


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(nh3.ALLOWED_TAGS) | _EXTRA_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=_attributes(),
        attribute_filter=_rewrite,
        url_schemes=set(SAFE_SCHEMES) | {"data"},
        link_rel=None,  # no rel="noopener noreferrer": feeds have no window to protect
        strip_comments=True,
    )


def _rewrite(tag: str, attribute: str, value: str) -> str | None:
    # nh3 checks URL schemes before calling this, but what this returns is not
    # checked again, so each rewritten URL is checked here.
    base_url = _BASE_URL.get()
    if attribute in _URL_ATTRIBUTES:
        return safe_url(value, base_url, data_image=(tag, attribute) in _IMAGE_SOURCES)
    if attribute == "srcset":
        return absolute_srcset(value, base_url) or None
    return value


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# Where a block starts or ends, or a line breaks, words part: "</p><p>", "<img><figcaption>".
_BLOCK_EDGE = re.compile(
    r"</?(?:p|div|li|h[1-6]|blockquote|pre|tr|td|th|figure|figcaption|ul|ol|dl|dt|dd|table"
    r"|thead|tbody|hr)\b[^>]*>|<br\s*/?>"
)
# nh3 writes every attribute value in double quotes, escaped.
_IMAGE_ALT = re.compile(r'<img\b[^>]*?\salt="([^"]*)"[^>]*>')


def plain_text(fragment: str) -> str:
    """The visible text of sanitised HTML, on one line; an image stands for its alt text,
    as it does for a reader who cannot see it ("a photo of ..." rather than nothing)."""
    block_breaks = _BLOCK_EDGE.sub(" ", _IMAGE_ALT.sub(r"\1", fragment))
    # The input is nh3's output, so tags are well-formed and a simple strip is exact.
    return _SPACE.sub(" ", stdlib_html.unescape(_TAG.sub("", block_breaks))).strip()


def summarize(fragment: str, limit: int = 300) -> str:
    """The start of the text, cut at a word boundary near ``limit`` characters."""
    text = plain_text(fragment)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"


def first_paragraph(fragment: str) -> str:
    """The first top-level ``<p>`` of sanitised HTML (else its first element with text),
    as sanitised HTML: an article's excerpt when it has no summary of its own."""
    from lxml import html as lxml_html  # only summary-only articles need it

    if not fragment.strip():
        return ""
    elements = [e for e in lxml_html.fragments_fromstring(fragment) if not isinstance(e, str)]
    chosen = next((e for e in elements if e.tag == "p"), None)
    if chosen is None:
        chosen = next((e for e in elements if str(e.xpath("string()")).strip()), None)
    if chosen is None:
        return ""
    chosen.tail = None
    excerpt: str = lxml_html.tostring(chosen, encoding="unicode")
    return excerpt


def text_as_html(text: str) -> str:
    """Plain text as an HTML fragment that shows exactly that text."""
    return stdlib_html.escape(text, quote=False)


# How deep elements may nest in a body. The HTML parser looks through every open element
# for some start tags (a <div> closes an open <p> first), so deeper nesting costs time
# with the square of its depth: an article's 4 MiB of nested tags would stall the build.
# No article needs a tenth of this.
MAX_DEPTH = 512

_START_OR_END = compiled_later(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
# Elements that never hold others open: void ones, and those whose end tag may be left
# out (a new <li> or <p> closes the last one), which a body can repeat without nesting.
_NOT_NESTING = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen "
    "p li dt dd option optgroup tr td th thead tbody tfoot colgroup caption rb rt rp rtc "
    "html head body".split()
)


def too_deep(fragment: str, limit: int = MAX_DEPTH) -> bool:
    """Whether ``fragment`` opens more than ``limit`` elements inside each other.

    One pass over its tags, before the parser sees them: an end tag closes its element
    and those opened inside it, as the parser does, and one with nothing open of its
    name is ignored (as the parser ignores it), so stray end tags cannot hide depth.
    Tags in comments count too: a body near the limit that way is a strange one anyway.
    """
    if fragment.count("<") <= limit:
        return False  # the usual case, at C speed: too few tags to be that deep
    stack: list[str] = []
    open_count: dict[str, int] = {}
    for end, tag in _START_OR_END().findall(fragment):
        name = tag.lower()
        if name in _NOT_NESTING:
            continue
        if not end:
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
            if len(stack) > limit:
                return True
        elif open_count.get(name):
            while True:  # each element is closed once: linear over the whole fragment
                closed = stack.pop()
                open_count[closed] -= 1
                if closed == name:
                    break
    return False
