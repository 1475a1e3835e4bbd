"""Rules of the generators that real sites showed feedtool read wrong (issue 20).

Each case is a small site written here, one rule each; the expected values were taken once
from the real generator run on the same files (named in each case: Hugo 0.111.3, Jekyll
4.3.1 with jekyll-feed 0.17.0, Eleventy 3.0.0 with eleventy-plugin-rss 2.0.3, Pelican
4.12.0), not by CI. ``benchmarks/switching.py`` checks the five public sites themselves.
"""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner, Result
from lxml import etree

from conftest import TESTS, feed_file, run_in, turn_on_language_feeds
from feedtool.cli import cli
from feedtool.read.dialects.pelican import slugify
from feedtool.read.dialects.smartypants import smartify

NOW = "2026-01-01T00:00:00Z"

HUGO_URL = {
    "hugo.toml": 'baseURL = "https://hugo.example.org/"\ntitle = "T"\n',
    "content/post/no-slash.md": (
        '---\ntitle: No slash\ndate: 2024-01-05\nurl: "post/no-slash"\n---\nA\n'
    ),
    "content/post/a-file.md": (
        '---\ntitle: A file\ndate: 2024-01-06\nurl: "/post/a-file.html"\n---\nB\n'
    ),
    "content/about.md": "---\ntitle: About\n---\nNo date.\n",
}
# Hugo 0.111.3's index.xml for HUGO_URL: these links (and guids); About dated 0001-01-01.
HUGO_URL_LINKS = [
    "https://hugo.example.org/post/a-file.html",
    "https://hugo.example.org/post/no-slash/",
]

JEKYLL = {
    "_config.yml": (
        'url: "https://jekyll.example.org"\ntitle: T\ntimezone: UTC\n'
        "exclude:\n  - _posts/2024-01-07-secret.md\n  - drafts-folder\n"
    ),
    "_posts/2024-01-05-protocol-relative.md": (
        '---\ntitle: Rock \'n\' roll -- "live"\nimage: "//cdn.example.org/a.png"\n---\nA\n'
    ),
    "_posts/2024-01-06-site-image.md": "---\ntitle: Site image\nimage: /img/b.png\n---\nB\n",
    "_posts/2024-01-07-secret.md": "---\ntitle: Secret\n---\nmeant to stay private\n",
}
# Jekyll 4.3.1 + jekyll-feed 0.17.0 on JEKYLL: two entries (the secret post is not built),
# titled "Rock ‘n’ roll – “live”" and "Site image".

PELICAN = {
    "pelicanconf.py": (
        'SITEURL = "https://pelican.example.org"\nSITENAME = "T"\nTIMEZONE = "UTC"\n'
        'PATH = "content"\nFEED_ALL_ATOM = "feeds/all.atom.xml"\n'
        'PLUGIN_PATHS = ["plugins"]\nPLUGINS = ["myreader"]\n'
    ),
    "plugins/myreader.py": (
        "from pelican import signals\n\n\ndef add(readers):\n    pass\n\n\n"
        "def register():\n    signals.readers_init.connect(add)\n"
    ),
    "content/fenced.md": "---\ntitle: L'horizon d_un été\ndate: 2024-01-05\n---\nA\n",
    "content/own-url.md": "Title: Own URL\nDate: 2024-01-06\nUrl: elsewhere/own/\n\nB\n",
    "content/plain.md": "Title: Plain\nDate: 2024-01-07\nTags: a,\n    b\n\nC\n",
    "content/saved.rst": (
        "Saved elsewhere\n###############\n\n:date: 2024-01-08\n:url: notes/saved/\n"
        ":save_as: notes/saved/index.html\n\nD\n"
    ),
}
# Pelican 4.12.0's feeds/all.atom.xml for PELICAN (PLUGINS = [] there, as ours is a stub).
PELICAN_ITEMS = {
    ("tag:pelican.example.org,2024-01-05:/lhorizon-d_un-ete.html", "L'horizon d_un été"),
    ("tag:pelican.example.org,2024-01-06:/elsewhere/own/", "Own URL"),
    ("tag:pelican.example.org,2024-01-07:/plain.html", "Plain"),
    ("tag:pelican.example.org,2024-01-08:/notes/saved/", "Saved elsewhere"),
}


def write_site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def init_and_build(site: Path, *extra: str) -> tuple[Result, Result]:
    """`init --from` then `build` inside the site, as its owner would run them."""
    init = CliRunner().invoke(cli, ["init", "--from", str(site)])
    assert init.exit_code == 0, init.output
    return init, build_in(site, *extra)


def build_in(site: Path, *extra: str) -> Result:
    return run_in(site, "build", "--now", NOW, "--no-cache", *extra)


def feed_items(site: Path) -> list[dict[str, str]]:
    items: list[dict[str, str]] = json.loads(feed_file(site, "json").read_text(encoding="utf-8"))[
        "items"
    ]
    return items


def test_hugo_url_without_a_trailing_slash_is_a_folder_as_hugo_publishes_it(
    tmp_path: Path,
) -> None:
    site = write_site(tmp_path / "hugo", HUGO_URL)
    _init, build = init_and_build(site)
    assert build.exit_code == 0, build.output
    assert sorted(i["url"] for i in feed_items(site)) == HUGO_URL_LINKS
    assert sorted(i["id"] for i in feed_items(site)) == HUGO_URL_LINKS


def test_a_hugo_page_without_a_date_is_named_not_dropped_silently(tmp_path: Path) -> None:
    site = write_site(tmp_path / "hugo", HUGO_URL)
    _init, build = init_and_build(site)
    assert "content/about.md: date: none, so Hugo's feed dates it 0001-01-01" in build.output


def test_eleventy_collection_limit_0_is_no_limit(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "eleventy",
        {
            "eleventy.config.js": (
                'import { feedPlugin } from "@11ty/eleventy-plugin-rss";\n'
                "export default function (c) {\n  c.addPlugin(feedPlugin, {\n"
                '    collection: { name: "posts", limit: 0 },\n'
                '    metadata: { title: "T", base: "https://e.example.org/" },\n  });\n}\n'
            ),
            "posts/2024-01-05-a.md": "---\ntitle: A\ntags: posts\n---\nA\n",
        },
    )
    init, build = init_and_build(site)
    config = (site / "feedtool.toml").read_text(encoding="utf-8")
    assert "limit = 0" not in config and "limit = 1000" in config
    assert build.exit_code == 0, build.output


def test_jekyll_protocol_relative_image_gets_the_sites_scheme_and_exclude_names_files(
    tmp_path: Path,
) -> None:
    site = write_site(tmp_path / "jekyll", JEKYLL)
    _init, build = init_and_build(site)
    assert build.exit_code == 0, build.output
    items = {i["title"]: i for i in feed_items(site)}
    assert sorted(items) == ["Rock \u2018n\u2019 roll \u2013 \u201clive\u201d", "Site image"]
    assert items["Rock \u2018n\u2019 roll \u2013 \u201clive\u201d"]["image"] == (
        "https://cdn.example.org/a.png"
    )
    assert items["Site image"]["image"] == "https://jekyll.example.org/img/b.png"


def test_a_bad_image_costs_only_its_item_with_keep_going(tmp_path: Path) -> None:
    files = {**JEKYLL, "_posts/2024-01-08-bad.md": '---\ntitle: Bad\nimage: "http://[::1"\n---\n'}
    site = write_site(tmp_path / "jekyll", files)
    _init, build = init_and_build(site, "--keep-going")
    assert build.exit_code == 0, build.output
    assert 'warning: _posts/2024-01-08-bad.md:3: image: "http://[::1"' in build.output
    assert len(feed_items(site)) == 2  # the others are published


@pytest.mark.parametrize(
    "case",
    json.loads((TESTS / "data" / "sites" / "jekyll-smartify.json").read_text("utf-8"))["cases"],
    ids=lambda case: case["title"][:30],
)
def test_jekyll_titles_are_smartified_as_jekyll_feed_shows_them(case: dict[str, str]) -> None:
    assert smartify(case["title"]) == case["shown"]


def test_pelican_fenced_metadata_slugs_and_url_metadata(tmp_path: Path) -> None:
    site = write_site(tmp_path / "pelican", PELICAN)
    init, build = init_and_build(site)
    assert build.exit_code == 0, build.output
    assert {(i["id"], i["title"]) for i in feed_items(site)} == PELICAN_ITEMS
    assert "limit = 100\n" in (site / "feedtool.toml").read_text(encoding="utf-8")
    assert "warning: PLUGINS: myreader adds a reader of its own" in init.output


def test_pelican_slugify_follows_its_default_substitutions() -> None:
    # pelican.utils.slugify with the default SLUG_REGEX_SUBSTITUTIONS (Pelican 4.12.0).
    assert slugify("L'horizon") == "lhorizon"
    assert slugify("snake_case  and -- dashes") == "snake_case-and-dashes"
    assert slugify("Crème brûlée <b>!</b>") == "creme-brulee"


def test_a_translated_entry_opens_in_its_own_language_in_every_reader(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "pelican",
        {
            "pelicanconf.py": 'SITEURL = "https://p.example.org"\nSITENAME = "T"\n'
            'TIMEZONE = "UTC"\nDEFAULT_LANG = "en"\n',
            "content/a.md": "Title: Hello\nDate: 2024-01-05\nSlug: hello\n\nHi\n",
            "content/a-fr.md": "Title: Bonjour\nDate: 2024-01-05\nSlug: hello\nLang: fr\n\nSalut\n",
        },
    )
    _init, build = init_and_build(site)
    assert build.exit_code == 0, build.output
    atom = feed_file(site, "atom").read_bytes()
    entries = {e.title: e for e in feedparser.parse(atom).entries}
    # feedparser and newsboat take an entry's last alternate link, sfeed and the JavaScript
    # readers its first (checked with the reader harness): both are the entry's own.
    assert entries["Hello"].link == "https://p.example.org/hello.html"
    assert entries["Bonjour"].link == "https://p.example.org/hello-fr.html"
    atom_ns = "{http://www.w3.org/2005/Atom}"
    for entry in etree.fromstring(atom).iter(f"{atom_ns}entry"):
        own = entries[entry.findtext(f"{atom_ns}title")].link
        links = [x.get("href") for x in entry.iter(f"{atom_ns}link") if x.get("rel") == "alternate"]
        assert links[0] == links[-1] == own and len(links) == 3


HUGO_DATES = {
    "hugo.toml": (
        'baseURL = "https://hugo.example.org/"\ntitle = "T"\n'
        '[permalinks]\n  posts = "/:year/:month/:slug/"\n'
        '[author]\n  name = "Ann Author"\n  email = "ann@example.org"\n'
    ),
    "netlify.toml": '[build.environment]\n  HUGO_VERSION = "0.111.3"\n',
    "content/posts/later.md": (
        "---\ntitle: Later\nslug: later\ndate: 2023-12-30T10:00:00Z\n"
        "publishDate: 2024-01-05T10:00:00Z\n---\nA\n"
    ),
}
# Hugo 0.111.3's index.xml for HUGO_DATES: the link from date, the item dated by date too.
HUGO_DATES_ITEM = (
    "https://hugo.example.org/2023/12/later/",
    "2023-12-30T10:00:00+00:00",
)


def test_hugo_builds_the_link_from_date_even_where_publish_date_dates_the_item(
    tmp_path: Path,
) -> None:
    site = write_site(tmp_path / "hugo", HUGO_DATES)
    init, build = init_and_build(site)
    assert build.exit_code == 0, build.output
    [item] = feed_items(site)
    assert (item["url"], item["date_published"]) == HUGO_DATES_ITEM
    assert item["id"] == item["url"]
    feed = json.loads(feed_file(site, "json").read_text(encoding="utf-8"))
    assert feed["authors"][0]["name"] == "Ann Author"
    # Hugo 0.125 and later date the item by publishDate; the link stays the same.
    later = write_site(tmp_path / "later", {**HUGO_DATES, "netlify.toml": ""})
    init_and_build(later)
    [item] = feed_items(later)
    assert (item["url"], item["date_published"]) == (
        HUGO_DATES_ITEM[0],
        "2024-01-05T10:00:00+00:00",
    )


JEKYLL_COLLECTIONS = {
    "_config.yml": (
        'url: "https://jekyll.example.org"\nname: Named Site\ntimezone: UTC\n'
        'permalink: date\ncollections:\n  posts:\n    permalink: "/blog/:year/:title/"\n'
        "  notes:\n    output: true\n"
        "feed:\n  collections:\n    - notes\n"
    ),
    "_posts/2024-01-05-hello.md": (
        "---\ntitle: Hello\n---\nSee [the note]({% link _notes/first.md %}).\n"
    ),
    "_notes/first.md": "---\ntitle: First note\n---\nA note.\n",
}
# Jekyll 4.3.1 + jekyll-feed 0.17.0 on JEKYLL_COLLECTIONS: feed.xml titled "Named Site",
# one entry: id https://jekyll.example.org/blog/2024/hello, link .../blog/2024/hello/,
# its body links /notes/first.html (feedtool writes it absolute); feed/notes.xml for the notes.


def test_jekyll_posts_collection_permalink_name_and_collection_links(tmp_path: Path) -> None:
    site = write_site(tmp_path / "jekyll", JEKYLL_COLLECTIONS)
    init, build = init_and_build(site)
    assert build.exit_code == 0, build.output
    [item] = feed_items(site)
    assert item["id"] == "https://jekyll.example.org/blog/2024/hello"
    assert item["url"] == "https://jekyll.example.org/blog/2024/hello/"
    assert 'href="https://jekyll.example.org/notes/first.html"' in item["content_html"]
    feed = json.loads(feed_file(site, "json").read_text(encoding="utf-8"))
    assert feed["title"] == "Named Site"
    assert "warning: feed.collections: jekyll-feed writes a feed of its own for the 'notes'" in (
        init.output
    )


ELEVENTY_FOLDER_PAGE = {
    "eleventy.config.js": (
        'import { feedPlugin } from "@11ty/eleventy-plugin-rss";\n'
        "export default function (c) {\n  c.addPlugin(feedPlugin, {\n"
        '    type: "atom", outputPath: "/feed.xml",\n'
        '    collection: { name: "posts", limit: 0 },\n'
        '    metadata: { title: "T", base: "https://e.example.org/" },\n  });\n}\n'
    ),
    "blog/trip/trip.md": "---\ntitle: Trip\ntags: posts\ndate: 2024-01-05\n---\nA\n",
    "blog/other/note.md": "---\ntitle: Note\ntags: posts\ndate: 2024-01-06\n---\nB\n",
}
# Eleventy 3.0.0 + eleventy-plugin-rss 2.0.3 on ELEVENTY_FOLDER_PAGE: these entry links.
ELEVENTY_FOLDER_LINKS = [
    "https://e.example.org/blog/other/note/",
    "https://e.example.org/blog/trip/",
]


def test_eleventy_publishes_a_file_named_like_its_folder_at_the_folder(tmp_path: Path) -> None:
    site = write_site(tmp_path / "eleventy", ELEVENTY_FOLDER_PAGE)
    _init, build = init_and_build(site)
    assert build.exit_code == 0, build.output
    assert sorted(i["url"] for i in feed_items(site)) == ELEVENTY_FOLDER_LINKS


def test_a_pelican_article_without_a_title_is_named(tmp_path: Path) -> None:
    files = {**PELICAN, "content/untitled.md": "Date: 2024-01-08\n\nNo title.\n"}
    site = write_site(tmp_path / "pelican", files)
    _init, build = init_and_build(site)
    assert "content/untitled.md: title: none, so Pelican skips it" in build.output


HUGO_CONTENT_DIRS = {
    "hugo.toml": (
        'baseURL = "https://hugo.example.org/"\ntitle = "T"\ndefaultContentLanguage = "en"\n'
        '[languages.en]\n  contentDir = "content/english"\n  weight = 1\n'
        '[languages.fr]\n  contentDir = "content/french"\n  weight = 2\n'
    ),
    "content/english/posts/hello.md": "---\ntitle: Hello\ndate: 2024-01-05\n---\nA\n",
    "content/french/posts/hello.md": "---\ntitle: Bonjour\ndate: 2024-01-05\n---\nB\n",
    "content/french/posts/seul.md": "---\ntitle: Seul\ndate: 2024-01-06\n---\nC\n",
}
# Hugo 0.111.3 on HUGO_CONTENT_DIRS: index.xml holds /posts/hello/; fr/index.xml holds
# /fr/posts/seul/ and /fr/posts/hello/.


def test_hugo_reads_each_languages_own_content_dir(tmp_path: Path) -> None:
    site = write_site(tmp_path / "hugo", HUGO_CONTENT_DIRS)
    init, build = init_and_build(site)
    assert build.exit_code == 0, build.output
    assert [i["url"] for i in feed_items(site)] == ["https://hugo.example.org/posts/hello/"]
    atom = feed_file(site, "atom").read_text(encoding="utf-8")
    assert 'hreflang="fr" href="https://hugo.example.org/fr/posts/hello/"' in atom
    turn_on_language_feeds(site)
    result = build_in(site)
    assert result.exit_code == 0, result.output
    french = json.loads(feed_file(site, "json", "languages/fr").read_text())
    assert sorted(i["url"] for i in french["items"]) == [
        "https://hugo.example.org/fr/posts/hello/",
        "https://hugo.example.org/fr/posts/seul/",
    ]


def test_a_hugo_page_hidden_in_rss_is_left_out_as_papermods_feed_does(tmp_path: Path) -> None:
    # PaperMod's layouts/rss.xml (its master branch, built with Hugo 0.111.3) leaves out
    # pages with hiddenInRss: true.
    files = {
        **HUGO_URL,
        "content/hidden.md": "---\ntitle: H\ndate: 2024-01-07\nhiddenInRss: true\n---\n",
    }
    site = write_site(tmp_path / "hugo", files)
    _init, build = init_and_build(site)
    assert build.exit_code == 0, build.output
    assert "https://hugo.example.org/hidden/" not in [i["url"] for i in feed_items(site)]
