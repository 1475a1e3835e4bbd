"""What the workflow init --from writes downloads and runs (review items A7 and B10): each
download is checked against a checksum before it runs, installs name their versions, and
the site's own settings reach the shell quoted."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from feedtool.site import switch
from feedtool.site.importer import Found
from feedtool.site.switch import SWITCHES


def install_and_build(dialect: str, site: Path, **settings: str) -> tuple[str, str]:
    steps = SWITCHES[dialect].site_build(Found(dialect, "config", dict(settings)), site)
    return steps.install, steps.build


@pytest.mark.parametrize("dialect", ["hugo", "zola"])
def test_downloaded_programs_are_checked_before_they_run(dialect: str, tmp_path: Path) -> None:
    install, _ = install_and_build(dialect, tmp_path)
    lines = install.splitlines()
    check = next(n for n, line in enumerate(lines) if "sha256sum -c" in line)
    fetch = next(n for n, line in enumerate(lines) if line.startswith("curl "))
    runs = next(n for n, line in enumerate(lines) if "dpkg -i" in line or "tar -x" in line)
    assert fetch < check < runs
    assert "| tar" not in install  # never unpacked straight from the network


def test_the_zola_checksum_line_refuses_another_file(tmp_path: Path) -> None:
    install, _ = install_and_build("zola", tmp_path)
    (check,) = [line for line in install.splitlines() if "sha256sum -c" in line]
    (tarball,) = set(re.findall(r"zola-v[\w.-]+?\.tar\.gz", install))
    (tmp_path / tarball).write_bytes(b"not zola")
    result = subprocess.run(["bash", "-c", check], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode != 0
    assert switch._ZOLA_SHA256 in check  # the pinned digest, not any other


def test_installs_name_their_versions(tmp_path: Path) -> None:
    jekyll, _ = install_and_build("jekyll", tmp_path)
    assert "gem install jekyll:" in jekyll and "jekyll-feed:" in jekyll
    pelican, _ = install_and_build("pelican", tmp_path)
    assert "pelican[markdown]==" in pelican


def test_pelicans_content_path_is_quoted_for_the_shell(tmp_path: Path) -> None:
    _, build = install_and_build("pelican", tmp_path, content="my posts; rm -rf ~")
    assert shlex.split(build) == ["pelican", "my posts; rm -rf ~", "-s", "pelicanconf.py"]
