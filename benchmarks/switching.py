"""Switching for real: five public sites, each built by its own generator and by feedtool
(`feedtool init --from` with no manual edit), compared item by item.

Usage: python benchmarks/switching.py SITES_DIR [--work DIR] [--pelican PATH] [--only NAME]

SITES_DIR holds the sites as fetched (nothing is fetched here):

    papermod/   adityatelange/hugo-PaperMod, branch exampleSite        (Hugo), with the
                theme (branch master) in themes/hugo-PaperMod: its feed template is used
    spf13/      spf13/spf13.com                                        (Hugo)
    benbalter/  benbalter/benbalter.github.com at 22f98bfc^ (its last Jekyll commit)
    niels/      nielskrijger/blog, with `npm install` done             (Eleventy)
    notmyidea/  almet/notmyidea                                        (Pelican)

Each is copied to WORK/build/NAME and made buildable with the least change its generator
needs here (listed in PREPARE: themes and plugins that are not installed are replaced by
stubs; jekyll-feed's posts_limit is raised; Pelican runs without PLUGINS, as the issue asks).
The generator builds it; feedtool reads a second copy without the generator's output (so
nothing is adopted from the old feed) with `init --from` and `build`. Both feeds are read
with feedparser and compared on id, link, title and publication instant. A generator that is
not installed skips its sites. Not a test: it prints a table.
"""

from __future__ import annotations

import argparse
import calendar
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser

FEEDTOOL = [sys.executable, "-m", "feedtool"]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _hugo_minimal_layouts(site: Path, stubs: dict[str, str]) -> None:
    """Hugo's own embedded RSS template, plain page templates, the site's shortcodes
    (and empty ones for a theme's that are not here)."""
    layouts = site / "layouts"
    shortcodes = layouts / "shortcodes"
    kept = (
        {p.name: p.read_text(encoding="utf-8") for p in shortcodes.glob("*")}
        if (shortcodes.is_dir())
        else {}
    )
    shutil.rmtree(layouts, ignore_errors=True)
    for name, text in {**{f"{k}.html": v for k, v in stubs.items()}, **kept}.items():
        _write(shortcodes / name, text)
    _write(layouts / "_default" / "single.html", "{{ .Content }}\n")
    _write(layouts / "_default" / "list.html", "{{ .Title }}\n")


def _papermod(site: Path) -> None:
    """The theme (its master branch, in themes/hugo-PaperMod as the site expects) needs a
    newer Hugo: only its feed template is kept (Hugo's own when the theme is not there)."""
    config = site / "config.yml"
    config.write_text(re.sub(r"(?m)^theme: .*$", "", config.read_text(encoding="utf-8")))
    theme_feed = site / "themes" / "hugo-PaperMod" / "layouts" / "rss.xml"
    feed = theme_feed.read_text(encoding="utf-8") if theme_feed.is_file() else None
    shutil.rmtree(site / "themes", ignore_errors=True)
    stubs = {n: "" for n in ("audio", "video", "x", "inTextImg", "instagram")}
    _hugo_minimal_layouts(site, {**stubs, "collapse": "{{ .Inner }}"})
    if feed is not None:  # Hugo 0.111 names the language code site.LanguageCode
        feed = feed.replace("site.Language.LanguageCode", "site.LanguageCode")
        _write(site / "layouts" / "_default" / "rss.xml", feed)


def _spf13(site: Path) -> None:
    _hugo_minimal_layouts(site, {})


_JEKYLL_STUBS = """\
Liquid::Template.register_tag("include_cached", Jekyll::Tags::IncludeTag)
class GithubEditLinkStub < Liquid::Tag
  def render(_context) = "https://github.com/benbalter/benbalter.github.com"
end
Liquid::Template.register_tag("github_edit_link", GithubEditLinkStub)
class AvatarStub < Liquid::Tag
  def render(_context) = ""
end
Liquid::Template.register_tag("avatar", AvatarStub)
"""


def _benbalter(site: Path) -> None:
    config = site / "_config.yml"
    text = config.read_text(encoding="utf-8")
    for plugin in (
        "jemoji",
        "jekyll-redirect-from",
        "jekyll-sitemap",
        "jekyll-avatar",
        "jekyll-github-metadata",
        "jekyll-mentions",
        "jekyll-og-image",
        "jekyll-include-cache",
    ):
        text = text.replace(f"  - {plugin}\n", "")
    config.write_text(text + "\nfeed:\n  posts_limit: 1000\n", encoding="utf-8")
    for name in ("Gemfile", "Gemfile.lock"):
        (site / name).unlink(missing_ok=True)
    for layout in (site / "_layouts").glob("*.html"):
        layout.write_text("---\n---\n{{ content }}\n", encoding="utf-8")
    _write(site / "_plugins" / "stubs.rb", _JEKYLL_STUBS)


def _notmyidea(site: Path) -> None:
    with (site / "publishconf.py").open("a", encoding="utf-8") as handle:
        handle.write("\nPLUGINS = []\n")


@dataclass(frozen=True)
class Site:
    name: str
    generator: str
    prepare: Callable[[Path], None]
    output: str  # the generator's output folder, inside the site
    feed: str  # its main feed, inside the output folder


SITES = [
    Site("papermod", "hugo", _papermod, "public", "index.xml"),
    Site("spf13", "hugo", _spf13, "public", "index.xml"),
    Site("benbalter", "jekyll", _benbalter, "_site", "feed.xml"),
    Site("niels", "eleventy", lambda site: None, "_site", "feed.xml"),
    Site("notmyidea", "pelican", _notmyidea, "output", "feeds/all.atom.xml"),
]


def generator_command(site: Site, pelican: str) -> list[str] | None:
    if site.generator == "hugo":
        return ["hugo", "--quiet", "-d", site.output] if shutil.which("hugo") else None
    if site.generator == "jekyll":
        return ["jekyll", "build", "--quiet", "-d", site.output] if shutil.which("jekyll") else None
    if site.generator == "eleventy":
        return ["npx", "--no-install", "eleventy", "--quiet", f"--output={site.output}"]
    if site.generator == "pelican":
        found = shutil.which(pelican) or (pelican if Path(pelican).is_file() else None)
        if found is None:
            return None
        return [found, "content", "-q", "-s", "publishconf.py", "-o", site.output]
    return None


def _instant(entry: Any) -> int | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return calendar.timegm(parsed) if parsed else None


def items(path: Path) -> list[dict[str, Any]]:
    feed = feedparser.parse(path.read_bytes())
    return [
        {
            "id": e.get("id"),
            "link": e.get("link"),
            "title": e.get("title"),
            "instant": _instant(e),
        }
        for e in feed.entries
    ]


def compare(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """Items of the generator's feed that feedtool gives with the same id, link, title and
    instant, and one line per difference."""
    by_id = {item["id"]: item for item in new}
    by_link = {item["link"]: item for item in new}
    right = 0
    differences = []
    for item in old:
        mine = by_id.get(item["id"]) or by_link.get(item["link"])
        if mine is None:
            differences.append(f"missing: {item['id']} ({item['title']!r})")
            continue
        wrong = [k for k in ("id", "link", "title", "instant") if mine[k] != item[k]]
        if wrong:
            differences.append(
                f"{item['id']}: " + "; ".join(f"{k} {mine[k]!r} (want {item[k]!r})" for k in wrong)
            )
        else:
            right += 1
    return right, differences


def atom_name(site: Path) -> str:
    """The Atom feed's file name: init --from gives it the generator's (feed_files)."""
    try:
        config = tomllib.loads((site / "feedtool.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return "atom.xml"
    return str(config.get("feed_files", {}).get("atom", "atom.xml"))


def run(site: Site, sites_dir: Path, work: Path, pelican: str, verbose: bool) -> str:
    source = sites_dir / site.name
    if not source.is_dir():
        return f"| {site.name} | {site.generator} | – | – | site not found |"
    command = generator_command(site, pelican)
    if command is None:
        return f"| {site.name} | {site.generator} | – | – | generator not installed |"
    built = work / "build" / site.name
    mine = work / "feedtool" / site.name
    for folder in (built, mine):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, built, symlinks=True)
    site.prepare(built)
    shutil.copytree(built, mine, symlinks=True, ignore=shutil.ignore_patterns(site.output))
    subprocess.run(command, cwd=built, check=False, capture_output=True)
    feed = built / site.output / site.feed
    if not feed.is_file():
        return f"| {site.name} | {site.generator} | – | – | the generator wrote no feed |"
    init = subprocess.run(
        [*FEEDTOOL, "init", "--from", "."], cwd=mine, capture_output=True, text=True
    )
    # Into feeds/, not where init --from puts them (the generator's folder), to read them.
    build = subprocess.run(
        [*FEEDTOOL, "build", "--no-cache", "--keep-going", "--output", "feeds"],
        cwd=mine,
        capture_output=True,
        text=True,
    )
    old = items(feed)
    atom = mine / "feeds" / atom_name(mine)
    if init.returncode or not atom.is_file():
        why = (init.stderr or build.stderr or build.stdout).strip().splitlines()[-1:] or ["?"]
        return f"| {site.name} | {site.generator} | {len(old)} | 0 | feedtool: {why[0]} |"
    right, differences = compare(old, items(atom))
    if verbose:
        print(f"## {site.name}", *differences[:40], sep="\n", file=sys.stderr)
        print(build.stderr[-3000:], file=sys.stderr)
    share = 100 * right / len(old) if old else 100.0
    return f"| {site.name} | {site.generator} | {len(old)} | {right} ({share:.1f} %) | |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/feedtool-switching"))
    parser.add_argument("--pelican", default="pelican")
    parser.add_argument("--only", action="append")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    versions = []
    for tool, flag in (("hugo", "version"), ("jekyll", "--version")):
        if shutil.which(tool):
            out = subprocess.run([tool, flag], capture_output=True, text=True).stdout
            versions.append(out.split()[1] if tool == "jekyll" else out.split()[1].split("+")[0])
    print("| site | generator | generator's items | feedtool right (id, link, title, instant) | |")
    print("|---|---|---|---|---|")
    for site in SITES:
        if args.only and site.name not in args.only:
            continue
        print(run(site, args.sites, args.work, args.pelican, args.verbose), flush=True)
    if versions:
        print(f"\nhugo {versions[0]}, jekyll {versions[-1]}")


if __name__ == "__main__":
    main()
