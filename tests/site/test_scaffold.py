"""`feedtool new` and `feedtool init`: the files they write load back as written."""

from __future__ import annotations

import shutil
import tomllib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import DEFAULT_CONFIG, NOW, ROOT, Site, options
from feedtool.cli import cli
from feedtool.config import load_config
from feedtool.errors import FeedtoolError
from feedtool.pipeline import build
from feedtool.read.metadata import load_article
from feedtool.site.scaffold import init_site, new_article, workflow_text
from feedtool.values.checks import MAX_SLUG, slugify

ROOT = ROOT


def new(site: Site, *args: str) -> Result:
    """`feedtool new ARGS` in the test site (it takes --content and --config, no --output)."""
    options = ["--content", str(site.content), "--config", str(site.config_path)]
    return CliRunner().invoke(cli, ["new", *args, *options])


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hello, World!", "hello-world"),
        ("Crème brûlée, zum 2. Mal", "creme-brulee-zum-2-mal"),
        ("Straße & Æsir: Łódź, Øresund", "strasse-aesir-lodz-oresund"),
        ("  lots   of\tspace  ", "lots-of-space"),
        ("snake_case and CamelCase", "snake-case-and-camelcase"),
        ("Привет, мир", "привет-мир"),
        ("Ελληνικά κείμενα", "ελληνικά-κείμενα"),  # non-Latin accents stay
        ("東京 2025", "東京-2025"),
        ("한국어 제목", "한국어-제목"),
        ("😀 !!! 🎉", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugify_keeps_whole_words_within_the_limit() -> None:
    slug = slugify("word " * 40)
    assert len(slug) <= MAX_SLUG and slug.endswith("word") and "--" not in slug
    assert slugify("x" * 200) == "x" * MAX_SLUG


@pytest.mark.parametrize(
    "title",
    [
        'He said: "yes" # not a comment',
        "- looks like a list",
        "---",
        "back\\slash and 'single' quotes",
        "null",
        "true",
        "2025-01-01",
        "Ünïcödé ✓ 東京",
        "{braces} [brackets] &amp;",
    ],
)
def test_new_article_loads_back_exactly(site: Site, title: str) -> None:
    when = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    path = new_article(site.content, title, when, tags=["a b", "c", "a b"], slug="post")
    assert path == site.content / "2026-03-01-post.md"
    article = load_article(path, load_config(site.config_path))
    assert article.title == title
    assert article.published == when
    assert article.tags == ("a b", "c")
    assert not article.draft
    assert path.read_text(encoding="utf-8").startswith("---\ntitle: ")


def test_new_command_dates_in_the_site_time_zone(site: Site) -> None:
    site.configure(DEFAULT_CONFIG.replace('"UTC"', '"Europe/Berlin"'))
    result = new(site, "Late night post", "--tags", "night, owls", "--date", "2026-03-01T23:30Z")
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    assert path == site.content / "2026-03-02-late-night-post.md"
    text = path.read_text(encoding="utf-8")
    assert "date: 2026-03-02T00:30:00+01:00\n" in text
    assert 'tags: ["night", "owls"]\n' in text
    article = load_article(path, load_config(site.config_path))
    assert article.published == datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    # A date without an offset is in the site's zone, as in front matter.
    local = new(site, "Local", "--date", "2026-07-01 08:00")
    assert "date: 2026-07-01T08:00:00+02:00\n" in Path(local.output.strip()).read_text()


def test_new_command_defaults_to_now(site: Site) -> None:
    site.configure(DEFAULT_CONFIG.replace('"UTC"', '"Asia/Tokyo"'))
    before = datetime.now(UTC).replace(microsecond=0)
    result = new(site, "Right now")
    after = datetime.now(UTC)
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    article = load_article(path, load_config(site.config_path))
    assert before <= article.published <= after
    assert "+09:00\n" in path.read_text()
    tokyo_day = article.published.astimezone(timezone(timedelta(hours=9))).strftime("%Y-%m-%d")
    assert path.name == f"{tokyo_day}-right-now.md"
    # It is published by the next build (its time has come).
    assert site.run("build").exit_code == 0
    assert [e.title for e in site.parsed().entries] == ["Right now"]


def test_new_refuses_to_overwrite(site: Site) -> None:
    args = ("Twice", "--date", "2026-01-01T00:00Z")
    first = new(site, *args)
    assert first.exit_code == 0, first.output
    path = Path(first.output.strip())
    assert path.parent == site.content
    path.write_text("---\ntitle: edited\ndate: 2026-01-01\n---\nmy words\n")
    second = new(site, *args)
    assert second.exit_code == 1
    assert second.output.strip() == f"error: {path}: already exists; not overwriting it"
    assert path.read_text().endswith("my words\n")
    # Another format with the same name would clash with it too (same slug, same URL).
    assert new(site, *args, "--format", "html").exit_code == 1
    assert sorted(p.name for p in site.content.iterdir()) == [path.name]


@pytest.mark.parametrize(("fmt", "marker"), [("html", "<p>Write"), ("txt", "Write your")])
def test_new_formats_and_drafts(site: Site, fmt: str, marker: str) -> None:
    result = new(site, "Other format", "--format", fmt, "--draft", "--date", "2025-01-01")
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    assert path.suffix == f".{fmt}"
    assert marker in path.read_text()
    assert load_article(path, load_config(site.config_path)).draft
    assert site.build().articles == 0


def test_new_problems(site: Site) -> None:
    emoji = new(site, "🎉🎉")
    assert emoji.exit_code == 1
    assert "give one with --slug" in emoji.output
    assert new(site, "🎉🎉", "--slug", "party", "--date", "2025-01-01").exit_code == 0
    assert (site.content / "2025-01-01-party.md").exists()
    assert new(site, "   ").exit_code == 1
    bad_date = new(site, "X", "--date", "someday")
    assert bad_date.exit_code == 2 and "--date" in bad_date.output
    missing = CliRunner().invoke(cli, ["new", "X", "--config", str(site.root / "nope.toml")])
    assert missing.exit_code == 1 and "config file not found" in missing.output


def test_new_refuses_a_content_folder_that_is_not_there_as_build_does(site: Site) -> None:
    nowhere = site.root / "nowhere"
    config = ["--config", str(site.config_path)]
    made = CliRunner().invoke(cli, ["new", "X", "--content", str(nowhere), *config])
    built = site.run("build", "--content", str(nowhere))
    assert made.exit_code == built.exit_code == 1
    assert (
        made.output == f"error: {nowhere}: content folder not found (give another with --content)\n"
    )
    assert built.output.endswith(made.output) and not nowhere.exists()


def test_init_creates_a_site_that_builds(tmp_path: Path) -> None:
    root = tmp_path / "blog"
    result = CliRunner().invoke(
        cli,
        ["init", str(root), "--title", 'Ann\'s "blog"', "--base-url", "https://ann.example"],
    )
    assert result.exit_code == 0, result.output
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert len(files) == 4
    assert files[0] == ".github/workflows/publish.yml"
    assert files[1] == ".gitignore"
    assert files[2].startswith("content/") and files[2].endswith("-hello-feeds.md")
    assert files[3] == "feedtool.toml"
    ignored = (root / ".gitignore").read_text().splitlines()
    assert ".feedtool-cache/" in ignored and ".feedtool.ids.lock" in ignored
    for name in files:
        assert f"created {root / name}" in result.output

    toml_text = (root / "feedtool.toml").read_text()
    assert toml_text.count("\n# ") >= 5  # it explains itself
    config = load_config(root / "feedtool.toml")
    assert config.title == 'Ann\'s "blog"'
    assert config.base_url == "https://ann.example/"
    assert (root / ".github/workflows/publish.yml").read_text() == workflow_text()

    built = build(root / "content", root / "feeds", config, options(config, datetime.now(UTC)))
    assert built.articles == 1
    assert sorted(built.changed) == ["atom.xml", "feed.json", "index.html", "index.opml", "rss.xml"]


def test_init_refuses_to_overwrite_anything(tmp_path: Path) -> None:
    (tmp_path / "feedtool.toml").write_text("mine\n")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'feedtool.toml'}: already exists" in result.output
    assert (tmp_path / "feedtool.toml").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feedtool.toml"]  # nothing else


_CACHE = (
    "# feedtool's build cache (on by default; build --no-cache leaves it alone)\n.feedtool-cache/\n"
)
_LOCK = "# the lock builds take turns on to update feedtool.ids\n.feedtool.ids.lock\n"


@pytest.mark.parametrize(
    ("mine", "after"),
    [
        ("mine\n", "mine\n" + _CACHE + _LOCK),
        ("mine", "mine\n" + _CACHE + _LOCK),
        ("mine\n/.feedtool-cache\n", "mine\n/.feedtool-cache\n" + _LOCK),  # named already
        ("/.feedtool-cache\n.feedtool.ids.lock\n", "/.feedtool-cache\n.feedtool.ids.lock\n"),
    ],
)
def test_init_adds_the_cache_to_an_existing_gitignore(
    tmp_path: Path, mine: str, after: str
) -> None:
    # Issue 17, finding 2: a committed cache is never trusted, but keep it out anyway.
    (tmp_path / ".gitignore").write_text(mine)
    created = init_site(tmp_path, NOW)
    assert tmp_path / ".gitignore" not in created
    assert (tmp_path / ".gitignore").read_text() == after


def test_init_twice(tmp_path: Path) -> None:
    init_site(tmp_path, NOW)
    with pytest.raises(FeedtoolError) as info:
        init_site(tmp_path, NOW)
    assert str(info.value).count("already exists") == 3


def test_init_bad_values_are_usage_errors(tmp_path: Path) -> None:
    bad_url = CliRunner().invoke(cli, ["init", str(tmp_path), "--base-url", "example.org"])
    assert bad_url.exit_code == 2 and "base_url" in bad_url.output
    bad_zone = CliRunner().invoke(cli, ["init", str(tmp_path), "--timezone", "Mars/Base"])
    assert bad_zone.exit_code == 2 and "Mars/Base" in bad_zone.output
    assert list(tmp_path.iterdir()) == []


def test_init_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init", "--timezone", "Europe/Berlin"]).exit_code == 0
    assert tomllib.loads(Path("feedtool.toml").read_text())["timezone"] == "Europe/Berlin"


def test_docs_show_what_new_writes(site: Site) -> None:
    readme = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    section = readme.split(":command: new\n")[1]
    example = section.split("```markdown\n")[1].split("```")[0]
    when = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    path = new_article(site.content, "Crème brûlée, zum 2. Mal", when, tags=["dessert", "french"])
    assert path.read_text(encoding="utf-8") == example
    assert path.name == "2026-03-01-creme-brulee-zum-2-mal.md"


def test_docs_show_the_workflow_init_writes() -> None:
    readme = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    assert f"```yaml\n{workflow_text()}```\n" in readme


def test_init_says_what_to_do_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = CliRunner().invoke(cli, ["init", str(tmp_path / "blog")])
    assert f"Next: cd {tmp_path / 'blog'}, edit feedtool.toml" in elsewhere.output
    monkeypatch.chdir(tmp_path / "blog")
    shutil.rmtree("content")
    Path("feedtool.toml").unlink()
    Path(".github/workflows/publish.yml").unlink()
    here = CliRunner().invoke(cli, ["init"])
    assert here.exit_code == 0, here.output
    assert "Next: edit feedtool.toml" in here.output and "cd ." not in here.output


def test_init_names_the_placeholder_to_fill_in(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "blog")])
    workflow = (tmp_path / "blog/.github/workflows/publish.yml").read_text()
    assert "OWNER/feedtool" in result.output and "github.com/OWNER/feedtool" in workflow


def test_a_build_warns_while_base_url_is_inits_placeholder(tmp_path: Path) -> None:
    root = tmp_path / "blog"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    config = load_config(root / "feedtool.toml")
    built = build(root / "content", root / "feeds", config, options(config, datetime.now(UTC)))
    assert any("base_url is still https://example.org/" in w for w in built.warnings)
    (root / "feedtool.toml").write_text(
        (root / "feedtool.toml").read_text().replace("https://example.org/", "https://ann.example/")
    )
    config = load_config(root / "feedtool.toml")
    built = build(root / "content", root / "feeds", config, options(config, datetime.now(UTC)))
    assert not any("base_url" in w for w in built.warnings)
