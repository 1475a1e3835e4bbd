"""Switching at the same feed URLs (issue 20, item 2): for each generator, init --from
makes feedtool write its main feed at the generator's own feed path, in its format, in
the folder the generator publishes as it is; a reader subscribed to the old URL then
reads feedtool's items, each of them the item it already had (no item twice)."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from conftest import TESTS, newsboat
from feedtool.cli import cli
from feedtool.config import load_config
from feedtool.site.switch import SWITCHES

SITES = TESTS / "data" / "sites"
# generator -> (folder it publishes as-is, the main feed's URL path below base_url, root tag)
WHERE = {
    "hugo": ("static", "index.xml", "rss"),
    "jekyll": (".", "feed.xml", "{http://www.w3.org/2005/Atom}feed"),
    "pelican": ("content/feeds", "feeds/all.atom.xml", "{http://www.w3.org/2005/Atom}feed"),
    "eleventy": ("feedtool-feeds", "feed/feed.xml", "{http://www.w3.org/2005/Atom}feed"),
    "zola": ("static", "atom.xml", "{http://www.w3.org/2005/Atom}feed"),
}


def run_in(site: Path, *args: str) -> Result:
    here = os.getcwd()
    os.chdir(site)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(here)


def old_feed(generator: str, items: list[dict[str, str]]) -> str:
    """The generator's own feed of these items, every title marked "(old)"."""
    if generator == "hugo":
        body = "".join(
            f"<item><title>{escape(i['title'])} (old)</title><link>{i['link']}</link>"
            f"<guid>{i['id']}</guid><pubDate>{i['published']}</pubDate></item>"
            for i in items
        )
        channel = f"<channel><title>Old</title>{body}</channel>"
        return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'
    entries = "".join(
        f'<entry><title>{escape(i["title"])} (old)</title><link href="{i["link"]}"/>'
        f"<id>{i['id']}</id><updated>{i['published']}</updated></entry>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Old</title><id>urn:old</id><updated>2025-01-01T00:00:00Z</updated>{entries}</feed>"
    )


@pytest.mark.parametrize("generator", sorted(WHERE))
def test_the_main_feed_is_written_at_the_generators_path_and_newsboat_reads_it(
    generator: str,
    tmp_path: Path,
    feed_server: Any,
) -> None:
    site = tmp_path / generator
    shutil.copytree(SITES / generator, site)
    expected = json.loads((site / "expected.json").read_text(encoding="utf-8"))
    init = run_in(site, "init", "--from", ".")
    assert init.exit_code == 0, init.output
    build = run_in(site, "build", "--now", expected["now"], "--no-cache")
    assert build.exit_code == 0, build.output

    folder, url_path, root = WHERE[generator]
    config = load_config(site / "feedtool.toml")
    switch = SWITCHES[generator]
    published_at = config.base_url + url_path
    main = site / folder / switch.main_path(config, site)
    assert main.is_file(), sorted(p.name for p in (site / folder).iterdir())
    document = etree.fromstring(main.read_bytes())
    assert document.tag == root
    self_links = document.xpath("//*[local-name()='link'][@rel='self']/@href")
    assert self_links == [published_at]
    # The other formats beside it; no index.html over the site's own pages.
    assert len({path.name for path in main.parent.iterdir()} & {"index.html", "index.opml"}) == 0

    # The site as its subscribers know it: the generator's feed at its URL...
    deployed = tmp_path / "deployed"
    base_path = urlsplit(config.base_url).path.lstrip("/")
    target = deployed / base_path / url_path
    target.parent.mkdir(parents=True)
    target.write_text(old_feed(generator, expected["items"]), encoding="utf-8")
    url = feed_server(deployed) + base_path + url_path
    home = tmp_path / "home"
    before = newsboat([url], home)
    assert {item["title"] for item in before} == {f"{i['title']} (old)" for i in expected["items"]}
    # ...then the site built with feedtool's feeds in the folder it publishes as it is.
    for path in main.parent.iterdir():
        if path.suffix in (".xml", ".json"):
            shutil.copy(path, target.parent / path.name)
    after = newsboat([url], home)
    assert Counter(item["guid"] for item in after) == Counter(i["id"] for i in expected["items"])
    assert {item["title"] for item in after} == {i["title"] for i in expected["items"]}


def test_build_warns_while_the_generator_still_writes_its_own_feed(tmp_path: Path) -> None:
    site = tmp_path / "jekyll"
    shutil.copytree(SITES / "jekyll", site)
    init = run_in(site, "init", "--from", ".")
    assert (
        "note: Jekyll still writes its own feed at feed.xml: remove jekyll-feed from plugins "
        "in _config.yml (and from the Gemfile)\n"
    ) in init.output
    now = "2026-01-01T00:00:00Z"
    build = run_in(site, "build", "--now", now, "--no-cache")
    warning = (
        "warning: feed.xml: Jekyll also writes its own feed at this path, so the site would "
        "publish one of the two: remove jekyll-feed from plugins in _config.yml (and from the "
        "Gemfile)\n"
    )
    assert warning in build.stderr
    config = site / "_config.yml"
    config.write_text(config.read_text().replace("  - jekyll-feed\n", ""))
    again = run_in(site, "build", "--now", now, "--no-cache")
    assert again.exit_code == 0 and "Jekyll also writes" not in again.stderr


@pytest.mark.parametrize("generator", sorted(WHERE))
def test_the_workflow_builds_the_feeds_before_the_site(generator: str, tmp_path: Path) -> None:
    import re
    import subprocess
    import sys

    import yaml

    site = tmp_path / generator
    shutil.copytree(SITES / generator, site)
    assert run_in(site, "init", "--from", ".").exit_code == 0
    path = site / ".github" / "workflows" / "feeds-and-site.yml"
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = [step.get("name", step.get("uses", "")) for step in workflow["jobs"]["build"]["steps"]]
    assert steps.index("Build the feeds") < steps.index("Build the site")
    for step in workflow["jobs"]["build"]["steps"] + workflow["jobs"]["deploy"]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    # What it validates is what the build wrote, and valid.
    expected = json.loads((site / "expected.json").read_text(encoding="utf-8"))
    assert run_in(site, "build", "--now", expected["now"], "--no-cache").exit_code == 0
    (validate,) = [
        s["run"]
        for s in workflow["jobs"]["build"]["steps"]
        if "validate" in s.get("name", "").lower()
    ]
    checked = run_in(site, *validate.split()[1:])
    assert checked.exit_code == 0, checked.output
    assert "checked 3 feed(s): 0 error(s)" in checked.output
    zizmor = Path(sys.executable).parent / "zizmor"
    audit = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "NO_COLOR": "1"},
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert json.loads(audit.stdout) == []
    # init --from never overwrites it.
    (site / "feedtool.toml").unlink()
    again = run_in(site, "init", "--from", ".")
    assert f"note: {Path('.github/workflows/feeds-and-site.yml')} exists already" in again.output


@pytest.mark.parametrize("generator", sorted(WHERE))
def test_init_from_finds_the_generators_built_feed_and_reports_agreement(
    generator: str, tmp_path: Path
) -> None:
    from feedtool.site.adopt import OLD_FEEDS

    site = tmp_path / generator
    shutil.copytree(SITES / generator, site)
    expected = json.loads((site / "expected.json").read_text(encoding="utf-8"))
    built = site / OLD_FEEDS[generator][0]
    built.parent.mkdir(parents=True)
    items = expected["items"]
    built.write_text(old_feed(generator, items).replace(" (old)", ""), encoding="utf-8")
    init = run_in(site, "init", "--from", ".")
    assert init.exit_code == 0, init.output
    total = len(items)
    assert (
        f"{total} of {total} items of your current feed match (id, link, title, date): "
        f"{Path(OLD_FEEDS[generator][0])}\n"
    ) in init.output
    assert f"keeps the id and link of {total} item(s) of that feed" in init.output


def test_hugos_term_feeds_are_written_where_hugo_writes_them(tmp_path: Path) -> None:
    site = tmp_path / "hugo"
    shutil.copytree(SITES / "hugo", site)
    init = run_in(site, "init", "--from", ".")
    assert (
        "note: feeds per tags and categories at https://hugo.example.org/tags/NAME/index.xml, "
        "https://hugo.example.org/categories/NAME/index.xml, as Hugo's\n"
    ) in init.output
    expected = json.loads((site / "expected.json").read_text(encoding="utf-8"))
    assert run_in(site, "build", "--now", expected["now"], "--no-cache").exit_code == 0
    for path in ("tags/intro/index.xml", "tags/bundles/index.xml", "categories/news/index.xml"):
        assert etree.fromstring((site / "static" / path).read_bytes()).tag == "rss", path


def test_zolas_feed_filenames_and_taxonomy_feeds_are_followed(tmp_path: Path) -> None:
    site = tmp_path / "zola"
    shutil.copytree(SITES / "zola", site)
    config = site / "config.toml"
    text = config.read_text(encoding="utf-8").replace(
        'feed_filenames = ["atom.xml"]',
        'feed_filenames = ["rss.xml"]\ntaxonomies = [{ name = "tags", feed = true }]',
    )
    config.write_text(text, encoding="utf-8")
    init = run_in(site, "init", "--from", ".")
    assert "the main feed at https://zola.example.org/rss.xml (RSS 2.0, where Zola's was)" in (
        init.output
    )
    expected = json.loads((site / "expected.json").read_text(encoding="utf-8"))
    build = run_in(site, "build", "--now", expected["now"], "--no-cache")
    assert build.exit_code == 0, build.output
    assert "static/rss.xml: Zola also writes its own feed at this path" in build.stderr
    assert etree.fromstring((site / "static" / "tags" / "intro" / "rss.xml").read_bytes()).tag == (
        "rss"
    )


def init_notes(site: Path, text: str) -> list[str]:
    init = run_in(site, "init", "--from", ".")
    assert init.exit_code == 0, init.output
    return [line for line in init.output.splitlines() if text in line]


@pytest.mark.parametrize(
    ("generator", "note"),
    [
        (
            "jekyll",
            "note: in Jekyll's config: add exclude: [feedtool.toml, feedtool.ids] to "
            "_config.yml (else Jekyll publishes them with the site)",
        ),
        (
            "hugo",
            'note: in Hugo\'s config: add [[module.mounts]] source = "static" target = "static" '
            'excludeFiles = ".feedtool-files" (else Hugo publishes .feedtool-files, feedtool\'s '
            "list of the files it wrote there)",
        ),
        (
            "zola",
            'note: in Zola\'s config: add ignored_static = [".feedtool-files"] at the top of '
            "config.toml (else Zola publishes .feedtool-files, feedtool's list of the files it "
            "wrote there)",
        ),
    ],
)
def test_init_from_says_how_to_keep_feedtools_own_files_out_of_the_site(
    generator: str, note: str, tmp_path: Path
) -> None:
    site = tmp_path / generator
    shutil.copytree(SITES / generator, site)
    assert init_notes(site, "else ") == [note]


def test_a_jekyll_site_that_excludes_feedtools_files_is_told_nothing(tmp_path: Path) -> None:
    site = tmp_path / "jekyll"
    shutil.copytree(SITES / "jekyll", site)
    config = site / "_config.yml"
    config.write_text(config.read_text() + "exclude: [Gemfile, feedtool.ids]\n")
    assert init_notes(site, "else ") == [
        "note: in Jekyll's config: add feedtool.toml to its exclude: list in _config.yml "
        "(else Jekyll publishes it with the site)"
    ]
    (site / "feedtool.toml").unlink()
    (site / ".github" / "workflows" / "feeds-and-site.yml").unlink()
    config.write_text(config.read_text().replace("feedtool.ids]", "feedtool.ids, feedtool.toml]"))
    assert init_notes(site, "else ") == []
