"""Settings that used to load and then publish the wrong thing, or fail far from their line
(issue 22: items 11 and 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DEFAULT_CONFIG, Site
from feedtool.cli import cli
from feedtool.config import config_notices, load_config
from feedtool.errors import FeedtoolError
from feedtool.values.zones import get_timezone, zone_problem

# --- permalink: checked where it is written, not in every feed -------------------------


def test_a_permalink_that_makes_no_url_is_refused_at_its_line(site: Site) -> None:
    site.configure(permalink='/{slug}/\\"><script>')
    site.article("a.md", title="A")
    result = site.run("build")
    assert result.exit_code == 1
    assert result.output == (
        f"error: {site.config_path}:7: permalink: "
        '"/{slug}/"><script>" makes links that are not URLs: '
        '"https://example.org/my-post/"><script>" '
        "contains the character '\"', which a URL cannot contain as it is\n"
    )
    assert not site.output.exists()


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("/{slug}/ x", '"https://example.org/my-post/ x" is not a URL (it contains spaces)'),
        (
            "/café/{slug}/",
            '"https://example.org/café/my-post/" has characters a URL must percent-encode: '
            'write "https://example.org/caf%C3%A9/my-post/"',
        ),
        ("/{slug}/%zz", '"https://example.org/my-post/%zz" has a "%" that is not followed by'),
    ],
)
def test_permalinks_that_make_no_url(tmp_path: Path, pattern: str, problem: str) -> None:
    path = tmp_path / "feedtool.toml"
    path.write_text(f'base_url = "https://x.org/"\npermalink = "{pattern}"\n', encoding="utf-8")
    with pytest.raises(FeedtoolError) as info:
        load_config(path)
    assert str(info.value).startswith(
        f'{path}:2: permalink: "{pattern}" makes links that are not URLs: {problem}'
    )


def test_permalinks_that_make_urls_still_load(tmp_path: Path) -> None:
    path = tmp_path / "feedtool.toml"
    for pattern in ("/{year}/{month}/{day}/{slug}/", "/{slug}.html", "/blog/{slug}/?v=1"):
        path.write_text(f'base_url = "https://x.org/"\npermalink = "{pattern}"\n')
        assert load_config(path).permalink == pattern


# --- time zones: IANA names only ----------------------------------------------------------


def zoned(zone: str) -> str:
    return DEFAULT_CONFIG.replace('timezone = "UTC"', f'timezone = "{zone}"')


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        (
            "CET+1",
            'unknown time zone "CET+1" (only IANA names, like "Europe/Berlin", and "UTC"); '
            'did you mean "Europe/Berlin" or "Europe/Paris"? An offset is not a time zone: name '
            "a place, and its summer time comes with it (a fixed UTC+01:00 all year is "
            '"Etc/GMT-1", the sign inverted)',
        ),
        (
            "UTC+2",
            'unknown time zone "UTC+2" (only IANA names, like "Europe/Berlin", and "UTC"). '
            "An offset is not a time zone: name a place, and its summer "
            'time comes with it (a fixed UTC+02:00 all year is "Etc/GMT-2", the sign inverted)',
        ),
        (
            "GMT+2",
            'unknown time zone "GMT+2" (only IANA names, like "Europe/Berlin", and "UTC"). '
            "An offset is not a time zone",
        ),
        (
            "PST",
            'unknown time zone "PST" (only IANA names, like "Europe/Berlin", and "UTC"); '
            'did you mean "America/Los_Angeles"?',
        ),
        ("cest", 'did you mean "Europe/Berlin" or "Europe/Paris"?'),
        (
            "europe/paris",
            'unknown time zone "europe/paris" (only IANA names, like "Europe/Berlin", and '
            '"UTC"); did you mean "Europe/Paris"',
        ),
        ("Paris", 'did you mean "Europe/Paris"'),
        ("posix/Europe/Berlin", 'did you mean "Europe/Berlin"'),
        ("localtime", 'unknown time zone "localtime"'),
        ("Europe", 'unknown time zone "Europe"'),
    ],
)
def test_zones_that_are_not_iana_names_are_refused_with_the_nearest(
    tmp_path: Path, zone: str, message: str
) -> None:
    path = tmp_path / "feedtool.toml"
    path.write_text(f'base_url = "https://x.org/"\n\ntimezone = "{zone}"\n', encoding="utf-8")
    with pytest.raises(FeedtoolError) as info:
        load_config(path)
    assert str(info.value).startswith(f'{path}:3: timezone: unknown time zone "{zone}" (only')
    assert message in str(info.value)
    assert get_timezone(zone) is None


def test_a_posix_zone_no_longer_dates_a_post_with_its_sign_flipped(site: Site) -> None:
    site.configure(zoned("CET+1"))
    site.article("a.md", title="A", date="2025-01-02 12:00")
    result = site.run("build")
    assert result.exit_code == 1
    assert result.output.startswith(
        f'error: {site.config_path}:6: timezone: unknown time zone "CET+1"'
    )
    assert not site.output.exists()


@pytest.mark.parametrize("zone", ["UTC", "utc", "Europe/Berlin", "EST5EDT", "Etc/GMT-14", "GMT"])
def test_iana_names_load(zone: str) -> None:
    assert zone_problem(zone) is None
    assert get_timezone(zone) is not None


def test_etc_gmt_zones_load_with_a_warning_that_says_their_sign(site: Site) -> None:
    site.configure(zoned("Etc/GMT+2"))
    site.article("a.md", title="A", date="2025-01-02 12:00")
    result = site.run("build", "-q")
    assert result.exit_code == 0, result.output
    assert result.output == (
        f'warning: {site.config_path}: timezone: "Etc/GMT+2" is UTC-02:00, not UTC+02:00: '
        'Etc/ names count west of Greenwich as plus; for UTC+02:00 write "Etc/GMT-2", or '
        "better a place's name, whose summer time comes with it\n"
    )
    assert b"12:00:00-02:00" in (site.output / "atom.xml").read_bytes()
    site.configure(zoned("Etc/GMT"))  # no offset: nothing to get wrong
    assert config_notices(load_config(site.config_path)) == []


@pytest.mark.parametrize(
    ("zone", "warning"),
    [
        (
            "EST",
            '"EST" is UTC-05:00 all year, with no summer time: for the clock of a place, '
            'write "America/New_York" or "America/Toronto"',
        ),
        (
            "MST",
            '"MST" is UTC-07:00 all year, with no summer time: for the clock of a place, '
            'write "America/Denver" or "America/Phoenix"',
        ),
        (
            "HST",
            '"HST" is UTC-10:00 all year, with no summer time: for the clock of a place, '
            'write "Pacific/Honolulu"',
        ),
        (
            "EST5EDT",
            '"EST5EDT" is a legacy name, kept for old systems: for the clock of a '
            'place, write "America/New_York"',
        ),
    ],
)
def test_legacy_zone_names_load_with_a_warning_naming_the_places(
    site: Site, zone: str, warning: str
) -> None:
    site.configure(zoned(zone))
    site.article("a.md", title="A", date="2025-07-02 12:00")
    result = site.run("build", "-q")
    assert result.exit_code == 0, result.output
    assert result.output == f"warning: {site.config_path}: timezone: {warning}\n"


def test_init_refuses_a_zone_flag_that_is_no_iana_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "site"), "--timezone", "UTC+2"])
    assert result.exit_code == 2
    assert (
        "Error: Invalid value for '--timezone': unknown time zone \"UTC+2\" (only IANA names"
        in result.output
    )
    assert not (tmp_path / "site").exists()
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "etc"), "--timezone", "Etc/GMT-3"])
    assert result.exit_code == 0
    assert 'warning: --timezone: "Etc/GMT-3" is UTC+03:00, not UTC-03:00' in result.output
