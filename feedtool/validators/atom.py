"""Atom 1.0 (RFC 4287): feed and entry documents, element by element.

Each Atom element has a table of the Atom children it may have and how often;
elements in other namespaces are extensions and are left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from feedtool.validators import atomparts
from feedtool.validators.atomparts import content, text_construct
from feedtool.validators.common import Findings, line, self_link, unexpected_attributes
from feedtool.values import checks
from feedtool.xmlnames import ATOM_NS as NS
from feedtool.xmlnames import XML_BASE, XML_LANG

ATOM = "{" + NS + "}"
ATOM_LENGTH = len(ATOM)
OLD_NAMESPACES = ("http://purl.org/atom/ns#", "http://purl.org/echo/ns#")

Check = Callable[[Findings, etree._Element], None]

_ATTRIBUTES = {
    "link": frozenset(("href", "rel", "type", "hreflang", "title", "length")),
    "category": frozenset(("term", "scheme", "label")),
    "generator": frozenset(("uri", "version")),
    "content": frozenset(("type", "src")),
    "title": frozenset(("type",)),
    "subtitle": frozenset(("type",)),
    "summary": frozenset(("type",)),
    "rights": frozenset(("type",)),
}
_NONE: frozenset[str] = frozenset()


def _local(element: etree._Element) -> str:
    return str(element.tag)[len(ATOM) :]


def _text(element: etree._Element) -> str:
    return element.text or ""


def _iri(absolute: bool) -> Check:
    def check(f: Findings, element: etree._Element) -> None:
        value = _text(element)
        problem = checks.uri(value, absolute=absolute)
        if problem:
            f.error(line(element), "invalid-url", f'<{_local(element)}> "{value}" {problem}')

    return check


def _date(f: Findings, element: etree._Element) -> None:
    problem = checks.rfc3339(_text(element))
    if problem:
        f.error(line(element), "invalid-date", f'<{_local(element)}> "{_text(element)}" {problem}')


def _email(f: Findings, element: etree._Element) -> None:
    problem = checks.email(_text(element))
    if problem:
        f.error(line(element), "invalid-email", f'<email> "{_text(element)}" {problem}')


def _person(f: Findings, element: etree._Element) -> None:
    _structure(f, element, _PERSON, ("name",))


def _source(f: Findings, element: etree._Element) -> None:
    found = _structure(f, element, _SOURCE, ())
    _alternates(f, found.get("link", []), "<source>")


Rules = dict[str, tuple[bool, Check | None]]  # child name -> (may repeat, check)
Table = dict[str, tuple[str, bool, Check | None]]  # child's full tag -> (name, may repeat, check)


def _table(rules: Rules) -> Table:
    # Keyed by the namespaced tag, so the hot loop looks a child up without slicing its tag.
    return {ATOM + name: (name, many, check) for name, (many, check) in rules.items()}


_PERSON_RULES: Rules = {
    "name": (False, None),
    "uri": (False, _iri(False)),
    "email": (False, _email),
}
_SOURCE_RULES: Rules = {
    "author": (True, _person),
    "category": (True, atomparts.category),
    "contributor": (True, _person),
    "generator": (False, atomparts.generator),
    "icon": (False, _iri(False)),
    "id": (False, _iri(True)),
    "link": (True, atomparts.link),
    "logo": (False, _iri(False)),
    "rights": (False, text_construct),
    "subtitle": (False, text_construct),
    "title": (False, text_construct),
    "updated": (False, _date),
}
_ENTRY_RULES: Rules = {
    "author": (True, _person),
    "category": (True, atomparts.category),
    "content": (False, None),
    "contributor": (True, _person),
    "id": (False, _iri(True)),
    "link": (True, atomparts.link),
    "published": (False, _date),
    "rights": (False, text_construct),
    "source": (False, _source),
    "summary": (False, text_construct),
    "title": (False, text_construct),
    "updated": (False, _date),
}
_PERSON = _table(_PERSON_RULES)
_SOURCE = _table(_SOURCE_RULES)
_FEED = _table({**_SOURCE_RULES, "entry": (True, None)})
_ENTRY = _table(_ENTRY_RULES)
ENTRY_TAG = ATOM + "entry"


def _common_attributes(f: Findings, element: etree._Element, name: str) -> None:
    unexpected_attributes(f, element, _ATTRIBUTES.get(name, _NONE), NS)
    lang = element.get(XML_LANG)
    if lang and (problem := checks.language(lang)):
        f.error(line(element), "invalid-language", f'xml:lang "{lang}" {problem}')
    base = element.get(XML_BASE)
    if base is not None and (problem := checks.uri(base, absolute=False)):
        f.error(line(element), "invalid-url", f'xml:base "{base}" {problem}')


def _structure(
    f: Findings, element: etree._Element, table: Table, required: tuple[str, ...]
) -> dict[str, list[etree._Element]]:
    """Check every Atom child against the table; return them grouped by name.

    This runs for every entry of every feed a build writes, so it touches each child once.
    """
    name = _local(element)
    found: dict[str, list[etree._Element]] = {}
    stray_text = bool(element.text and not element.text.isspace())
    entries_began = False
    for child in element:
        tag = child.tag
        if type(tag) is not str:
            continue  # a comment or processing instruction
        tail = child.tail
        if tail and not stray_text and not tail.isspace():
            stray_text = True
        rule = table.get(tag)
        if rule is None:
            if tag.startswith(ATOM):
                message = f"<{tag[ATOM_LENGTH:]}> is not allowed in <{name}>"
                f.error(line(child), "undefined-element", message)
            elif tag[0] != "{":
                f.warning(line(child), "no-namespace", f"<{tag}> in <{name}> has no namespace")
            continue  # else an extension element
        child_name, many, check = rule
        if tag == ENTRY_TAG:
            entries_began = True
        elif entries_began:
            f.error(
                line(child), "misplaced-element", f"<{child_name}> must come before the entries"
            )
        same = found.get(child_name)
        if same is None:
            found[child_name] = [child]
        else:
            if not many:
                f.error(
                    line(child), "duplicate-element", f"<{name}> has more than one <{child_name}>"
                )
            same.append(child)
        if child.attrib:
            _common_attributes(f, child, child_name)
        if check is not None:
            check(f, child)
    for needed in required:
        if needed not in found:
            f.error(
                line(element), "missing-element", f"<{name}> has no <{needed}>, which is required"
            )
    if stray_text:
        f.error(line(element), "unexpected-text", f"<{name}> contains text outside its elements")
    return found


def _alternates(f: Findings, links: list[etree._Element], where: str) -> None:
    seen: set[tuple[str | None, str | None]] = set()
    for link in links:
        if link.get("rel", "alternate") != "alternate":
            continue
        key = (link.get("type"), link.get("hreflang"))
        if key in seen:
            f.error(
                line(link),
                "duplicate-link",
                f"{where} has two alternate links with the same type and hreflang",
            )
        seen.add(key)


def _entry(f: Findings, entry: etree._Element, feed_has_author: bool) -> etree._Element | None:
    """Check one entry; return its id element, for the feed's duplicate check."""
    found = _structure(f, entry, _ENTRY, ("id", "title", "updated"))
    has_author = feed_has_author or "author" in found
    if not has_author and "source" in found:
        has_author = entry.find(f"{ATOM}source/{ATOM}author") is not None
    if not has_author:
        f.error(line(entry), "missing-element", "<entry> has no <author>, and neither has the feed")
    links = found.get("link", [])
    _alternates(f, links, "<entry>")
    needs_summary = any(content(f, c) for c in found.get("content", []))
    if "content" not in found and not any(
        ln.get("rel", "alternate") == "alternate" for ln in links
    ):
        f.error(
            line(entry),
            "missing-content",
            '<entry> needs a <content> or a <link rel="alternate">',
        )
    if needs_summary and "summary" not in found:
        f.error(
            line(entry),
            "missing-element",
            "<entry> whose <content> is not text (src or Base64) needs a <summary>",
        )
    return found["id"][0] if "id" in found else None


def check(root: etree._Element, f: Findings) -> None:
    """Check a document whose root element is atom:feed or atom:entry."""
    tag = str(root.tag)
    if not tag.startswith(ATOM):
        namespace = tag[1:].partition("}")[0] if tag.startswith("{") else ""
        if namespace in OLD_NAMESPACES:
            hint = f"is a pre-1.0 draft of Atom ({namespace}); Atom 1.0 uses {NS}"
        elif not namespace:
            hint = f'is in no namespace; Atom 1.0 needs xmlns="{NS}"'
        else:
            hint = f'is in the namespace "{namespace}", not Atom 1.0\'s {NS}'
        f.error(line(root), "wrong-namespace", f"<{etree.QName(root).localname}> {hint}")
        return
    _common_attributes(f, root, _local(root))
    if _local(root) == "entry":
        _entry(f, root, feed_has_author=False)
        return
    found = _structure(f, root, _FEED, ("id", "title", "updated"))
    entries = found.get("entry", [])
    links = found.get("link", [])
    _alternates(f, links, "<feed>")
    self_link(f, root, links, "<feed>")
    ids: dict[str, int] = {}
    feed_has_author = "author" in found
    for entry in entries:
        entry_id = _entry(f, entry, feed_has_author)
        if entry_id is None or not entry_id.text:
            continue
        if entry_id.text in ids:
            f.warning(
                line(entry_id),
                "duplicate-id",
                f'<id> "{entry_id.text}" is also the id of the entry on line {ids[entry_id.text]}; '
                "Atom allows that only for versions of one entry",
            )
        else:
            ids[entry_id.text] = line(entry_id) or 0
