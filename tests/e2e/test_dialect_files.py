"""Every file a dialect reads besides the articles (Eleventy's directory data, Hugo's
and Zola's translations) is read as an article is: inside the content folder, a regular
file, within the size limit. And template syntax left in a body is named, never lost
without a word.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import TESTS, feed_file, run_in
from feedtool import safefile
from feedtool.cli import cli
from feedtool.errors import ContentError

SITES = TESTS / "data" / "sites"
NOW = "2026-01-01T00:00:00Z"


def _site(tmp_path: Path, generator: str) -> Path:
    site = tmp_path / generator
    shutil.copytree(SITES / generator, site)
    result = CliRunner().invoke(cli, ["init", "--from", str(site)])
    assert result.exit_code == 0, result.output
    return site


def _build(site: Path, *extra: str) -> Result:
    return run_in(site, "build", "--now", NOW, "--no-cache", *extra)


def _feeds(site: Path) -> str:
    """Every feed file a build wrote, where init --from puts them (site/switch.py)."""
    folder = feed_file(site, "atom").parent
    return "".join(path.read_text(encoding="utf-8") for path in folder.rglob("*.xml"))


def test_an_eleventy_data_file_linked_from_outside_is_refused(tmp_path: Path) -> None:
    site = _site(tmp_path, "eleventy")
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"tags": "posts", "description": "SECRET"}), encoding="utf-8")
    blog = site / "content" / "blog"
    (blog / "blog.11tydata.js").unlink()
    (blog / "blog.json").symlink_to(secret)
    result = _build(site)
    assert result.exit_code == 1
    assert (
        f"content/blog/blog.json: is a symlink to {secret.resolve()}, outside the content folder"
        in result.output
    )
    assert "SECRET" not in _feeds(site)


def test_an_eleventy_data_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    site = _site(tmp_path, "eleventy")
    config = site / "feedtool.toml"
    config.write_text(
        "max_article_bytes = 2000\n" + config.read_text(encoding="utf-8"), encoding="utf-8"
    )
    blog = site / "content" / "blog"
    (blog / "blog.11tydata.js").unlink()
    data = {"tags": "posts", "description": "x" * 3000}
    (blog / "blog.json").write_text(json.dumps(data), encoding="utf-8")
    result = _build(site)
    assert result.exit_code == 1
    assert "content/blog/blog.json: " in result.output
    assert "x" * 3000 not in result.output


def test_a_hugo_translation_linked_from_outside_is_not_read(tmp_path: Path) -> None:
    site = _site(tmp_path, "hugo")
    posts = site / "content" / "posts"
    outside = tmp_path / "outside.fr.md"
    outside.write_text((posts / "first-post.fr.md").read_text(encoding="utf-8"))
    (posts / "first-post.fr.md").unlink()
    (posts / "first-post.fr.md").symlink_to(outside)
    result = _build(site, "--keep-going")
    assert result.exit_code == 0, result.output
    assert "first-post.fr.md: is a symlink to" in result.output
    # The English post no longer names a French translation read through the link.
    assert 'hreflang="fr"' not in feed_file(site, "atom").read_text(encoding="utf-8")


def test_a_git_folder_is_never_content_even_when_linked_folders_names_it(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = tmp_path / ".git" / "config"
    config.write_text("[remote]\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    with pytest.raises(ContentError, match="inside a .git folder, which is never read"):
        safefile.inside(config, [tmp_path / "content", tmp_path / ".git"])


def test_an_eleventy_output_tag_in_an_attribute_is_named_with_its_line(tmp_path: Path) -> None:
    site = _site(tmp_path, "eleventy")
    (site / "content" / "blog" / "linked.md").write_text(
        "---\ntitle: Linked\ndate: 2024-03-01\n---\nIntro.\n\n"
        "<a href=\"{{ '#x' | url }}\">see</a>\n",
        encoding="utf-8",
    )
    result = _build(site)
    assert result.exit_code == 0, result.output
    assert (
        "warning: content/blog/linked.md:7: template output \"{{ '#x' | url }}\" in the href "
        "attribute is not rendered by feedtool; the attribute is left empty in the feed"
    ) in result.output


def test_init_from_reads_a_generators_config_within_a_size_limit(tmp_path: Path) -> None:
    site = tmp_path / "jekyll"
    shutil.copytree(SITES / "jekyll", site)
    config = site / "_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "#" + "x" * (5 * 1024 * 1024) + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["init", "--from", str(site)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: {config}: the file is {config.stat().st_size:,} bytes; a generator's config or "
        "data file is "
        "read only up to 4,194,304"
    ]


def test_an_eleventy_data_file_edited_between_builds_in_one_process_is_read_again(
    tmp_path: Path,
) -> None:
    # serve rebuilds in one process: a directory data file's new values must be seen.
    site = _site(tmp_path, "eleventy")
    blog = site / "content" / "blog"
    (blog / "blog.11tydata.js").unlink()
    (blog / "blog.json").write_text(json.dumps({"tags": ["posts"]}), encoding="utf-8")
    assert _build(site).exit_code == 0
    assert "from-the-data-file" not in _feeds(site)
    data = {"tags": ["posts", "from-the-data-file"]}
    (blog / "blog.json").write_text(json.dumps(data), encoding="utf-8")
    result = _build(site)
    assert result.exit_code == 0, result.output
    assert "from-the-data-file" in _feeds(site)
