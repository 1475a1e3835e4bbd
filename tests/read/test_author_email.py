"""A bad e-mail address in an author is one problem, against the file that has it."""

from __future__ import annotations

import pytest

from conftest import Site
from feedtool.config import config_from_mapping
from feedtool.errors import ConfigError
from feedtool.values import fields


@pytest.mark.parametrize(
    "value",
    ["Bob <not an email>", "Bob <bob>", "<bob@>", {"name": "Bob", "email": "bob at example"}],
)
def test_bad_addresses_are_refused(value: object) -> None:
    with pytest.raises(ValueError, match="is not an e-mail address like jo@example.org"):
        fields.author(value)


def test_good_addresses_pass() -> None:
    assert fields.author("Bob <bob@example.org>").email == "bob@example.org"
    assert fields.author({"name": "Bob", "email": "bob@example.org"}).name == "Bob"
    assert fields.author("Bob").email is None


def test_one_error_against_the_article(site: Site) -> None:
    site.article("a.md", author='"Bob <not an email>"')
    result = site.run("build")
    assert result.exit_code == 1
    assert result.output == (
        f'error: {site.content / "a.md"}:4: author: "not an email" is not an e-mail address '
        'like jo@example.org (write "Name <email>", or the name alone)\n'
    )


def test_one_error_against_an_item_of_authors(site: Site) -> None:
    site.article("a.md", authors='["Ann <ann@example.org>", "Bob <not an email>"]')
    result = site.run("build")
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1
    assert f"{site.content / 'a.md'}:4: authors: item 2: " in result.output


def test_config_author_is_checked_when_the_config_is_read() -> None:
    with pytest.raises(ConfigError, match='author: "not an email" is not an e-mail address'):
        config_from_mapping({"base_url": "https://x.org/", "author": "Bob <not an email>"})
