"""Switching a site's feed to feedtool at the same URLs its subscribers already have.

Each generator publishes its main feed at its own path and in its own format
(jekyll-feed's Atom at /feed.xml, Hugo's RSS at /index.xml...). ``init --from`` makes
feedtool write its feeds with those names, into the folder the generator copies to the
site as it is (Hugo's and Zola's static/, Jekyll's root, a Pelican STATIC_PATHS folder,
an Eleventy passthrough copy), so the generator publishes feedtool's feed where its own
was; its other formats go next to it. The generator's own feed must then be turned off:
``feedtool build`` warns while the generator's config still makes it.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from feedtool.config import SiteConfig
from feedtool.errors import FeedtoolError
from feedtool.render.formats import FORMATS
from feedtool.site.importer import Found, python_literals
from feedtool.site.importer import _hugo_version as hugo_version
from feedtool.site.importer import _load as load_config_file  # one reader of those files
from feedtool.site.importer import _read as read_site_file
from feedtool.values.choices import CONFIG_NAME, LEDGER_NAME


class SiteBuild(NamedTuple):
    """How the workflow init --from writes installs and runs the generator."""

    install: str  # shell lines
    build: str  # shell lines
    folder: str  # what the generator builds, relative to the site


# What the workflow downloads is checked before it runs: a pinned sha256 where the
# version is fixed, else the checksums Hugo publishes with each release.
_ZOLA = "v0.19.2", "zola-v0.19.2-x86_64-unknown-linux-gnu.tar.gz"
_ZOLA_SHA256 = "0798e69b86c628ddcb264ebd86c8cc8dce7670b9049060bf94faa73f6857cd9c"
# Pinned releases: a site's Gemfile or requirements pin their own instead.
_JEKYLL_GEMS = "jekyll:4.3.4 jekyll-feed:0.17.0"
_PELICAN = "pelican[markdown]==4.12.0"


def _hugo_build(found: Found, site: Path) -> SiteBuild:
    version = ".".join(map(str, hugo_version(site) or (0, 128))) + ".0"
    release = f"https://github.com/gohugoio/hugo/releases/download/v{version}"
    deb = f"hugo_extended_{version}_linux-amd64.deb"
    sums = f"hugo_{version}_checksums.txt"
    return SiteBuild(
        'cd "$RUNNER_TEMP"\n'
        f'curl -fsSLO "{release}/{deb}" -O "{release}/{sums}"\n'
        f"grep ' {deb}$' {sums} | sha256sum -c -\n"
        f"sudo dpkg -i {deb}",
        "hugo --minify",
        "public",
    )


def _jekyll_build(found: Found, site: Path) -> SiteBuild:
    return SiteBuild(
        "sudo apt-get update && sudo apt-get install -y ruby-full build-essential\n"
        f"sudo gem install {_JEKYLL_GEMS}",
        "if [ -f Gemfile ]; then bundle install && bundle exec jekyll build; else jekyll build; fi",
        "_site",
    )


def _pelican_build(found: Found, site: Path) -> SiteBuild:
    settings = "publishconf.py" if (site / "publishconf.py").is_file() else "pelicanconf.py"
    content = str(found.settings.get("content", "content"))  # from pelicanconf's PATH
    return SiteBuild(
        f"python -m pip install {shlex.quote(_PELICAN)}",
        f"pelican {shlex.quote(content)} -s {settings}",
        "output",
    )


def _eleventy_build(found: Found, site: Path) -> SiteBuild:
    return SiteBuild("npm ci", "npx @11ty/eleventy", "_site")


def _zola_build(found: Found, site: Path) -> SiteBuild:
    tag, tarball = _ZOLA
    return SiteBuild(
        'cd "$RUNNER_TEMP"\n'
        f'curl -fsSLO "https://github.com/getzola/zola/releases/download/{tag}/{tarball}"\n'
        f'echo "{_ZOLA_SHA256}  {tarball}" | sha256sum -c -\n'
        f"tar -xzf {tarball}",
        '"$RUNNER_TEMP/zola" build',
        "public",
    )


# The manifest in a folder copied whole: public, though no page links it.
_MANIFEST_NOTE = "publishes .feedtool-files, feedtool's list of the files it wrote there"


def _jekyll_kept_out(found: Found, site: Path) -> str:
    """Jekyll publishes its folder's files but leaves out names that start with a dot (the
    manifest, the cache, the lock): feedtool.toml and the ledger must be excluded."""
    excluded = set(found.settings.get("exclude", []))
    missing = [name for name in (CONFIG_NAME, LEDGER_NAME) if name not in excluded]
    if not missing:
        return ""
    has_list = re.search(r"(?m)^exclude\s*:", _text(site / "_config.yml"))
    what = " and ".join(missing) if has_list else f"exclude: [{', '.join(missing)}]"
    where = "its exclude: list in _config.yml" if has_list else "_config.yml"
    them = "them" if len(missing) > 1 else "it"
    return f"add {what} to {where} (else Jekyll publishes {them} with the site)"


def _hugo_kept_out(found: Found, site: Path) -> str:
    """Hugo copies static/ whole, dot files included."""
    return (
        'add [[module.mounts]] source = "static" target = "static" excludeFiles = '
        f'".feedtool-files" (else Hugo {_MANIFEST_NOTE})'
    )


def _zola_kept_out(found: Found, site: Path) -> str:
    """Zola copies static/ whole, dot files included."""
    return (
        'add ignored_static = [".feedtool-files"] at the top of config.toml '
        f"(else Zola {_MANIFEST_NOTE})"
    )


class Switch(NamedTuple):
    """Where a generator's main feed is, and how feedtool takes its place."""

    generator: str
    output: Callable[[Found], str]  # the folder the generator copies as-is, from the site's
    path: str  # where that folder is published, under base_url ("" or "feed/")
    main: Callable[[Path], str]  # the format of the generator's main feed, from the site's
    files: dict[str, str]  # feed_files: each format's file name there
    setup: str  # what the generator's config needs to copy the folder ("" when nothing)
    turn_off: str  # how to turn the generator's own feed off
    own_feed: Callable[[Path], bool]  # whether the site's config still makes that feed
    site_build: Callable[[Found, Path], SiteBuild]  # for the workflow init --from writes
    groups: Callable[[Found, Path], list[str]] = lambda found, site: []  # term feeds, as feeds_per
    exclude: tuple[str, ...] = ()  # globs of the content folder that are not articles
    # What the generator's config needs so that feedtool's own files are not published
    # with the site ("" when nothing).
    kept_out: Callable[[Found, Path], str] = lambda found, site: ""

    def main_path(self, config: SiteConfig, site: Path) -> str:
        """The main feed's path in the output folder."""
        main = self.main(site)
        return dict(config.feed_files).get(main, self.files[main])


def _text(path: Path) -> str:
    """A generator's config file as the importer reads it (safely); "" when it cannot be."""
    try:
        return read_site_file(path)
    except FeedtoolError:
        return ""


def _hugo_feed_on(site: Path) -> bool:
    texts = [
        _text(site / f"{stem}.{ext}")
        for stem in ("hugo", "config")
        for ext in ("toml", "yaml", "yml", "json")
    ]
    texts += [_text(path) for path in sorted(site.glob("config/_default/*"))]
    kinds = re.search(r"(?is)disable_?kinds\W*[=:]\s*\[([^\]]*)\]", "\n".join(texts))
    return not (kinds and re.search(r"(?i)\brss\b", kinds[1]))


def _jekyll_feed_on(site: Path) -> bool:
    return "jekyll-feed" in _text(site / "_config.yml") + _text(site / "_config.yaml")


def _pelican_feed_on(site: Path) -> bool:
    values: dict[str, object] = {}
    for name in ("pelicanconf.py", "publishconf.py"):
        try:
            values.update(python_literals(_text(site / name), []))
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
    # Pelican writes feeds/all.atom.xml unless FEED_ALL_ATOM is None.
    return values.get("FEED_ALL_ATOM", "feeds/all.atom.xml") is not None


def _eleventy_feed_on(site: Path) -> bool:
    names = ("eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", ".eleventy.js")
    return any("feedPlugin" in _text(site / name) for name in names)


def _zola_config(site: Path) -> dict[str, object]:
    try:
        return tomllib.loads(_text(site / "config.toml"))
    except tomllib.TOMLDecodeError:
        return {}


def _zola_main(site: Path) -> str:
    """Zola writes its feeds under feed_filenames (feed_filename before 0.19): the first
    names the main one."""
    config = _zola_config(site)
    names = config.get("feed_filenames") or [config.get("feed_filename", "atom.xml")]
    first = names[0] if isinstance(names, list) and names else "atom.xml"
    return "rss" if first == "rss.xml" else "atom"


def _zola_groups(found: Found, site: Path) -> list[str]:
    """Zola's taxonomies with a feed of their own (feed = true; rss = true before 0.15)."""
    taxonomies = _zola_config(site).get("taxonomies")
    if not isinstance(taxonomies, list):
        return []
    return [
        str(t["name"])
        for t in taxonomies
        if isinstance(t, dict) and (t.get("feed") or t.get("rss")) and t.get("name") in _GROUPS
    ]


def _hugo_groups(found: Found, site: Path) -> list[str]:
    """Hugo's taxonomies that have term feeds: tags and categories unless the config says
    otherwise (``[taxonomies]``, ``disableKinds``, ``[outputs] term``)."""
    path = Path(found.source)
    data = {k.lower(): v for k, v in load_config_file(path).items()}
    if path.parent.name == "_default":
        for part in ("taxonomies", "outputs"):
            extra = path.parent / f"{part}.toml"
            if extra.is_file():
                data.setdefault(part, load_config_file(extra))
    kinds = data.get("disablekinds")
    if isinstance(kinds, list) and {"rss", "term", "taxonomyterm"} & {
        str(k).lower() for k in kinds
    }:
        return []
    outputs = data.get("outputs")
    if isinstance(outputs, dict):
        term = outputs.get("term", outputs.get("taxonomy"))
        if isinstance(term, list) and "rss" not in [str(t).lower() for t in term]:
            return []
    taxonomies = data.get("taxonomies")
    names = set(taxonomies.values()) if isinstance(taxonomies, dict) else set(_GROUPS)
    return [name for name in _GROUPS if name in names]


_GROUPS = ("tags", "categories")  # the groupings a generator's term feeds map onto


def _zola_feed_on(site: Path) -> bool:
    return bool(re.search(r"(?m)^\s*generate_feeds?\s*=\s*true", _text(site / "config.toml")))


SWITCHES: dict[str, Switch] = {
    "hugo": Switch(
        "Hugo",
        lambda found: "static",
        "",
        lambda site: "rss",
        {"rss": "index.xml", "atom": "atom.xml", "json": "feed.json"},
        "",
        'add disableKinds = ["rss"] to the Hugo config (Hugo then writes no feed at all)',
        _hugo_feed_on,
        _hugo_build,
        groups=_hugo_groups,
        kept_out=_hugo_kept_out,
    ),
    "jekyll": Switch(
        "Jekyll",
        lambda found: ".",
        "",
        lambda site: "atom",
        {"atom": "feed.xml", "rss": "rss.xml", "json": "feed.json"},
        "",  # what to exclude depends on the site's _config.yml: see _jekyll_kept_out
        "remove jekyll-feed from plugins in _config.yml (and from the Gemfile)",
        _jekyll_feed_on,
        _jekyll_build,
        kept_out=_jekyll_kept_out,
    ),
    "pelican": Switch(
        "Pelican",
        lambda found: f"{str(found.settings.get('content', 'content')).rstrip('/')}/feeds",
        "feeds/",
        lambda site: "atom",
        {"atom": "all.atom.xml", "rss": "all.rss.xml", "json": "all.json"},
        "add 'feeds' to STATIC_PATHS in pelicanconf.py (STATIC_PATHS = ['images', 'feeds'])",
        "set FEED_ALL_ATOM = None in pelicanconf.py and publishconf.py",
        _pelican_feed_on,
        _pelican_build,
        exclude=("feeds/**",),  # the folder feedtool writes into, inside the content folder
    ),
    "eleventy": Switch(
        "Eleventy",
        lambda found: "feedtool-feeds",
        "feed/",
        lambda site: "atom",
        {"atom": "feed.xml", "rss": "rss.xml", "json": "feed.json"},
        'add eleventyConfig.addPassthroughCopy({ "feedtool-feeds": "feed" }); to its config',
        "remove the feedPlugin (or the site's own feed template) from the Eleventy config",
        _eleventy_feed_on,
        _eleventy_build,
    ),
    "zola": Switch(
        "Zola",
        lambda found: "static",
        "",
        _zola_main,
        {"atom": "atom.xml", "rss": "rss.xml", "json": "feed.json"},
        "",
        "set generate_feeds = false in config.toml (generate_feed before Zola 0.19)",
        _zola_feed_on,
        _zola_build,
        groups=_zola_groups,
        kept_out=_zola_kept_out,
    ),
}


def apply(found: Found, site: Path) -> None:
    """Set where feedtool writes and publishes a switched site's feeds, and say what the
    generator's config needs."""
    switch = SWITCHES[found.dialect]
    output = switch.output(found)
    base = str(found.settings["base_url"]).rstrip("/") + "/"
    found.settings["output"] = output
    found.settings["feeds_url"] = base + switch.path
    found.settings["feed_files"] = switch.files
    # Into a folder of the site's own files: no index.html or index.opml over its pages.
    found.settings["html_page"] = False
    found.settings["opml"] = False
    if switch.exclude:
        found.settings["exclude"] = [*found.settings.get("exclude", []), *switch.exclude]
    kind = switch.main(site)
    main = switch.files[kind]
    found.notes.append(
        f"the feeds are written into {'the site folder' if output == '.' else output + '/'}, "
        f"which {switch.generator} publishes as it is: "
        f"the main feed at {base}{switch.path}{main} ({FORMATS[kind].label}, where "
        f"{switch.generator}'s was), the other formats beside it"
    )
    per = switch.groups(found, site)
    if per:
        found.settings["feeds_per"] = per
        shown = ", ".join(f"{base}{name}/NAME/{switch.files[kind]}" for name in per)
        found.notes.append(f"feeds per {' and '.join(per)} at {shown}, as {switch.generator}'s")
    if switch.setup:
        found.notes.append(f"in {switch.generator}'s config: {switch.setup}")
    kept_out = switch.kept_out(found, site)
    if kept_out:
        found.notes.append(f"in {switch.generator}'s config: {kept_out}")
    if switch.own_feed(site):
        found.notes.append(
            f"{switch.generator} still writes its own feed at {switch.path}{main}: "
            f"{switch.turn_off}"
        )


def clashes(site: Path, config: SiteConfig, output_dir: Path) -> list[str]:
    """Warnings while the generator would still write its own feed where feedtool writes
    the main feed (a site switched by ``init --from``)."""
    switch = SWITCHES.get(config.dialect or "")
    if switch is None or not config.feed_files or not switch.own_feed(site):
        return []
    main = switch.main_path(config, site)
    return [
        f"{output_dir / main}: {switch.generator} also writes its own feed at this path, so "
        f"the site would publish one of the two: {switch.turn_off}"
    ]


def workflow_text(found: Found, site: Path) -> str:
    """The GitHub Actions workflow for a switched site: feedtool's feeds first, then the
    site, then GitHub Pages (docs/coming-from.md describes it)."""

    switch = SWITCHES[found.dialect]
    steps = switch.site_build(found, site)
    output = str(found.settings["output"]).rstrip("/")
    files = [switch.files[name] for name in ("rss", "atom", "json")]
    feeds = " ".join(name if output == "." else f"{output}/{name}" for name in files)
    indent = "\n          "
    text = (resources.files("feedtool") / "templates" / "switch.yml").read_text(encoding="utf-8")
    for token, value in (
        ("@GENERATOR@", switch.generator),
        ("@FEEDS@", feeds),
        ("@INSTALL@", steps.install.replace("\n", indent)),
        ("@BUILD@", steps.build.replace("\n", indent)),
        ("@SITE@", steps.folder),
    ):
        text = text.replace(token, value)
    return text
