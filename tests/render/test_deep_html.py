"""HTML nested thousands deep is refused before the sanitiser's parser, whose time grows
with the square of the depth (16,000 <div> inside each other: seconds; 4 MiB: hours)."""

from __future__ import annotations

import pytest

from conftest import Site
from feedtool.render.html import MAX_DEPTH, too_deep

MESSAGE = (
    f"its body nests HTML elements more than {MAX_DEPTH} deep (block quotes, lists or <div> "
    "inside each other); flatten the nesting to a few dozen levels"
)


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("quotes.md", ">" * 20_000 + " deep\n"),  # 20 KB of Markdown
        ("divs.html", "<div>" * 20_000 + "deep"),
        ("hidden.html", "<div></span>" * 20_000 + "deep"),  # stray end tags close nothing
    ],
)
def test_deep_nesting_is_refused_naming_the_file(site: Site, name: str, body: str) -> None:
    site.article(name, title="Deep", body=body)
    site.article("fine.md", title="Fine")
    result = site.run("build")
    assert (result.exit_code, result.output) == (1, f"error: {site.content / name}: {MESSAGE}\n")
    result = site.run("build", "--keep-going", "-q")
    assert result.exit_code == 0
    assert result.output == f"warning: {site.content / name}: {MESSAGE} (skipped)\n"


def test_nesting_within_the_limit_is_published(site: Site) -> None:
    site.article("quotes.md", title="Quotes", body=">" * 100 + " deep\n")
    site.article("many.html", title="Many", body="<div><p>x</p></div>" * 5_000)
    result = site.run("build")
    assert result.exit_code == 0, result.output


def test_the_depth_counts_as_the_parser_nests() -> None:
    assert not too_deep("<div>" * MAX_DEPTH)
    assert too_deep("<div>" * (MAX_DEPTH + 1))
    assert too_deep("<DIV>" * (MAX_DEPTH + 1))
    assert not too_deep("<div></div>" * 10_000)
    # A new <p>, <li> or <td> closes the last one; void elements hold nothing.
    assert not too_deep("<p>x" * 10_000 + "<li>y" * 10_000 + "<br><img src=a>" * 5_000)
    # An end tag closes what was opened inside its element too.
    assert not too_deep(("<section>" + "<b>" * 400 + "</section>") * 10)
