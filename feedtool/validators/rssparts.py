"""RSS 2.0's element values: URLs, dates, e-mail addresses, enclosures, guids and the rest."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from lxml import etree

from feedtool.validators.common import Findings, children, line, shown, unexpected_attributes
from feedtool.values import checks

Check = Callable[[Findings, etree._Element], None]  # what each element check is

_ATTRIBUTES = {
    "rss": frozenset(("version",)),
    "category": frozenset(("domain",)),
    "cloud": frozenset(("domain", "port", "path", "registerProcedure", "protocol")),
    "enclosure": frozenset(("url", "length", "type")),
    "guid": frozenset(("isPermaLink",)),
    "source": frozenset(("url",)),
}
_NONE: frozenset[str] = frozenset()
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def trimmed(element: etree._Element) -> str:
    """The element's text without surrounding whitespace."""
    # RSS readers trim text, and feeds in the wild wrap long values over lines.
    return (element.text or "").strip()


def absolute_url(f: Findings, element: etree._Element) -> None:
    """An element holding an absolute URL (ASCII: RSS predates IRIs)."""
    problem = checks.uri(trimmed(element), absolute=True)
    if not problem and not trimmed(element).isascii():
        problem = "has characters that must be percent-encoded (RSS needs a URL, not an IRI)"
    if problem:
        f.error(line(element), "invalid-url", f'{shown(element)} "{trimmed(element)}" {problem}')


def date(f: Findings, element: etree._Element) -> None:
    """pubDate, lastBuildDate: an RFC 822 date."""
    verdict = checks.rfc822(trimmed(element))
    if verdict:
        level, problem = verdict
        report = f.error if level == "error" else f.warning
        report(line(element), "invalid-date", f'{shown(element)} "{trimmed(element)}" {problem}')


def email(f: Findings, element: etree._Element) -> None:
    """RSS wants "jo@example.org (Jo Writer)"; other forms are common and readers cope."""
    value = trimmed(element)
    if value.lower().startswith("mailto:"):
        value = unquote(value[7:])
    address, _, rest = value.partition(" ")
    if checks.email(address) is None and (not rest or (rest[0] == "(" and rest[-1] == ")")):
        return
    if "@" in value and not value.endswith(")"):
        f.warning(
            line(element),
            "email-format",
            f'{shown(element)} "{value}" should be written "jo@example.org (Jo Writer)"',
        )
        return
    f.error(
        line(element),
        "invalid-email",
        f'{shown(element)} "{value}" must be an e-mail address, like "jo@example.org (Jo Writer)"',
    )


def language(f: Findings, element: etree._Element) -> None:
    """<language>: a language tag."""
    problem = checks.language(trimmed(element))
    if problem:
        f.error(
            line(element),
            "invalid-language",
            f'{shown(element)} "{trimmed(element)}" {problem}',
        )


def integer(low: int, high: int | None) -> Check:
    """A check that the text is a whole number from ``low`` to ``high``."""

    def check(f: Findings, element: etree._Element) -> None:
        value = trimmed(element)
        if not value.isdigit() or int(value) < low or (high is not None and int(value) > high):
            limit = f"{low} to {high}" if high is not None else f"{low} or more"
            f.error(
                line(element),
                "invalid-number",
                f'{shown(element)} "{value}" must be a whole number from {limit}',
            )

    return check


def required_attributes(f: Findings, element: etree._Element, names: tuple[str, ...]) -> bool:
    """Report each missing attribute; True when none is missing."""
    missing = [name for name in names if element.get(name) is None]
    for name in missing:
        f.error(line(element), "missing-attribute", f'{shown(element)} needs a "{name}" attribute')
    return not missing


def enclosure(f: Findings, element: etree._Element) -> None:
    """<enclosure>: url (absolute http), length (bytes) and type (media type), all required."""
    required_attributes(f, element, ("url", "length", "type"))
    url, length, kind = element.get("url"), element.get("length"), element.get("type")
    at = line(element)
    if url is not None and (problem := checks.http_url(url.strip())):
        f.error(at, "invalid-url", f'<enclosure> url "{url}" {problem}')
    if length is not None and checks.non_negative_integer(length):
        hint = " (use 0 when the size is unknown)" if length.strip().startswith("-") else ""
        f.error(
            at, "invalid-number", f'<enclosure> length "{length}" must be a size in bytes{hint}'
        )
    if kind is not None and (problem := checks.media_type(kind)):
        f.error(at, "invalid-media-type", f'<enclosure> type "{kind}" {problem}')


def guid(f: Findings, element: etree._Element) -> None:
    """<guid>: unless isPermaLink="false", a web address."""
    permalink = element.get("isPermaLink", "true")
    value = trimmed(element)
    if permalink not in ("true", "false"):
        f.error(line(element), "invalid-attribute", '<guid> isPermaLink must be "true" or "false"')
    elif permalink == "true":
        problem = checks.uri(value, absolute=True)
        if not problem and value.lower().startswith(("tag:", "urn:")):
            problem = 'is not a web address; add isPermaLink="false"'
        if problem:
            f.error(
                line(element),
                "invalid-guid",
                f'<guid> "{value}" {problem} (a guid is a permalink unless isPermaLink="false")',
            )


def source(f: Findings, element: etree._Element) -> None:
    """<source>: a url attribute, absolute."""
    if required_attributes(f, element, ("url",)):
        problem = checks.uri(element.get("url", "").strip(), absolute=True)
        if problem:
            f.error(line(element), "invalid-url", f'<source> url "{element.get("url")}" {problem}')


def cloud(f: Findings, element: etree._Element) -> None:
    """<cloud>: all five attributes, and a real port."""
    if required_attributes(f, element, ("domain", "port", "path", "registerProcedure", "protocol")):
        port = element.get("port", "")
        if not port.isdigit() or int(port) == 0:
            f.error(line(element), "invalid-number", f'<cloud> port "{port}" is not a port number')


def form_name(f: Findings, element: etree._Element) -> None:
    """<textInput>'s <name>: a form field name."""
    if not trimmed(element) or not (trimmed(element)[0].isalpha()) or " " in trimmed(element):
        f.error(
            line(element),
            "invalid-name",
            f'<name> "{trimmed(element)}" is not a form field name',
        )


def skip(child_name: str, allowed: tuple[str, ...], most: int) -> Check:
    """A check for skipHours/skipDays: known values, each once, not too many."""

    def check(f: Findings, element: etree._Element) -> None:
        seen: set[str] = set()
        for child in children(element):
            if child.tag != child_name:
                if not child.tag.startswith("{"):
                    undefined(f, child, element)
                continue
            value = trimmed(child)
            if child_name == "hour" and value == "24":  # RSS 0.91 counted 1-24
                f.warning(line(child), "invalid-value", '<hour> "24" is obsolete; midnight is 0')
                value = "0"
            if value not in allowed:
                f.error(
                    line(child),
                    "invalid-value",
                    f'<{child_name}> "{value}" is not one of {", ".join(allowed[:3])}, ...',
                )
            elif value in seen:
                f.error(line(child), "duplicate-value", f'<{child_name}> "{value}" is listed twice')
            seen.add(value)
        if not seen:
            f.error(line(element), "missing-element", f"{shown(element)} has no <{child_name}>")
        if len(seen) > most:
            f.error(line(element), "invalid-value", f"{shown(element)} lists more than {most}")

    return check


def undefined(f: Findings, element: etree._Element, parent: etree._Element) -> None:
    """Report an element RSS 2.0 does not define in that place."""
    f.error(
        line(element),
        "undefined-element",
        f"{shown(element)} is not an RSS 2.0 element of {shown(parent)}",
    )


def duplicate(f: Findings, element: etree._Element, parent: etree._Element) -> None:
    """Report a second copy of an element allowed once."""
    f.error(
        line(element),
        "duplicate-element",
        f"{shown(parent)} has more than one {shown(element)}",
    )


def missing(f: Findings, parent: etree._Element, name: str) -> None:
    """Report a required element that is missing."""
    f.error(line(parent), "missing-element", f"{shown(parent)} has no <{name}>, which is required")


def element_attributes(f: Findings, element: etree._Element) -> None:
    """Report un-namespaced attributes RSS 2.0 does not define on this element."""
    tag = element.tag
    if isinstance(tag, str) and not tag.startswith("{"):
        unexpected_attributes(f, element, _ATTRIBUTES.get(tag, _NONE))
