"""feedtool init --from DIR: recognise a Hugo, Jekyll, Zola, Eleventy or Pelican site from
its config files and write the feedtool.toml that reads it as that generator does.

No code of the site is ever run: TOML, YAML and JSON are parsed; ``pelicanconf.py`` is
read with ``ast`` (literal values only, and names bound to them); Eleventy's JavaScript
config and data files are searched for plain literal values only.
"""

from __future__ import annotations

import ast
import io
import json
import posixpath
import re
import tokenize
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feedtool import safefile
from feedtool.errors import ConfigError, FeedtoolError
from feedtool.textfile import decode

# Lazy imports: PyYAML is imported inside _yaml: only a generator's YAML config needs it.

# A generator's config or data file: regular files only, and this big at most (a link to
# /dev/zero would otherwise be read until memory runs out, a FIFO waited on for ever).
MAX_SITE_FILE_BYTES = 4 * 1024 * 1024


def _read(path: Path) -> str:
    """A site file's text, read safely (see safefile); else a one-line error naming it."""
    try:
        data, _ = safefile.read_regular(path, MAX_SITE_FILE_BYTES)
    except safefile.TooLarge as exc:
        raise ConfigError(
            f"the file is {exc.size:,} bytes; a generator's config or data file is read "
            f"only up to {MAX_SITE_FILE_BYTES:,}",
            path=path,
        ) from None
    except safefile.NotRegularFile:
        raise ConfigError("is not a regular file; only files are read", path=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc.strerror or exc}", path=path) from None
    return decode(data, path)


@dataclass
class Found:
    """What init --from learnt of a site, and what it could not."""

    dialect: str
    source: str  # the config file it was read from
    settings: dict[str, Any] = field(default_factory=dict)  # feedtool.toml's top-level keys
    options: dict[str, Any] = field(default_factory=dict)  # [dialect_options]
    notes: list[str] = field(default_factory=list)  # what it chose, and what it skipped


def _yaml(path: Path) -> dict[str, Any]:
    import yaml

    data = yaml.safe_load(_read(path)) or {}
    return data if isinstance(data, dict) else {}


def _hugo(directory: Path) -> Found | None:
    candidates = [
        directory / f"{stem}.{ext}"
        for stem in ("hugo", "config")
        for ext in ("toml", "yaml", "yml", "json")
    ]
    candidates += [
        directory / "config" / "_default" / f"{stem}.{ext}"
        for stem in ("hugo", "config")
        for ext in ("toml", "yaml", "yml", "json")
    ]
    for path in candidates:
        if not path.is_file():
            continue
        if path.name == "config.toml" and "base_url" in _read(path):
            continue  # Zola's
        data = _load(path)
        if path.parent.name == "_default":
            # Split config: permalinks.toml, params.toml ... hold the table of their name.
            for part in sorted(path.parent.iterdir()):
                if part.stem not in ("hugo", "config") and part.suffix in _SUFFIXES:
                    data.setdefault(part.stem, _load(part))
        found = Found("hugo", str(path))
        data = {k.lower(): v for k, v in data.items()}
        _put(found, "base_url", data.get("baseurl"))
        _put(found, "title", data.get("title"))
        _put(found, "language", data.get("languagecode"))
        _put(found, "timezone", data.get("timezone"))
        _put(found, "author", _hugo_author(data.get("author")))
        found.settings["content"] = str(data.get("contentdir", "content"))
        permalinks = data.get("permalinks")
        if isinstance(permalinks, dict) and permalinks:
            flat = {k: v for k, v in permalinks.items() if isinstance(v, str)}
            page = permalinks.get("page")
            if isinstance(page, dict):
                flat.update({k: v for k, v in page.items() if isinstance(v, str)})
            found.options["permalinks"] = flat
        language = data.get("defaultcontentlanguage")
        if isinstance(language, str):
            found.options["default_language"] = language
        _hugo_content_dirs(found, data)
        services: dict[str, Any] = _table(data.get("services"))
        rss = _table(services.get("rss"))
        limit = rss.get("limit", data.get("rsslimit"))
        if isinstance(limit, int) and limit > 0:
            found.settings["limit"] = limit
        else:
            found.notes.append("Hugo's feed has no item limit: limit = 1000")
            found.settings["limit"] = 1000
        version = _hugo_version(directory)
        if version is not None and version < (0, 125):
            found.options["pub_date"] = "date"
            found.notes.append(
                f"Hugo {'.'.join(map(str, version))} dates feed items by date, not publishDate"
            )
        found.notes.append("the home feed: every dated regular page, as Hugo's own home feed")
        return found
    return None


def _hugo_content_dirs(found: Found, data: dict[str, Any]) -> None:
    """Languages with a ``contentDir`` of their own: the content folder becomes the one
    above them all, and each language's folder below it an option."""
    languages = {k: _table(v) for k, v in _table(data.get("languages")).items()}
    own = {
        lang: str(table[key])
        for lang, table in languages.items()
        for key in table
        if str(key).lower() == "contentdir" and isinstance(table[key], str)
    }
    if not own:
        return
    default = str(found.settings["content"])
    folders = {lang: own.get(lang, default).strip("/") for lang in languages}
    common = posixpath.commonpath(list(folders.values())) if len(folders) > 1 else ""
    found.settings["content"] = common or "."
    relative = {lang: posixpath.relpath(f, common or ".") for lang, f in folders.items()}
    found.options["content_dirs"] = {k: "" if v == "." else v for k, v in relative.items()}
    found.notes.append(
        "each language's own contentDir is read: "
        + ", ".join(f"{lang}: {folder}" for lang, folder in folders.items())
    )


def _hugo_author(value: Any) -> str | None:
    """The config's ``[author]`` table (name, email), as feedtool's ``Name <email>``."""
    if isinstance(value, str):
        return value
    table = {str(k).lower(): v for k, v in _table(value).items()}
    name, email = table.get("name"), table.get("email")
    if not isinstance(name, str) or not name.strip():
        return None
    return f"{name.strip()} <{email.strip()}>" if isinstance(email, str) and email else name


def _hugo_version(directory: Path) -> tuple[int, ...] | None:
    """The Hugo version a site is built with, where its deployment config names it."""
    texts = []
    for path in [directory / "netlify.toml", *sorted(directory.glob(".github/workflows/*.y*ml"))]:
        if path.is_file():
            try:
                texts.append(_read(path))
            except FeedtoolError:
                continue  # only a hint of the version: not worth stopping for
    for text in texts:
        match = re.search(r"(?i)hugo[_-]version\W{0,4}v?(\d+)\.(\d+)", text)
        if match:
            return (int(match[1]), int(match[2]))
    return None


def _jekyll(directory: Path) -> Found | None:
    path = directory / "_config.yml"
    if not path.is_file():
        path = directory / "_config.yaml"
        if not path.is_file():
            return None
    data = _yaml(path)
    found = Found("jekyll", str(path))
    url = str(data.get("url") or "").rstrip("/")
    baseurl = str(data.get("baseurl") or "").strip("/")
    if url:
        _put(found, "base_url", f"{url}/{baseurl + '/' if baseurl else ''}")
    _put(found, "title", data.get("title") or data.get("name"))  # jekyll-feed's fallback
    _put(found, "description", data.get("description"))
    _put(found, "timezone", data.get("timezone"))
    _put(found, "language", data.get("lang"))
    author = data.get("author")
    if isinstance(author, dict):
        author = author.get("name")
    _put(found, "author", author)
    found.settings["content"] = "."
    found.settings["include"] = ["_posts/**", "**/_posts/**"]
    # Jekyll's own default excludes, and the site's.
    excludes = ["vendor/**", "node_modules/**", ".bundle/**", ".jekyll-cache/**"]
    for item in data.get("exclude") or []:
        if isinstance(item, str) and item.strip():
            # Jekyll excludes files and folders alike: the name itself and all below it.
            name = item.strip().strip("/")
            excludes += [name] if "*" in name else [name, f"{name}/**"]
    found.settings["exclude"] = list(dict.fromkeys(excludes))
    # The posts collection's own permalink wins over the site's.
    posts = _table(_table(data.get("collections")).get("posts"))
    found.options["permalink"] = str(posts.get("permalink") or data.get("permalink") or "date")
    feed = _table(data.get("feed"))
    for name in feed.get("collections") or []:
        if name != "posts":
            found.notes.append(
                f"warning: feed.collections: jekyll-feed writes a feed of its own for the "
                f"{name!r} collection (feed/{name}.xml); feedtool reads only the posts"
            )
    limit = feed.get("posts_limit", 10)
    found.settings["limit"] = limit if isinstance(limit, int) and limit > 0 else 10
    found.notes.append(f"posts: _posts/, as jekyll-feed; limit {found.settings['limit']}")
    return found


def _zola(directory: Path) -> Found | None:
    path = directory / "config.toml"
    if not path.is_file():
        return None
    data = _load(path)
    if "base_url" not in data:
        return None
    found = Found("zola", str(path))
    _put(found, "base_url", data.get("base_url"))
    _put(found, "title", data.get("title"))
    _put(found, "description", data.get("description"))
    _put(found, "language", data.get("default_language"))
    found.settings["content"] = "content"
    if isinstance(data.get("default_language"), str):
        found.options["default_language"] = data["default_language"]
    paths = _table(data.get("slugify")).get("paths")
    if isinstance(paths, str) and paths != "on":
        found.options["slugify_paths"] = paths
    limit = data.get("feed_limit")
    found.settings["limit"] = limit if isinstance(limit, int) and limit > 0 else 1000
    return found


def _eleventy(directory: Path) -> Found | None:
    names = ["eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", ".eleventy.js"]
    path = next((directory / n for n in names if (directory / n).is_file()), None)
    if path is None:
        return None
    text = _read(path)
    found = Found("eleventy", str(path))
    found.settings["timezone"] = "UTC"  # Eleventy reads dates without an offset as UTC
    found.settings["content"] = _js_string(text, "input") or "."
    content = directory / found.settings["content"]
    if "feedPlugin" in text:  # the RSS plugin's virtual template (plugin 2.0 and later)
        plugin = text[text.find("feedPlugin") :]
        _put(found, "base_url", _js_string(plugin, "base"))
        _put(found, "title", _js_string(plugin, "title"))
        _put(found, "description", _js_string(plugin, "subtitle"))
        _put(found, "language", _js_string(plugin, "language"))
        collection = re.search(r"collection\s*:\s*\{[^}]*name\s*:\s*[\"'](\w+)[\"']", plugin)
        limit = re.search(r"limit\s*:\s*(\d+)", plugin)
        found.options["collection"] = collection[1] if collection else "posts"
        found.settings["limit"] = int(limit[1]) if limit else 10
        if found.settings["limit"] == 0:  # the plugin's "no limit"
            found.settings["limit"] = 1000
            found.notes.append("the feed plugin's collection.limit 0 is no limit: limit = 1000")
    else:  # a feed template of the site's own (eleventy-base-blog 8 and earlier)
        template = next(
            (p for p in sorted(content.rglob("feed*")) if "node_modules" not in p.parts), None
        )
        source = _read(template) if template and template.is_file() else ""
        collection = re.search(r"collections\.(\w+)", source)
        limit = re.search(r"(?:eleventyFeedHead|head)\(\s*-?(\d+)\s*\)", source)
        found.options["collection"] = collection[1] if collection else "posts"
        found.settings["limit"] = int(limit[1]) if limit else 1000
        if template is not None:
            found.notes.append(f"feed: {template.relative_to(directory)}")
    data_dir = _js_string(text, "data") or "_data"
    for folder in (content / data_dir, directory / "_data"):
        for name in ("metadata.js", "metadata.json", "site.js", "site.json"):
            if (folder / name).is_file():
                data = _read(folder / name)
                for key, field_name in (
                    ("base_url", "url"),
                    ("title", "title"),
                    ("description", "description"),
                    ("language", "language"),
                ):
                    if key not in found.settings:
                        _put(found, key, _js_string(data, field_name))
    found.notes.append(
        f'posts: the "{found.options["collection"]}" collection (tags), drafts left out'
    )
    return found


def _pelican(directory: Path) -> Found | None:
    path = directory / "pelicanconf.py"
    if not path.is_file():
        return None
    found_notes: list[str] = []
    values = _python_file(path, found_notes)
    publish = directory / "publishconf.py"
    if publish.is_file():
        values.update(_python_file(publish, found_notes))
    found = Found("pelican", str(path), notes=found_notes)
    site = values.get("FEED_DOMAIN") or values.get("SITEURL")
    if isinstance(site, str) and site:
        _put(found, "base_url", site.rstrip("/") + "/")
    _put(found, "title", values.get("SITENAME"))
    _put(found, "timezone", values.get("TIMEZONE"))
    _put(found, "author", values.get("AUTHOR"))
    found.settings["content"] = str(values.get("PATH", "content"))
    pages = values.get("PAGE_PATHS", ["pages"])
    excludes = values.get("ARTICLE_EXCLUDES", [])
    found.settings["exclude"] = [f"{p}/**" for p in [*pages, *excludes] if isinstance(p, str)]
    options = found.options
    for key in (
        "ARTICLE_URL",
        "ARTICLE_LANG_URL",
        "DEFAULT_LANG",
        "FILENAME_METADATA",
        "DEFAULT_CATEGORY",
        "USE_FOLDER_AS_CATEGORY",
        "AUTHOR",
        "DEFAULT_STATUS",
        "DEFAULT_DATE",
        "SLUG_REGEX_SUBSTITUTIONS",
    ):
        if key in values:
            options[key.lower()] = values[key]
    _put(found, "language", values.get("DEFAULT_LANG"))
    # FEED_MAX_ITEMS: 100 by default (Pelican 4.12's settings); None is no limit.
    limit = values.get("FEED_MAX_ITEMS", 100)
    found.settings["limit"] = limit if isinstance(limit, int) and limit > 0 else 1000
    found.notes += _pelican_plugins(directory, values)
    found.notes.append("the main feed: every article in every language, as all.atom.xml")
    return found


def _python_file(path: Path, notes: list[str]) -> dict[str, Any]:
    """python_literals of a file; ConfigError at the statement Python's parser cannot hold."""
    source = _read(path)
    try:
        return python_literals(source, notes)
    except (MemoryError, RecursionError):
        # The parser's own stack: "X = " and 100,000 "-" is a MemoryError, "1+1+..."
        # 100,000 times a RecursionError, whatever memory the machine has.
        raise ConfigError(
            "has an expression nested too deeply for Python to parse; write the value "
            "plainly (feedtool reads only literal values here)",
            path=path,
            line=_too_deep(source),
        ) from None


def _too_deep(source: str) -> int | None:
    """The line of the first top-level statement that is too deep to parse, or None.

    Only called once parsing the whole file failed: each statement is parsed alone.
    Statements are found by the tokenizer, which keeps no stack of its own.
    """
    starts: list[int] = []
    level, new_statement = 0, True
    skipped = {tokenize.NL, tokenize.COMMENT, tokenize.ENCODING, tokenize.ENDMARKER}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.INDENT:
                level += 1
            elif token.type == tokenize.DEDENT:
                level -= 1
            elif token.type == tokenize.NEWLINE:
                new_statement = True
            elif token.type not in skipped and new_statement:
                new_statement = False
                if level == 0:
                    starts.append(token.start[0])
    except (tokenize.TokenError, SyntaxError):
        pass  # what was found so far still counts
    lines = source.splitlines(keepends=True)
    bounds = [*starts, len(lines) + 1]
    for first, after in zip(bounds, bounds[1:], strict=False):
        try:
            ast.parse("".join(lines[first - 1 : after - 1]))
        except (MemoryError, RecursionError):
            return first
        except SyntaxError:
            continue  # a part of a statement (an else:), or wrong on its own: not this
    return None


def _pelican_plugins(directory: Path, values: dict[str, Any]) -> list[str]:
    """PLUGINS, named: feedtool runs none of them, and a plugin that adds a reader
    (Pelican's readers_init signal) may read articles otherwise than its built-in readers."""
    plugins = [p for p in values.get("PLUGINS") or [] if isinstance(p, str)]
    if not plugins:
        return []
    folders = [directory / p for p in values.get("PLUGIN_PATHS") or [] if isinstance(p, str)]
    notes = []
    for plugin in plugins:
        name = plugin.rsplit(".", 1)[-1]
        files = [f / f"{name}.py" for f in folders] + [f / name / "__init__.py" for f in folders]
        text = next((_read(f) for f in files if f.is_file()), "")
        if "readers_init" in text or re.search(r"class \w+\(\w*Reader\)", text):
            notes.append(
                f"warning: PLUGINS: {plugin} adds a reader of its own, which feedtool does not "
                "run: files it reads are read as Pelican's built-in readers read them"
            )
    others = [p for p in plugins if not any(f": {p} adds" in n for n in notes)]
    if others:
        notes.append(f"PLUGINS not run by feedtool: {', '.join(others)}")
    return notes


def python_literals(source: str, notes: list[str]) -> dict[str, Any]:
    """Top-level ``NAME = literal`` assignments (and names bound to earlier ones); never run."""
    values: dict[str, Any] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            continue
        value = node.value
        if isinstance(value, ast.Name) and value.id in values:
            values[target.id] = values[value.id]
            continue
        try:
            values[target.id] = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            notes.append(f"{target.id} is not a plain value; skipped")
    return values


def _js_string(text: str, key: str) -> str | None:
    match = re.search(rf"\b{key}\s*:\s*[\"'`]([^\"'`$]*)[\"'`]", text)
    return match[1] if match else None


_SUFFIXES = (".toml", ".yaml", ".yml", ".json")


def _load(path: Path) -> dict[str, Any]:
    if path.suffix == ".toml":
        return tomllib.loads(_read(path))
    if path.suffix == ".json":
        data = json.loads(_read(path))
        return data if isinstance(data, dict) else {}
    return _yaml(path)


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _put(found: Found, key: str, value: Any) -> None:
    if isinstance(value, str) and value.strip():
        found.settings[key] = value.strip()


# Tried in this order: Zola before Hugo (both may have config.toml).
DETECTORS = (_zola, _hugo, _jekyll, _pelican, _eleventy)


def detect(directory: Path) -> Found:
    """The site in ``directory``, or ConfigError when it is none of the five."""
    for detector in DETECTORS:
        try:
            found = detector(directory)
        except (OSError, ValueError, SyntaxError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read the site's config: {exc}", path=directory) from None
        except Exception as exc:  # YAML errors: PyYAML loads lazily
            if type(exc).__module__.startswith("yaml"):
                raise ConfigError(f"YAML does not parse: {exc}", path=directory) from None
            raise
        if found is not None:
            return found
    raise ConfigError(
        "no Hugo, Jekyll, Zola, Eleventy or Pelican config found (hugo.toml, config.toml, "
        "_config.yml, eleventy.config.js, pelicanconf.py)",
        path=directory,
    )


def config_toml(found: Found) -> str:
    """feedtool.toml's text for what was found."""
    lines = [
        f"# Written by `feedtool init --from`: a {found.dialect.capitalize()} site, read from "
        f"{Path(found.source).name}.",
        f'dialect = "{found.dialect}"',
    ]
    for key, value in found.settings.items():
        lines.append(f"{key} = {_toml_value(value)}")
    if found.options:
        lines.append("")
        lines.append("[dialect_options]")
        for key, value in found.options.items():
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
        )
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
