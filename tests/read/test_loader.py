"""Files to Articles: formats, metadata keys, sidecars, encodings, and bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from conftest import Site
from feedtool.config import config_from_mapping
from feedtool.errors import ContentError, FeedtoolError
from feedtool.read.metadata import load_article, load_articles

CONFIG = config_from_mapping({"base_url": "https://example.org/blog/", "timezone": "Europe/Berlin"})


def load_one(site: Site, name: str, text: str):  # type: ignore[no-untyped-def]
    return load_article(site.write(name, text, dedent=False), CONFIG)


def test_markdown_html_and_text_bodies(site: Site) -> None:
    from feedtool.read.body_text import read_body
    from feedtool.render.body_html import make_entry

    md = load_one(site, "m.md", "---\ntitle: M\ndate: 2025-01-01\n---\n# Head\n\n*em* | a\n")
    html = load_one(site, "h.htm", "---\ntitle: H\ndate: 2025-01-01\n---\n<p>Hi <b>there</b></p>")
    txt = load_one(
        site, "t.txt", "---\ntitle: T\ndate: 2025-01-01\n---\nOne <b>\nline\n\n\nTwo & three\n"
    )
    assert make_entry(md, read_body(md.body)).content_html.startswith(
        "<h1>Head</h1>\n<p><em>em</em>"
    )
    assert make_entry(html, read_body(html.body)).content_html == "<p>Hi <b>there</b></p>"
    assert (
        make_entry(txt, read_body(txt.body)).content_html
        == "<p>One &lt;b&gt;\nline</p>\n<p>Two &amp; three</p>"
    )


def test_toml_front_matter_and_every_key(site: Site) -> None:
    article = load_one(
        site,
        "2025-02-03-my-post.md",
        '+++\ntitle = "T"\ndate = 2025-02-03T04:05:06+02:00\nupdated = 2025-02-04\n'
        'id = "urn:x:1"\nslug = "custom"\nauthors = ["A <a@x.org>", {name = "B", uri = "https://b.org/"}]\n'
        'summary = "S"\ntags = ["t1", "t2", "t1"]\ncategories = "c1, c2"\ndraft = false\n'
        'image = "/i.png"\nlang = "de"\n[[enclosures]]\nurl = "https://x.org/a.mp3"\n'
        'type = "audio/mpeg"\nlength = 10\n+++\nbody\n',
    )
    assert article.title == "T"
    assert article.published == datetime(2025, 2, 3, 2, 5, 6, tzinfo=UTC)
    assert article.updated == datetime(2025, 2, 4, tzinfo=timezone(timedelta(hours=1)))
    assert article.id == "urn:x:1"
    assert article.slug == "custom"
    assert article.link == "https://example.org/blog/custom/"
    assert [(a.name, a.email, a.uri) for a in article.authors] == [
        ("A", "a@x.org", None),
        ("B", None, "https://b.org/"),
    ]
    assert article.summary == "S"
    assert article.tags == ("t1", "t2")
    assert article.categories == ("c1", "c2")
    assert article.draft is False
    assert article.image == "https://example.org/i.png"  # absolute, like links in the body
    assert article.lang == "de"
    assert [(e.url, e.type, e.length) for e in article.enclosures] == [
        ("https://x.org/a.mp3", "audio/mpeg", 10)
    ]


@pytest.mark.parametrize(
    ("suffix", "text"),
    [
        (".yaml", "title: Side\ndate: 2025-01-01 10:00\n"),
        (".yml", "title: Side\ndate: 2025-01-01 10:00\n"),
        (".toml", 'title = "Side"\ndate = 2025-01-01T10:00:00\n'),
        (".json", '{"title": "Side", "date": "2025-01-01T10:00:00"}'),
    ],
)
def test_sidecar_metadata(site: Site, suffix: str, text: str) -> None:
    site.write("2025-01-01-side" + suffix, text, dedent=False)
    body = site.write("2025-01-01-side.txt", "Just text.\n", dedent=False)
    article = load_article(body, CONFIG)
    assert article.title == "Side"
    assert article.slug == "side"
    # No offset: the site's time zone (Berlin is UTC+1 in January).
    assert article.published == datetime(2025, 1, 1, 9, tzinfo=UTC)


def test_bom_and_crlf(site: Site) -> None:
    path = site.content / "w.md"
    path.write_bytes(
        "\ufeff---\r\ntitle: Windows\r\ndate: 2025-01-01\r\n---\r\n"
        "Line one\r\n\r\nLine two\r\n".encode()
    )
    article = load_article(path, CONFIG)
    assert article.title == "Windows"


def test_default_slug_and_link_patterns(site: Site) -> None:
    config = config_from_mapping(
        {"base_url": "https://example.org", "permalink": "/{year}/{month}/{day}/{slug}.html"}
    )
    path = site.write(
        "2025-07-08-Hello World.md",
        "---\ntitle: x\ndate: 2025-07-08T12:00:00Z\n---\n",
        dedent=False,
    )
    article = load_article(path, config)
    assert article.slug == "Hello-World"
    assert article.link == "https://example.org/2025/07/08/Hello-World.html"
    explicit = site.write(
        "e.md", "---\ntitle: x\ndate: 2025-07-08\nlink: /elsewhere/page\n---\n", dedent=False
    )
    assert load_article(explicit, config).link == "https://example.org/elsewhere/page"


def test_hidden_files_and_sidecars_are_not_articles(site: Site) -> None:
    site.article("_partial.md")
    site.article(".hidden.md")
    site.article("_drafts/x.md")
    site.article("real.md")
    site.write("notes.yaml", "title: not an article\n")
    articles, problems = load_articles(site.content, CONFIG)
    assert problems == []
    assert [a.slug for a in articles] == ["real"]


def test_subfolders_are_searched(site: Site) -> None:
    site.article("a/b/deep.markdown")
    articles, _ = load_articles(site.content, CONFIG)
    assert [a.slug for a in articles] == ["deep"]


BAD = [
    ("no-title.md", "---\ndate: 2025-01-01\n---\n", "title: is required"),
    (
        "list-title.md",
        "---\ntitle: [a, b]\ndate: 2025-01-01\n---\n",
        ":2: title: expected text, got a list",
    ),
    ("no-date.md", "---\ntitle: x\n---\n", "date: is required"),
    (
        "bad-date.md",
        "---\ntitle: x\ndate: next tuesday\n---\n",
        ':3: date: cannot read "next tuesday"',
    ),
    ("impossible.md", "---\ntitle: x\ndate: 2025-02-30\n---\n", ":3: date: "),
    ("partial.md", "---\ntitle: x\ndate: March 2025\n---\n", "is not a whole date"),
    ("yaml.md", "---\ntitle: x\n  bad: [\ndate: 2025\n---\n", "YAML does not parse"),
    ("toml.md", '+++\ntitle = "x\n+++\n', "TOML does not parse"),
    (
        "open.md",
        "---\ntitle: x\ndate: 2025-01-01\n",
        ":1: front matter opened with '---' on line 1 is never closed",
    ),
    ("scalar.md", "---\njust a string\n---\n", "metadata must be a mapping"),
    (
        "encl.md",
        "---\ntitle: x\ndate: 2025-01-01\nenclosures: [{type: audio/mpeg}]\n---\n",
        "enclosures: an enclosure needs a url",
    ),
    ("author.md", "---\ntitle: x\ndate: 2025-01-01\nauthor: 42\n---\n", "author: expected"),
    (
        "draft.md",
        "---\ntitle: x\ndate: 2025-01-01\ndraft: maybe\n---\n",
        "draft: expected true or false",
    ),
    ("slug.md", "---\ntitle: x\ndate: 2025-01-01\nslug: a/b\n---\n", 'slug: "a/b" cannot be used'),
    (
        "upd.md",
        "---\ntitle: x\ndate: 2025-01-02\nupdated: 2025-01-01\n---\n",
        "updated: is earlier than date",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_articles_name_file_and_field(site: Site, name: str, text: str, message: str) -> None:
    path = site.write(name, text, dedent=False)
    with pytest.raises(FeedtoolError) as info:
        load_article(path, CONFIG)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_not_utf8_names_the_line(site: Site) -> None:
    path = site.content / "latin1.md"
    path.write_bytes(b"---\ntitle: x\ndate: 2025-01-01\n---\ncaf\xe9\n")
    with pytest.raises(ContentError, match=r"latin1.md:5: not UTF-8 text \(byte 0xe9"):
        load_article(path, CONFIG)


def test_front_matter_and_sidecar_together_is_an_error(site: Site) -> None:
    site.write("x.yaml", "title: a\n")
    path = site.article("x.md")
    with pytest.raises(ContentError, match="has front matter and a sidecar file x.yaml"):
        load_article(path, CONFIG)


def test_all_problems_are_collected_including_clashes(site: Site) -> None:
    site.article("2025-01-01-same.md", title="One")
    site.article("2025-01-02-same.md", title="Two")
    site.article("x.md", id="urn:test:dup")
    site.article("y.md", id="urn:test:dup")
    site.write("broken.md", "---\ntitle: x\n---\n", dedent=False)
    articles, problems = load_articles(site.content, CONFIG)
    messages = [str(p) for p in problems]
    assert len(articles) == 4
    assert len(messages) == 3
    assert any("broken.md: date: is required" in m for m in messages)
    assert any(
        "2025-01-02-same.md: slug: same URL" in m and "2025-01-01-same.md" in m for m in messages
    )
    assert any('y.md: id: same id "urn:test:dup" as' in m for m in messages)


def test_with_a_sidecar_a_first_line_rule_is_body(site: Site) -> None:
    from feedtool.read.body_text import read_body
    from feedtool.render.body_html import make_entry

    site.write("rule.yaml", "title: Rule\ndate: 2025-01-01\n")
    path = site.write("rule.md", "---\nText after a rule.\n", dedent=False)
    article = load_article(path, CONFIG)
    assert (
        make_entry(article, read_body(article.body)).content_html
        == "<hr>\n<p>Text after a rule.</p>\n"
    )


def test_every_problem_of_one_article_is_reported(site: Site) -> None:
    site.write("many.md", "---\ntitle: [x]\ndate: never\ntags: 3\nslug: a/b\n---\n", dedent=False)
    _, problems = load_articles(site.content, CONFIG)
    assert [(p.line, p.field) for p in problems] == [
        (2, "title"),
        (3, "date"),
        (4, "tags"),
        (5, "slug"),
    ]


def test_surrogate_escapes_in_yaml(site: Site) -> None:
    # libyaml refuses \ud83d escapes; the pure-Python loader reads them, and pairs are joined.
    path = site.write(
        "s.md",
        '---\ntitle: "smile \\ud83d\\ude00 lone \\ud800 end"\ndate: 2025-01-01\n---\n',
        dedent=False,
    )
    assert load_article(path, CONFIG).title == "smile \U0001f600 lone  end"


@pytest.mark.parametrize(
    ("written", "title"),
    [
        ("2026", "2026"),
        ("1.10", "1.10"),
        ("2026-01-01", "2026-01-01"),
        ("Yes", "Yes"),
        ("off  # a comment", "off"),
        ('"yes"', "yes"),
    ],
)
def test_a_title_yaml_reads_as_a_number_date_or_true_is_taken_as_written(
    site: Site, written: str, title: str
) -> None:
    text = f"---\ntitle: {written}\ndate: 2025-01-01\n---\nBody\n"
    assert load_article(site.write("a.md", text, dedent=False), CONFIG).title == title
