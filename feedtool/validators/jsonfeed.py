"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), checked key by key.

Problems are found on the parsed data and named by their path ("items", 3, "id");
only when there are problems is the text scanned again to find their lines.
"""

from __future__ import annotations

import json
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from feedtool.validators.common import Findings, Level
from feedtool.values import checks
from feedtool.values.patterns import compiled_later

VERSIONS = ("https://jsonfeed.org/version/1.1", "https://jsonfeed.org/version/1")
Path = tuple[str | int, ...]

_FEED_STRINGS = ("description", "user_comment")
_FEED_URLS = ("home_page_url", "next_url", "icon", "favicon")
_FEED_KEYS = frozenset(
    ("version", "title", "items", "feed_url", "language", "expired", "authors", "author", "hubs")
    + _FEED_STRINGS
    + _FEED_URLS
)
_ITEM_STRINGS = ("title", "content_html", "content_text", "summary")
_ITEM_URLS = ("url", "external_url", "image", "banner_image")
_ITEM_KEYS = frozenset(
    (
        "id",
        "date_published",
        "date_modified",
        "tags",
        "authors",
        "author",
        "language",
        "attachments",
    )
    + _ITEM_STRINGS
    + _ITEM_URLS
)
_ATTACHMENT_KEYS = frozenset(("url", "mime_type", "title", "size_in_bytes", "duration_in_seconds"))


class _Checker:
    def __init__(self, self_url: str | None) -> None:
        self.self_url = self_url
        self.found: list[tuple[Path, Level, str, str]] = []

    def error(self, path: Path, code: str, message: str) -> None:
        self.found.append((path, "error", code, message))

    def warning(self, path: Path, code: str, message: str) -> None:
        self.found.append((path, "warning", code, message))

    def string(self, obj: dict[str, Any], key: str, path: Path) -> str | None:
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(path + (key,), "wrong-type", f'"{key}" must be a string')
            return None
        return value

    def url(self, obj: dict[str, Any], key: str, path: Path) -> None:
        value = self.string(obj, key, path)
        if value is not None and (problem := checks.uri(value, absolute=True)):
            self.error(path + (key,), "invalid-url", f'"{key}" "{value}" {problem}')

    def unknown(self, obj: dict[str, Any], known: frozenset[str], path: Path, where: str) -> None:
        for key in obj:
            if key not in known and not key.startswith("_"):
                self.warning(
                    path + (key,),
                    "unknown-key",
                    f'{where} has an unknown key "{key}" (extensions start with "_")',
                )

    def language(self, obj: dict[str, Any], path: Path) -> None:
        value = self.string(obj, "language", path)
        if value is not None and (problem := checks.language(value)):
            self.error(path + ("language",), "invalid-language", f'"language" "{value}" {problem}')

    def authors(self, obj: dict[str, Any], path: Path) -> None:
        if "author" in obj:
            self.warning(
                path + ("author",), "deprecated", '"author" is JSON Feed 1.0; use "authors"'
            )
        for index, person in enumerate(self.optional_list(obj, "authors", path)):
            where = path + ("authors", index)
            if not isinstance(person, dict) or not ({"name", "url", "avatar"} & person.keys()):
                self.error(where, "invalid-author", "an author needs a name, url or avatar")
                continue
            self.string(person, "name", where)
            self.url(person, "url", where)
            self.url(person, "avatar", where)

    def feed(self, data: Any) -> None:
        if not isinstance(data, dict):
            self.error((), "wrong-type", "a JSON Feed is an object")
            return
        version = data.get("version")
        if version is None:
            self.error((), "missing-key", f'no "version" (it should be "{VERSIONS[0]}")')
        elif version not in VERSIONS:
            self.error(("version",), "invalid-value", f'"version" must be "{VERSIONS[0]}"')
        if self.string(data, "title", ()) is None and "title" not in data:
            self.error((), "missing-key", 'no "title", which is required')
        for key in _FEED_STRINGS:
            self.string(data, key, ())
        for key in _FEED_URLS:
            self.url(data, key, ())
        self.feed_url(data)
        if "expired" in data and not isinstance(data["expired"], bool):
            self.error(("expired",), "wrong-type", '"expired" must be true or false')
        self.language(data, ())
        self.authors(data, ())
        self.hubs(data)
        self.unknown(data, _FEED_KEYS, (), "the feed")
        items = data.get("items")
        if items is None:
            self.error((), "missing-key", 'no "items" (an empty feed has "items": [])')
        elif not isinstance(items, list):
            self.error(("items",), "wrong-type", '"items" must be a list')
        else:
            ids: dict[str, int] = {}
            for index, item in enumerate(items):
                self.item(item, ("items", index), ids)

    def optional_list(self, obj: dict[str, Any], key: str, path: Path) -> list[Any]:
        """``obj[key]`` when it is a list; nothing when absent; an error when not a list."""
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path + (key,), "wrong-type", f'"{key}" must be a list')
            return []
        return value

    def feed_url(self, data: dict[str, Any]) -> None:
        if "feed_url" not in data:
            self.warning(
                (), "missing-self-link", 'no "feed_url", so readers cannot tell where it lives'
            )
            return
        self.url(data, "feed_url", ())
        value = data["feed_url"]
        if self.self_url is not None and isinstance(value, str) and value != self.self_url:
            self.error(
                ("feed_url",),
                "self-link-mismatch",
                f'"feed_url" "{value}" is not where this feed is published ({self.self_url})',
            )

    def hubs(self, data: dict[str, Any]) -> None:
        for index, hub in enumerate(self.optional_list(data, "hubs", ())):
            if not isinstance(hub, dict) or "type" not in hub or "url" not in hub:
                self.error(("hubs", index), "missing-key", 'a hub needs "type" and "url"')
            else:
                self.url(hub, "url", ("hubs", index))

    def item(self, item: Any, path: Path, ids: dict[str, int]) -> None:
        if not isinstance(item, dict):
            self.error(path, "wrong-type", "an item must be an object")
            return
        item_id = item.get("id")
        if item_id is None:
            self.error(path, "missing-key", 'item has no "id", which is required')
        elif isinstance(item_id, (int, float)) and not isinstance(item_id, bool):
            self.warning(path + ("id",), "wrong-type", '"id" should be a string')
        elif not isinstance(item_id, str) or not item_id:
            self.error(path + ("id",), "wrong-type", '"id" must be a non-empty string')
        if isinstance(item_id, (str, int, float)) and str(item_id) in ids:
            self.error(
                path + ("id",),
                "duplicate-id",
                f'"id" "{item_id}" is also the id of items[{ids[str(item_id)]}]',
            )
        elif isinstance(item_id, (str, int, float)):
            ids[str(item_id)] = path[-1]  # type: ignore[assignment]
        for key in _ITEM_STRINGS:
            self.string(item, key, path)
        if not any(isinstance(item.get(k), str) for k in ("content_html", "content_text")):
            self.error(path, "missing-content", 'item needs "content_html" or "content_text"')
        for key in _ITEM_URLS:
            self.url(item, key, path)
        for key in ("date_published", "date_modified"):
            value = self.string(item, key, path)
            if value is not None and (problem := checks.rfc3339(value, upper_case=False)):
                self.error(path + (key,), "invalid-date", f'"{key}" "{value}" {problem}')
        tags = item.get("tags")
        if tags is not None and (
            not isinstance(tags, list) or not all(isinstance(t, str) for t in tags)
        ):
            self.error(path + ("tags",), "wrong-type", '"tags" must be a list of strings')
        self.language(item, path)
        self.authors(item, path)
        self.attachments(item, path)
        self.unknown(item, _ITEM_KEYS, path, "item")

    def attachments(self, item: dict[str, Any], path: Path) -> None:
        for index, attachment in enumerate(self.optional_list(item, "attachments", path)):
            where = path + ("attachments", index)
            if not isinstance(attachment, dict):
                self.error(where, "wrong-type", "an attachment must be an object")
                continue
            for key in ("url", "mime_type"):
                if key not in attachment:
                    self.error(
                        where, "missing-key", f'attachment has no "{key}", which is required'
                    )
            self.url(attachment, "url", where)
            mime = self.string(attachment, "mime_type", where)
            if mime is not None and (problem := checks.media_type(mime)):
                self.error(
                    where + ("mime_type",), "invalid-media-type", f'"mime_type" "{mime}" {problem}'
                )
            self.string(attachment, "title", where)
            for key in ("size_in_bytes", "duration_in_seconds"):
                number = attachment.get(key)
                if number is not None and (
                    isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0
                ):
                    self.error(
                        where + (key,), "invalid-number", f'"{key}" must be a number of 0 or more'
                    )
            self.unknown(attachment, _ATTACHMENT_KEYS, where, "attachment")


def check(text: str, data: Any, f: Findings) -> None:
    """Check parsed JSON Feed ``data``; ``text`` is only read again to find lines."""
    checker = _Checker(f.self_url)
    checker.feed(data)
    for path, level, code, message in checker.found:
        line = line_of(text, path)
        (f.error if level == "error" else f.warning)(line, code, message)


_SPACE = compiled_later(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def line_of(text: str, path: Path) -> int:
    """The line of the key (or list element) at ``path``, as deep as the text goes."""
    pos = best = _SPACE().match(text, 0).end()  # type: ignore[union-attr]
    for step in path:
        if pos >= len(text):
            break
        if text[pos] == "{" and isinstance(step, str):
            pos = _SPACE().match(text, pos + 1).end()  # type: ignore[union-attr]
            while pos < len(text) and text[pos] == '"':
                key, after = scanstring(text, pos + 1)
                value = _SPACE().match(text, _SPACE().match(text, after).end() + 1).end()  # type: ignore[union-attr]
                if key == step:
                    best, pos = pos, value
                    break
                pos = _skip(text, value)
            else:
                break
        elif text[pos] == "[" and isinstance(step, int):
            pos = _SPACE().match(text, pos + 1).end()  # type: ignore[union-attr]
            for _ in range(step):
                if text[pos] == "]":
                    break
                pos = _skip(text, pos)
            if text[pos] == "]":
                break
            best = pos
        else:
            break
    return text.count("\n", 0, best) + 1


def _skip(text: str, pos: int) -> int:
    """Past the value at ``pos`` and the comma after it."""
    _, end = _DECODER.raw_decode(text, pos)
    end = _SPACE().match(text, end).end()  # type: ignore[union-attr]
    if end < len(text) and text[end] == ",":
        end = _SPACE().match(text, end + 1).end()  # type: ignore[union-attr]
    return end
