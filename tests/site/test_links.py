"""feedtool links: the <link rel="alternate"> tags for a page's HTML head."""

from __future__ import annotations

from html.parser import HTMLParser

from click.testing import CliRunner, Result

from conftest import ROOT, Site
from feedtool.cli import cli


def run_links(site: Site, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["links", "--config", str(site.config_path), "--content", str(site.content), *args]
    )


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag == "link"
        self.links.append(dict(attrs))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data.strip())


def parse(output: str) -> _Links:
    parser = _Links()
    parser.feed(output)
    parser.close()
    return parser


def test_links_for_the_main_feeds(site: Site) -> None:
    site.configure(feeds_per=["tags"])
    result = run_links(site)
    assert result.exit_code == 0, result.output
    links = parse(result.output).links
    assert links == [
        {
            "rel": "alternate",
            "type": "application/rss+xml",
            "title": "Test site (RSS 2.0)",
            "href": "https://example.org/blog/rss.xml",
        },
        {
            "rel": "alternate",
            "type": "application/atom+xml",
            "title": "Test site (Atom 1.0)",
            "href": "https://example.org/blog/atom.xml",
        },
        {
            "rel": "alternate",
            "type": "application/feed+json",
            "title": "Test site (JSON Feed 1.1)",
            "href": "https://example.org/blog/feed.json",
        },
    ]


def test_links_with_tags_match_the_files_a_build_writes(site: Site) -> None:
    site.configure(
        'base_url = "https://example.org/"\ntitle = "Tom & \\"Jerry\\" <3"\n',
        feeds_per=["tags"],
        formats=["atom", "json"],
    )
    site.article("a.md", tags='["Café", "a b"]')
    site.article("draft.md", tags="[secret]", draft="true")
    result = run_links(site, "--tags", "--now", "2026-01-01T00:00:00Z")
    assert result.exit_code == 0, result.output
    parsed = parse(result.output)
    written = set(site.build().files) - {"index.opml", "index.html"}
    hrefs = {str(link["href"]).removeprefix("https://example.org/") for link in parsed.links}
    assert hrefs == written
    assert len(parsed.comments) == 2 and all(c.startswith("tags/") for c in parsed.comments)
    titles = [link["title"] for link in parsed.links]
    assert titles[0] == 'Tom & "Jerry" <3 (Atom 1.0)'  # escaped in, read back whole
    assert 'Tom & "Jerry" <3: tag Café (JSON Feed 1.1)' in titles


def test_links_without_content_folder_needs_no_content(site: Site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        cli, ["links", "--config", str(site.config_path), "--content", str(tmp_path / "nope")]
    )
    assert result.exit_code == 0 and len(parse(result.output).links) == 3


def test_links_bad_config_and_bad_content(site: Site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    site.configure(formats=["rss", "gopher"])
    result = run_links(site)
    assert result.exit_code == 1
    assert "formats: unknown format 'gopher'" in result.output
    site.configure(feeds_per=["tags"])
    site.write("bad.md", "---\ntitle: x\n---\n", dedent=False)
    result = run_links(site, "--tags")
    assert result.exit_code == 1 and "bad.md: date: is required" in result.output


def test_docs_show_what_links_prints_for_the_sample_site() -> None:
    root = ROOT
    result = CliRunner().invoke(cli, ["links", "--config", str(root / "feedtool.toml")])
    assert result.exit_code == 0, result.output
    readme = (root / "docs" / "commands.md").read_text(encoding="utf-8")
    lines = result.output.splitlines()
    assert len(lines) == 4 and all(line in readme for line in lines)  # with the podcast
