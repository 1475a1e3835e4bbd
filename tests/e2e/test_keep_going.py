"""--keep-going: bad articles are left out with a warning each; the rest is published."""

from __future__ import annotations

from conftest import Site
from feedcheck import atom_problems


def titles(site: Site, name: str = "atom.xml") -> list[str]:
    return [entry.title for entry in site.parsed(name).entries]


def test_bad_articles_are_skipped_with_a_warning_each(site: Site) -> None:
    site.article("good.md", title="Good")
    site.article("also-good.md", title="Also good", date="2025-02-01")
    no_date = site.write("no-date.md", "---\ntitle: x\n---\n", dedent=False)
    two = site.write("two.md", "---\ntitle: [x]\ndate: never\n---\n", dedent=False)
    (site.content / "loop").symlink_to(".")
    result = site.run("build", "--keep-going")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: {site.content / 'loop'}: symlink loop: this folder leads back to "
        f"{site.content}, which it is inside; remove the link or point it elsewhere (skipped)",
        f"warning: {no_date}: date: is required (when the article was published); not an "
        'article? leave it out with exclude = ["**/no-date.md"] in feedtool.toml (skipped)',
        f"warning: {two}:2: title: expected text, got a list (skipped)",
        f'warning: {two}:3: date: cannot read "never" as a date (skipped)',
    ]
    # Two bad articles and one folder: three things skipped.
    assert "2 article(s) published, 3 skipped (see the warnings)" in result.stdout
    for name in ("atom.xml", "rss.xml"):
        assert titles(site, name) == ["Also good", "Good"]
    assert atom_problems((site.output / "atom.xml").read_bytes()) == []


def test_without_keep_going_the_same_content_fails(site: Site) -> None:
    site.article("good.md")
    site.write("no-date.md", "---\ntitle: x\n---\n", dedent=False)
    result = site.run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert not site.output.exists()


def test_quiet_keeps_the_warnings(site: Site) -> None:
    site.article("good.md")
    site.write("bad.md", "---\ntitle: x\n---\n", dedent=False)
    result = site.run("build", "--keep-going", "-q")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith("warning: ") and "bad.md: date: is required" in result.stderr


def test_clash_keeps_the_earlier_article(site: Site) -> None:
    # The newer file is typically a copy of an old post whose id was not changed:
    # the published one keeps its id, the newcomer is skipped.
    old = site.article("zz-old.md", title="Old", id="urn:test:x", date="2025-01-01")
    new = site.article("aa-new.md", title="New", id="urn:test:x", date="2025-03-01")
    result = site.run("build", "--keep-going")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f'warning: {new}: id: same id "urn:test:x" as {old}, which is kept (it is dated earlier); '
        "give one of them its own id (skipped)"
    ]
    assert titles(site) == ["Old"]


def test_clash_on_the_same_date_keeps_the_first_file_name(site: Site) -> None:
    first = site.article("2025-01-01-post.md", title="First")
    second = site.article("post.md", title="Second")
    result = site.run("build", "--keep-going")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f'warning: {second}: slug: same URL and id "https://example.org/blog/post/" and '
        f'"tag:example.org,2025-01-02:/post" as {first}, which is kept (same date, and its '
        "file name sorts first); give one of them its own slug or link (skipped)"
    ]
    assert titles(site) == ["First"]


def test_a_skipped_article_claims_nothing(site: Site) -> None:
    # b clashes with a (URL) and is skipped; c shares only b's id, so c is published.
    site.article("a.md", title="A", slug="same", date="2025-01-01")
    site.article("b.md", title="B", slug="same", id="urn:test:b", date="2025-01-02")
    site.article("c.md", title="C", id="urn:test:b", date="2025-01-03")
    result = site.run("build", "--keep-going")
    assert result.exit_code == 0
    assert len(result.stderr.splitlines()) == 1 and "b.md: slug: same URL" in result.stderr
    assert titles(site) == ["C", "A"]
    # Without --keep-going every clash is reported, so one run shows all there is to fix.
    strict = site.run("build")
    assert strict.exit_code == 1
    lines = strict.stderr.splitlines()
    assert len(lines) == 2
    assert "b.md: slug: same URL" in lines[0] and 'c.md: id: same id "urn:test:b"' in lines[1]


def test_the_same_choice_every_time(site: Site) -> None:
    for name in ("c.md", "a.md", "b.md"):
        site.article(name, title=name, slug="same")
    runs = [site.run("build", "--keep-going") for _ in range(3)]
    assert len({run.stderr for run in runs}) == 1
    assert titles(site) == ["a.md"]


def test_nothing_published_when_every_article_is_bad(site: Site) -> None:
    # A broken checkout must not replace good feeds with empty ones.
    site.article("good.md")
    assert site.run("build").exit_code == 0
    before = site.snapshot()
    site.write("good.md", "<<<<<<< HEAD\n---\ntitle: x\n", dedent=False)
    result = site.run("build", "--keep-going")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: {site.content}: --keep-going: no article could be read, so nothing is "
        "published (the feeds are left as they were)"
    )
    assert site.snapshot() == before


def test_an_empty_site_is_still_published(site: Site) -> None:
    result = site.run("build", "--keep-going")
    assert result.exit_code == 0
    assert titles(site) == []


def test_config_problems_are_never_skipped(site: Site) -> None:
    site.article("good.md")
    site.configure('base_url = "https://x.org/"\ncolour = "red"\n')
    result = site.run("build", "--keep-going")
    assert result.exit_code == 1
    assert "colour: unknown key" in result.stderr
    assert not site.output.exists()


def test_check_with_keep_going(site: Site) -> None:
    site.article("good.md")
    site.write("bad.md", "---\ntitle: x\n---\n", dedent=False)
    assert site.run("build", "--keep-going").exit_code == 0
    check = site.run("build", "--check", "--keep-going")
    assert check.exit_code == 0, check.output
    assert "warning: " in check.stderr and "up to date" in check.stdout


def test_a_body_that_cannot_be_read_is_skipped_too(site: Site) -> None:
    # Only front matter is read up front; a body that is not UTF-8 further down is found
    # when the article is rendered, and --keep-going must still leave it out.
    site.article("good.md", title="Good")
    bad = site.content / "bad.md"
    bad.write_bytes(b"---\ntitle: Bad\ndate: 2025-01-01\n---\n" + b"x" * 5000 + b" caf\xe9\n")
    result = site.run("build", "--keep-going")
    assert result.exit_code == 0, result.output
    assert f"warning: {bad}:5: not UTF-8 text" in result.stderr
    assert [e.title for e in site.parsed().entries] == ["Good"]
    strict = site.run("build")
    assert strict.exit_code == 1 and "not UTF-8 text" in strict.stderr


def test_bodies_that_fail_make_one_reselection_that_shows_only_good_ones(site: Site) -> None:
    """With limit = 1 the feed shows the newest article; its body is over max_html_bytes,
    and so is the next one's. Both are left out, and the one then in view is good: one
    re-selection, made with every published body read, not a loop of tries."""
    site.configure(limit=1, max_html_bytes=4000)
    site.article("old.md", title="Old", date="2025-01-01", body="Short.")
    site.article("big-1.md", title="Big one", date="2025-01-02", body="word " * 2000)
    site.article("big-2.md", title="Big two", date="2025-01-03", body="word " * 2000)
    result = site.build(keep_going=True)
    assert result.articles == 1 and result.skipped == 2
    assert [w.split(":")[0] for w in result.warnings] == [
        str(site.content / "big-2.md"),
        str(site.content / "big-1.md"),
    ]
    assert titles(site) == ["Old"]
    assert atom_problems((site.output / "atom.xml").read_bytes()) == []
