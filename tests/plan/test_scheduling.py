"""The scheduled-post story, through the command line with --now, as an hourly CI job sees it."""

from __future__ import annotations

from conftest import Site

BEFORE = "2026-03-01T08:59:59+01:00"
AT = "2026-03-01T09:00:00+01:00"
LATER = "2026-03-01T10:00:00+01:00"


def titles(site: Site) -> list[str]:
    return [entry.title for entry in site.parsed("atom.xml").entries] + [
        "rss:" + entry.title for entry in site.parsed("rss.xml").entries
    ]


def test_a_future_post_appears_in_the_first_build_at_its_time(site: Site) -> None:
    site.article("2026-02-01-old.md", title="Old", date="2026-02-01T00:00:00Z")
    site.article("2026-03-01-due.md", title="Due", date="2026-03-01T09:00:00+01:00")
    assert site.run("build", "--now", BEFORE).exit_code == 0

    # Before its time: the post is absent and the hourly job finds nothing to publish.
    assert titles(site) == ["Old", "rss:Old"]
    before = site.run("build", "--check", "--now", BEFORE)
    assert before.exit_code == 0, before.output
    assert "up to date" in before.output
    rebuilt = site.run("build", "--now", BEFORE)
    assert "0 of 5 file(s) changed" in rebuilt.output
    assert "the next is" in rebuilt.output and "2026-03-01-due.md" in rebuilt.output
    assert titles(site) == ["Old", "rss:Old"]

    # At its time, with no edit to the content: --check says the feeds would change.
    stale = site.run("build", "--check", "--now", AT)
    assert stale.exit_code == 1
    assert sorted(line for line in stale.output.splitlines() if "would change" in line) == [
        f"would change: {site.output / 'atom.xml'}",
        f"would change: {site.output / 'feed.json'}",
        f"would change: {site.output / 'index.html'}",
        f"would change: {site.output / 'rss.xml'}",
        f"would change: {site.root / 'feedtool.ids'}",  # the ledger of ids gets its line
    ]
    assert titles(site) == ["Old", "rss:Old"]  # --check wrote nothing

    # The build publishes it, newest first.
    published = site.run("build", "--now", AT)
    assert published.exit_code == 0
    assert "2 article(s) published; 4 of 5 file(s) changed" in published.output
    assert titles(site) == ["Due", "Old", "rss:Due", "rss:Old"]

    # And the next hourly run has nothing to do.
    after = site.run("build", "--check", "--now", LATER)
    assert after.exit_code == 0, after.output


def test_check_names_exactly_the_files_the_build_then_writes(site: Site) -> None:
    site.article("a.md")
    assert site.run("build", "--now", LATER).exit_code == 0
    (site.output / "rss.xml").write_bytes((site.output / "rss.xml").read_bytes() + b"\n")
    before = site.snapshot()
    check = site.run("build", "--check", "--now", LATER)
    assert check.exit_code == 1
    assert check.output.splitlines() == [f"would change: {site.output / 'rss.xml'}"]
    assert site.snapshot() == before  # --check wrote nothing
    assert site.build().changed == ["rss.xml"]
    assert site.run("build", "--check", "--now", LATER).exit_code == 0
