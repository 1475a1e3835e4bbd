"""Summary-only feeds (issue 23 item 1): item_content = "summary", site-wide or per article.

RSS keeps its description (the summary) either way; content:encoded, Atom content and JSON
Feed content_html carry the summary and a link to the article instead of the whole text.
"""

from __future__ import annotations

import json

from conftest import Site
from feedtool.render.body_html import READ_MORE

LONG = "First paragraph, <em>short</em>.\n\nSecond paragraph, [secret](/s) text.\n"


def _items(site: Site) -> dict[str, dict[str, str]]:
    """Per feed format: what the item's content and summary carry, as feedparser reads them."""
    rss = site.parsed("rss.xml").entries[0]
    atom = site.parsed("atom.xml").entries[0]
    item = json.loads((site.output / "feed.json").read_bytes())["items"][0]
    return {
        "rss": {"content": rss.content[0].value, "summary": rss.summary},
        "atom": {"content": atom.content[0].value, "summary": atom.summary},
        "json": {"content": item["content_html"], "summary": item.get("summary", "")},
    }


def test_site_wide_summary_uses_the_first_paragraph_and_links(site: Site) -> None:
    site.configure(item_content="summary")
    site.article("post.md", body=LONG, slug="post")
    site.build()
    for name, item in _items(site).items():
        assert "First paragraph" in item["content"], name
        assert "Second paragraph" not in item["content"], name
        assert "secret" not in item["content"], name
        assert READ_MORE in item["content"], name
        assert "https://example.org/blog/post/" in item["content"], name
        assert item["summary"] == "First paragraph, short.", name


def test_the_articles_own_summary_comes_first(site: Site) -> None:
    site.configure(item_content="summary")
    site.article("post.md", body=LONG, summary="'Mine <b>as text</b>'")
    site.build()
    for name, item in _items(site).items():
        assert "Mine &lt;b&gt;as text&lt;/b&gt;" in item["content"], name
        assert "First paragraph" not in item["content"], name
    # RSS's description is HTML: the text comes back escaped, as written.
    items = _items(site)
    assert items["atom"]["summary"] == items["json"]["summary"] == "Mine <b>as text</b>"


def test_the_more_marker_ends_the_excerpt(site: Site) -> None:
    site.article(
        "post.md",
        body="One <script>x()</script>.\n\nTwo.\n\n<!--more-->\n\nThree.",
        item_content="summary",
    )
    site.build()
    for name, item in _items(site).items():
        assert "One" in item["content"] and "Two." in item["content"], name
        assert "Three" not in item["content"] and "script" not in item["content"], name


def test_zolas_spaced_more_marker_too(site: Site) -> None:
    site.article("post.md", body="One.\n\nTwo.\n\n<!-- more -->\n\nThree.", item_content="summary")
    site.build()
    content = _items(site)["json"]["content"]
    assert "Two." in content and "Three" not in content


def test_an_article_can_choose_full_text_on_a_summary_site_and_back(site: Site) -> None:
    site.configure(item_content="summary")
    site.article("a.md", body=LONG, item_content="full", date="2025-01-02T00:00:00Z")
    site.build()
    assert "Second paragraph" in _items(site)["rss"]["content"]
    site.configure()  # full, the default
    site.article("a.md", body=LONG, item_content="summary", date="2025-01-02T00:00:00Z")
    site.build()
    assert "Second paragraph" not in _items(site)["rss"]["content"]


def test_full_stays_the_default(site: Site) -> None:
    site.article("post.md", body=LONG)
    site.build()
    for name, item in _items(site).items():
        assert "Second paragraph" in item["content"], name
        assert READ_MORE not in item["content"], name


def test_a_bad_value_is_one_line_against_its_key(site: Site) -> None:
    site.configure(item_content="excerpt")
    result = site.run("build")
    assert result.exit_code == 1
    assert 'item_content: expected "full" or "summary", got \'excerpt\'' in result.output
    site.configure()
    site.article("post.md", item_content="some")
    result = site.run("build")
    assert result.exit_code == 1
    assert "post.md:4: item_content: expected" in result.output


def test_the_cache_keeps_the_choice(site: Site) -> None:
    site.configure(item_content="summary")
    site.article("post.md", body=LONG)
    assert site.run("build").exit_code == 0
    first = (site.output / "rss.xml").read_bytes()
    (site.output / "rss.xml").unlink()
    assert site.run("build").exit_code == 0  # articles and entries from the cache
    assert (site.output / "rss.xml").read_bytes() == first
    assert b"Second paragraph" not in first
