"""serve and validate use the config's ``output`` as build does (review item A3): a site
switched from another generator writes its feeds into that generator's static folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import Site
from feedtool.cli import cli


@pytest.fixture
def static_site(site: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    site.configure(output="static", content="content")
    site.article("a.md", title="A")
    monkeypatch.chdir(site.root)
    return site


def test_validate_checks_the_configured_output_folder(static_site: Site) -> None:
    built = CliRunner().invoke(cli, ["build", "--no-cache"])
    assert built.exit_code == 0, built.output
    assert (static_site.root / "static" / "atom.xml").is_file()
    checked = CliRunner().invoke(cli, ["validate"])
    assert checked.exit_code == 0, checked.output
    assert checked.stderr.startswith("checked 3 feed(s): 0 error(s)"), checked.stderr


def test_validate_names_the_configured_folder_when_it_is_missing(static_site: Site) -> None:
    checked = CliRunner().invoke(cli, ["validate"])
    assert checked.exit_code == 2
    assert "there is no static folder here; name the feeds to check" in checked.output


def test_serve_builds_into_and_serves_the_configured_output_folder(
    static_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    import feedtool.site.serve

    served: list[Path] = []

    def start_server(folder: Path, *args: object, **kwargs: object) -> None:
        served.append(folder)
        kwargs["rebuild"]()  # type: ignore[operator]  # what the real one does first
        raise KeyboardInterrupt

    monkeypatch.setattr(feedtool.site.serve, "start_server", start_server)
    result = CliRunner().invoke(cli, ["serve", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert served == [Path("static")]
    assert (static_site.root / "static" / "atom.xml").is_file()
    assert not (static_site.root / "feeds").exists()
