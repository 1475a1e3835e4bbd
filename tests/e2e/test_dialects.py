"""Sites written for other generators: `init --from` + `build` give the items that
generator's own feed gives.

Each tests/data/sites/<generator>/ is a small site written for this test to that
generator's documented conventions; its expected.json was written once from the real
generator's feed (the comment in it names the version; Zola's from its documentation,
as Zola does not install here). CI needs only feedtool.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from conftest import TESTS, feed_file, turn_on_language_feeds
from feedtool.cli import cli
from feedtool.read.dialects.eleventy import js_literal
from feedtool.read.dialects.templates import hugo, liquid
from feedtool.read.record import Loaded
from feedtool.read.sources import Source
from feedtool.site.importer import python_literals

SITES = TESTS / "data" / "sites"
GENERATORS = ["hugo", "jekyll", "pelican", "zola", "eleventy"]


def _build(
    site: Path, *extra: str, expected_file: str = "expected.json"
) -> tuple[list[dict[str, str]], str]:
    runner = CliRunner()
    expected = json.loads((site / expected_file).read_text(encoding="utf-8"))
    result = runner.invoke(cli, ["init", "--from", str(site), *extra])
    assert result.exit_code == 0, result.output
    result = _build_in(site, expected["now"])
    feed = json.loads(feed_file(site, "json").read_text(encoding="utf-8"))
    items = [
        {"id": i["id"], "link": i["url"], "title": i["title"], "published": i["date_published"]}
        for i in feed["items"]
    ]
    return items, result.output


def _build_in(site: Path, now: str) -> Result:
    """`feedtool build` run from inside the site's folder, as its owner would; must succeed."""
    here = os.getcwd()
    os.chdir(site)
    try:
        result = CliRunner().invoke(cli, ["build", "--now", now, "--no-cache"])
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    return result


CASES = [(generator, "expected.json") for generator in GENERATORS]
CASES.append(("jekyll", "expected-pretty.json"))


@pytest.mark.parametrize(("generator", "expected_file"), CASES)
def test_init_from_and_build_give_the_generators_items(
    generator: str, expected_file: str, tmp_path: Path
) -> None:
    site = tmp_path / generator
    shutil.copytree(SITES / generator, site)
    case = json.loads((site / expected_file).read_text(encoding="utf-8"))
    if "permalink" in case:  # the same site, built with another permalink style
        config = site / "_config.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(re.sub(r"(?m)^permalink: .*$", f"permalink: {case['permalink']}", text))
    items, _output = _build(site, expected_file=expected_file)
    expected = case["items"]

    # Items of equal date may come in another order (feedtool: by file name).
    def order(item: dict[str, str]) -> tuple[float, str]:
        return (-datetime.fromisoformat(item["published"]).timestamp(), item["id"])

    items, expected = sorted(items, key=order), sorted(expected, key=order)
    assert [i["id"] for i in items] == [e["id"] for e in expected]
    for item, want in zip(items, expected, strict=True):
        assert item["link"] == want["link"]
        assert item["title"] == want["title"]
        assert datetime.fromisoformat(item["published"]) == datetime.fromisoformat(
            want["published"]
        )


def test_template_tags_feedtool_cannot_render_are_named_once_with_file_and_line(
    tmp_path: Path,
) -> None:
    site = tmp_path / "hugo"
    shutil.copytree(SITES / "hugo", site)
    _items, output = _build(site)
    notes = [line for line in output.splitlines() if "template tag" in line]
    assert notes == [
        "warning: content/posts/Shortcodes.md:15: template tag 'notice' is not rendered by "
        "feedtool; it was left out of the feed"
    ]
    atom = feed_file(site, "atom").read_text(encoding="utf-8")
    assert "{{" not in atom and "youtube.com/watch?v=dQw4w9WgXcQ" in atom


def test_hugo_shortcodes_become_plain_html() -> None:
    text, dropped = hugo(
        '{{< youtube abc >}}\n{{< figure src="/a.png" caption="C" >}}\n{{< mystery >}}'
    )
    assert "https://www.youtube.com/watch?v=abc" in text
    assert '<figure><img src="/a.png" alt=""><figcaption>C</figcaption></figure>' in text
    assert "{{" not in text
    assert list(dropped) == [
        "template tag 'mystery' is not rendered by feedtool; it was left out of the feed"
    ]


def test_liquid_highlight_becomes_pre_code_and_unknown_tags_are_dropped() -> None:
    text, dropped = liquid("{% highlight py %}\nx < 1\n{% endhighlight %}\n{% include a.html %}")
    assert '<pre><code class="language-py">x &lt; 1</code></pre>' in text
    assert "{%" not in text
    assert list(dropped) == [
        "template tag 'include' is not rendered by feedtool; it was left out of the feed"
    ]


def test_pelicanconf_is_read_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    source = f"import os\nSITEURL = 'https://x.example'\nos.mkdir({str(marker)!r})\nA = SITEURL\n"
    notes: list[str] = []
    values = python_literals(source, notes)
    assert values == {"SITEURL": "https://x.example", "A": "https://x.example"}
    assert not marker.exists()


def test_javascript_literals_are_read_without_running_them() -> None:
    assert js_literal("{ tags: ['posts'], n: 2, ok: true, }") == {
        "tags": ["posts"],
        "n": 2,
        "ok": True,
    }
    with pytest.raises(ValueError):
        js_literal("require('fs').readFileSync('x')")


def test_javascript_front_matter_that_is_code_skips_the_file_with_a_warning(
    tmp_path: Path,
) -> None:
    site = tmp_path / "eleventy"
    shutil.copytree(SITES / "eleventy", site)
    (site / "content" / "blog" / "code.md").write_text(
        "---js\nconst title = compute();\n---\nBody.\n", encoding="utf-8"
    )
    _items, output = _build(site)
    assert "code.md:2: JavaScript front matter is read only as plain" in output


def test_include_and_exclude_choose_the_articles_of_a_plain_site(tmp_path: Path) -> None:
    (tmp_path / "content" / "notes").mkdir(parents=True)
    (tmp_path / "content" / "a.md").write_text("---\ntitle: A\ndate: 2025-01-01\n---\nA\n")
    (tmp_path / "content" / "notes" / "b.md").write_text("---\ntitle: B\n---\nno date\n")
    (tmp_path / "feedtool.toml").write_text(
        'base_url = "https://example.org/"\nexclude = ["notes/**"]\n'
    )
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--content",
            str(tmp_path / "content"),
            "--output",
            str(tmp_path / "out"),
            "--config",
            str(tmp_path / "feedtool.toml"),
            "--no-cache",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    feed = json.loads((tmp_path / "out" / "feed.json").read_text())
    assert [i["title"] for i in feed["items"]] == ["A"]


def test_a_plain_build_never_imports_the_dialects(tmp_path: Path) -> None:
    site = tmp_path / "plain"
    (site / "content").mkdir(parents=True)
    (site / "content" / "post.md").write_text(
        "---\ntitle: Plain\ndate: 2025-01-02T03:04:05Z\n---\nA plain site's post.\n",
        encoding="utf-8",
    )
    (site / "feedtool.toml").write_text(
        'title = "Plain"\ndescription = "d"\nbase_url = "https://plain.example/"\n'
        'author = "A <a@plain.example>"\n',
        encoding="utf-8",
    )
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import feedtool\n"
        "root = Path(sys.argv[1])\n"
        "config = feedtool.load_config(root / 'feedtool.toml')\n"
        "result = feedtool.build(root / 'content', root / 'feeds', config)\n"
        "assert result.articles == 1 and result.changed, result\n"
        "loaded = [m for m in sys.modules if m.startswith('feedtool.read.dialects')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code, str(site)], check=True)


def test_hugo_0_125_and_later_date_items_by_publish_date(tmp_path: Path) -> None:
    # Hugo's pull request 12300 (0.125): the feed's pubDate is .PublishDate. Without a
    # pinned older version (netlify.toml), init --from assumes a current Hugo.
    site = tmp_path / "hugo"
    shutil.copytree(SITES / "hugo", site)
    (site / "netlify.toml").unlink()
    items, _output = _build(site)
    item = next(i for i in items if i["title"] == "Written early, published later")
    assert item["published"] == "2024-03-20T12:00:00+00:00"


def test_init_from_a_split_hugo_config_reads_its_permalinks_file(tmp_path: Path) -> None:
    site = tmp_path / "hugo"
    shutil.copytree(SITES / "hugo", site)
    config = site / "config" / "_default"
    config.mkdir(parents=True)
    text = (site / "hugo.toml").read_text(encoding="utf-8")
    (site / "hugo.toml").unlink()
    (config / "hugo.toml").write_text(text.split("[permalinks]")[0], encoding="utf-8")
    (config / "permalinks.toml").write_text('posts = "/:year/:month/:slug/"\n')
    items, _output = _build(site)
    assert "https://hugo.example.org/2024/01/first-post/" in [i["link"] for i in items]


def test_init_from_without_a_terminal_never_waits_and_says_what_it_chose(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: T\n")
    result = CliRunner().invoke(cli, ["init", "--from", str(site)], input=None)
    assert result.exit_code == 0, result.output
    assert "not in the site's config: base_url = 'https://example.org/'" in result.output
    assert "chose: include = ['_posts/**', '**/_posts/**']" in result.output
    again = CliRunner().invoke(cli, ["init", "--from", str(site)])
    assert again.exit_code == 1 and "exists already" in again.output


def test_init_from_a_folder_of_no_known_generator_says_what_it_looked_for(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", "--from", str(tmp_path)])
    assert result.exit_code == 1
    assert "no Hugo, Jekyll, Zola, Eleventy or Pelican config found" in result.output
    assert "Traceback" not in result.output


def test_translations_are_linked_with_hreflang(tmp_path: Path) -> None:
    site = tmp_path / "hugo"
    shutil.copytree(SITES / "hugo", site)
    _build(site)
    atom = feed_file(site, "atom").read_text(encoding="utf-8")
    # Hugo 0.111 published the French page at this address (its /fr/index.xml).
    assert (
        '<link rel="alternate" type="text/html" hreflang="fr" '
        'href="https://hugo.example.org/fr/2024/01/premier-billet/"/>'
    ) in atom
    assert "Premier billet" not in atom  # the home feed is the default language's


def test_zola_translations_are_linked_where_zola_publishes_them(tmp_path: Path) -> None:
    # From Zola's documentation (multilingual sites): other languages live under /LANG/.
    site = tmp_path / "zola"
    shutil.copytree(SITES / "zola", site)
    _build(site)
    atom = feed_file(site, "atom").read_text(encoding="utf-8")
    assert 'hreflang="fr" href="https://zola.example.org/fr/blog/first-post/"' in atom


def test_pelican_feeds_per_language_hold_what_its_all_lang_feeds_hold(tmp_path: Path) -> None:
    site = tmp_path / "pelican"
    shutil.copytree(SITES / "pelican", site)
    result = CliRunner().invoke(cli, ["init", "--from", str(site)])
    assert result.exit_code == 0, result.output
    turn_on_language_feeds(site)
    _build_in(site, "2026-01-01T00:00:00Z")
    french = json.loads(feed_file(site, "json", "languages/fr").read_text())
    # Pelican 4.12 wrote this one entry to feeds/all-fr.atom.xml.
    assert [i["id"] for i in french["items"]] == [
        "tag:pelican.example.org,2024-01-05:/my-first-article-fr.html"
    ]
    english = json.loads(feed_file(site, "json", "languages/en").read_text())
    assert len(english["items"]) == 4
    atom = feed_file(site, "atom").read_text(encoding="utf-8")
    assert 'hreflang="fr" href="https://pelican.example.org/my-first-article-fr.html"' in atom


def test_pelican_default_date_dates_articles_without_one(tmp_path: Path) -> None:
    site = tmp_path / "pelican"
    shutil.copytree(SITES / "pelican", site)
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as handle:
        handle.write("DEFAULT_DATE = (2024, 5, 1)\n")
    (site / "content" / "undated.md").write_text("Title: Undated\n\nNo date.\n")
    result = CliRunner().invoke(cli, ["init", "--from", str(site)])
    assert result.exit_code == 0, result.output
    _build_in(site, "2026-01-01T00:00:00Z")
    feed = json.loads(feed_file(site, "json").read_text(encoding="utf-8"))
    undated = next(i for i in feed["items"] if i["title"] == "Undated")
    # What Pelican 4.12 gave this article with the same DEFAULT_DATE.
    assert undated["id"] == "tag:pelican.example.org,2024-05-01:/posts/2024/05/undated/"


# The addresses each generator itself wrote for these references (the real runs above).
REFERENCES = {
    "jekyll": [
        '<a href="https://jekyll.example.org/blog/news/misc/2024/01/05/hello-world.html">',
        '<a href="https://jekyll.example.org/blog/about.html">',
    ],
    "hugo": ["A reference: https://hugo.example.org/2024/01/first-post/"],
    "pelican": [
        '<a href="https://pelican.example.org/posts/2024/02/a-restructuredtext-article/">',
        '<img src="https://pelican.example.org/images/pic.png"',
        '<a href="https://pelican.example.org/posts/2024/01/my-first-article/">',
    ],
}


@pytest.mark.parametrize("generator", sorted(REFERENCES))
def test_links_between_articles_get_the_generators_addresses(
    generator: str, tmp_path: Path
) -> None:
    site = tmp_path / generator
    shutil.copytree(SITES / generator, site)
    _build(site)
    feed = json.loads(feed_file(site, "json").read_text(encoding="utf-8"))
    html = "\n".join(item["content_html"] for item in feed["items"])
    for expected in REFERENCES[generator]:
        assert expected in html
    assert "{filename}" not in html and "post_url" not in html and "{{" not in html


def test_an_eleventy_site_with_its_own_feed_template_is_recognised(tmp_path: Path) -> None:
    # eleventy-base-blog 8 and earlier: CommonJS config, metadata in _data, a feed.njk.
    site = tmp_path / "eleventy"
    shutil.copytree(SITES / "eleventy", site)
    (site / "eleventy.config.js").unlink()
    (site / ".eleventy.js").write_text(
        "module.exports = function (eleventyConfig) {\n"
        '  return { dir: { input: "content", data: "../_data" } };\n};\n'
    )
    (site / "_data" / "metadata.js").write_text(
        'module.exports = {\n  title: "Eleventy Test Site",\n'
        '  url: "https://eleventy.example.org/",\n  language: "en",\n};\n'
    )
    (site / "content" / "feed").mkdir()
    (site / "content" / "feed" / "feed.njk").write_text(
        "---\neleventyExcludeFromCollections: true\n---\n"
        "{%- for post in collections.posts | reverse %}{{ post.url }}{% endfor %}\n"
    )
    items, output = _build(site)
    expected = json.loads((site / "expected.json").read_text(encoding="utf-8"))["items"]
    assert sorted(i["id"] for i in items) == sorted(e["id"] for e in expected)


def test_hugo_feeds_per_language_hold_what_its_language_feeds_hold(tmp_path: Path) -> None:
    site = tmp_path / "hugo"
    shutil.copytree(SITES / "hugo", site)
    _build(site)  # writes feedtool.toml
    turn_on_language_feeds(site)
    _build_in(site, "2026-01-01T00:00:00Z")
    french = json.loads(feed_file(site, "json", "languages/fr").read_text())
    # Hugo 0.111's /fr/index.xml for this site: one item.
    assert [(i["id"], i["url"], i["title"], i["date_published"]) for i in french["items"]] == [
        (
            "https://hugo.example.org/fr/2024/01/premier-billet/",
            "https://hugo.example.org/fr/2024/01/premier-billet/",
            "Premier billet",
            "2024-01-05T10:00:00+01:00",
        )
    ]
    atom = feed_file(site, "atom", "languages/fr").read_text(encoding="utf-8")
    assert 'hreflang="en" href="https://hugo.example.org/2024/01/first-post/"' in atom


def test_an_id_in_front_matter_wins_over_the_generators_scheme(tmp_path: Path) -> None:
    site = tmp_path / "jekyll"
    shutil.copytree(SITES / "jekyll", site)
    post = site / "_posts" / "2024-03-15-own-permalink.md"
    post.write_text(post.read_text().replace("---\n", "---\nid: urn:example:kept\n", 1))
    items, _output = _build(site)
    assert "urn:example:kept" in [i["id"] for i in items]


def _age(site: Path) -> None:
    """Every file of the site a minute old: files written just now are never answered
    "nothing changed" from their stamps (their times are too coarse to trust)."""
    for path in [site, *site.rglob("*")]:
        when = path.lstat().st_mtime_ns - 60 * 1_000_000_000
        os.utime(path, ns=(when, when), follow_symlinks=False)


# A file each generator reads that a listing of feedtool's own sites leaves out (Pelican
# has none: any post of its content folder).
_HIDDEN_INPUT = {
    "hugo": "content/posts/_index.md",
    "jekyll": "_posts",
    "pelican": "content",
    "zola": "content/blog/_index.md",
    "eleventy": "content/blog/blog.11tydata.js",
}


@pytest.mark.parametrize("generator", GENERATORS)
def test_a_dialect_site_with_nothing_changed_is_answered_without_reading(
    generator: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedtool.read import dialects

    site = tmp_path / generator
    shutil.copytree(SITES / generator, site)
    expected = json.loads((site / "expected.json").read_text(encoding="utf-8"))
    assert CliRunner().invoke(cli, ["init", "--from", str(site)]).exit_code == 0
    _age(site)
    reads: list[str] = []
    read_source = dialects.read_source

    def counted(source: Source, *rest: Any) -> Loaded | None:
        reads.append(source.path)
        return read_source(source, *rest)

    monkeypatch.setattr(dialects, "read_source", counted)
    monkeypatch.chdir(site)

    def build() -> tuple[Result, dict[str, bytes]]:
        result = CliRunner().invoke(cli, ["build", "--now", expected["now"]])
        assert result.exit_code == 0, result.output
        files = {fmt: feed_file(site, fmt).read_bytes() for fmt in ("rss", "atom", "json")}
        return result, files

    build()
    assert reads  # the first build reads every article
    reads.clear()
    _, first = build()
    assert reads == []  # nothing changed: answered from the last build's summary
    # A file only the generator's own rules read (hidden from a plain site's listing)
    # changes: the next build reads again.
    hidden = site / _HIDDEN_INPUT[generator]
    touched = hidden if hidden.is_file() else sorted(hidden.rglob("*.md"))[0]
    os.utime(touched, ns=(0, touched.stat().st_mtime_ns + 1))
    _, again = build()
    assert reads != []
    assert again == first  # the same bytes: only the time moved


@pytest.mark.parametrize("key", ["expiryDate", "publishDate"])
def test_a_hugo_page_leaving_or_coming_into_view_is_no_nothing_changed(
    key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hugo leaves a page out after its expiryDate and before its publishDate: the build's
    # summary holds from the last such time to the next, not for ever.
    site = tmp_path / "hugo"
    shutil.copytree(SITES / "hugo", site)
    assert CliRunner().invoke(cli, ["init", "--from", str(site)]).exit_code == 0
    page = site / "content" / "posts" / "timed.md"
    meta = f'title: "Timed"\ndate: 2025-06-01T00:00:00Z\n{key}: 2026-01-02T00:00:00Z'
    page.write_text(f"---\n{meta}\n---\nText.\n")
    _age(site)
    monkeypatch.chdir(site)
    shown = []
    for now in ("2026-01-01T00:00:00Z", "2026-01-01T12:00:00Z", "2026-01-03T00:00:00Z"):
        result = CliRunner().invoke(cli, ["build", "--now", now])
        assert result.exit_code == 0, result.output
        shown.append("Timed" in feed_file(site, "json").read_text(encoding="utf-8"))
    # Shown until it expires, or from when it is published.
    assert shown == ([True, True, False] if key == "expiryDate" else [False, False, True])


def test_a_dot_folder_include_names_is_in_the_nothing_changed_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "jekyll"
    shutil.copytree(SITES / "jekyll", site)
    assert CliRunner().invoke(cli, ["init", "--from", str(site)]).exit_code == 0
    config = site / "feedtool.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('include = ["', 'include = [".archive/_posts/**", "'))
    post = site / ".archive" / "_posts" / "2024-05-01-kept-apart.md"
    post.parent.mkdir(parents=True)
    post.write_text("---\ntitle: Kept apart\n---\nText.\n")
    _age(site)
    monkeypatch.chdir(site)
    for _ in range(2):
        assert CliRunner().invoke(cli, ["build", "--now", "2026-01-01T00:00:00Z"]).exit_code == 0
    assert "Kept apart" in feed_file(site, "json").read_text(encoding="utf-8")
    post.write_text("---\ntitle: Renamed\n---\nText.\n")
    _age(post)
    assert CliRunner().invoke(cli, ["build", "--now", "2026-01-01T00:00:00Z"]).exit_code == 0
    assert "Renamed" in feed_file(site, "json").read_text(encoding="utf-8")


def test_an_expired_pages_late_update_is_refused_when_the_clock_goes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page hidden by its expiryDate is checked for a late lastmod like any page: the
    cache's "nothing changed" answer must not pass a build the full one refuses."""
    site = tmp_path / "hugo"
    shutil.copytree(SITES / "hugo", site)
    assert CliRunner().invoke(cli, ["init", "--from", str(site)]).exit_code == 0
    (site / "content" / "posts" / "timed.md").write_text(
        "---\ntitle: Timed\ndate: 2025-06-01T00:00:00Z\nexpiryDate: 2025-12-01T00:00:00Z\n"
        "lastmod: 2026-01-01T12:00:00Z\n---\nText.\n"
    )
    _age(site)
    monkeypatch.chdir(site)
    assert CliRunner().invoke(cli, ["build", "--now", "2026-01-01T00:00:00Z"]).exit_code == 0
    earlier = ["build", "--now", "2025-12-20T00:00:00Z"]
    cached = CliRunner().invoke(cli, earlier)
    full = CliRunner().invoke(cli, [*earlier, "--no-cache"])
    assert full.exit_code == cached.exit_code == 1
    assert "more than a day after the build" in cached.output
