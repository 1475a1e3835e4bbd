"""Nothing lost: failures part-way, builds at once, and paths that try to leave the folder."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import feedtool.publish.write
from conftest import NOW, Site, options
from feedtool.config import load_config
from feedtool.errors import PublishError
from feedtool.pipeline import build
from feedtool.publish.write import MANIFEST, write_files


@pytest.fixture
def published(site: Site) -> dict[str, bytes]:
    """Feeds on disk from a good build; then the content changes, so every feed would change."""
    site.article("good.md", title="Good")
    assert site.run("build").exit_code == 0
    site.article("good.md", title="Good, edited")
    site.article("new.md", title="New", date="2025-05-05")
    return site.snapshot()


def fail_on_call(
    monkeypatch: pytest.MonkeyPatch, name: str, number: int, error: BaseException
) -> list[int]:
    """Make ``feedtool.publish.write.os.<name>`` raise ``error`` on its ``number``-th call."""
    real = getattr(os, name)
    calls: list[int] = []

    def fake(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == number:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(feedtool.publish.write.os, name, fake)
    return calls


def assert_untouched(site: Site, before: dict[str, bytes], result: Any, message: str) -> None:
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {site.output}: cannot write the feeds: ")
    assert message in line
    assert "Traceback" not in result.output
    assert site.snapshot() == before
    assert site.leftovers() == []


@pytest.mark.parametrize("call", [1, 2])
def test_rename_failing_part_way_puts_back_what_was_renamed(
    site: Site, published: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, call: int
) -> None:
    # With call=2, atom.xml has already been replaced when rss.xml fails.
    fail_on_call(monkeypatch, "replace", call, OSError(errno.EIO, "Input/output error"))
    result = site.run("build")
    assert_untouched(site, published, result, "the published files are as they were")


def test_interrupted_between_renames_puts_back_what_was_renamed(
    site: Site, published: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C (or any other exception) after the first file was replaced: not an OSError,
    # but the published files must still all be the old ones.
    fail_on_call(monkeypatch, "replace", 2, KeyboardInterrupt())
    config = load_config(site.config_path)
    with pytest.raises(KeyboardInterrupt):
        build(site.content, site.output, config, options(config, NOW))
    assert site.snapshot() == published
    assert site.leftovers() == []


def test_write_failing_part_way(
    site: Site, published: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The disk fills up while the second temporary file is written.
    fail_on_call(monkeypatch, "fsync", 2, OSError(errno.ENOSPC, "No space left on device"))
    result = site.run("build")
    assert_untouched(site, published, result, "No space left on device")


@pytest.mark.parametrize(
    "error",
    [
        PermissionError(errno.EACCES, "Permission denied"),
        OSError(errno.EROFS, "Read-only file system"),
    ],
    ids=["permission", "read-only"],
)
def test_folder_that_cannot_be_written(
    site: Site, published: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, error: OSError
) -> None:
    # The tests run as root in CI, where chmod cannot make a folder read-only, so the
    # refusal a read-only folder gives is injected where it would come from.
    real_open = os.open

    def refuse(path: str, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT and str(path).startswith(str(site.output)):
            raise error
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = site.run("build")
    assert_untouched(site, published, result, str(error.strerror))


def test_output_folder_that_cannot_be_opened(
    site: Site, published: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def refuse_folder(path: Any, flags: int, *args: Any) -> int:
        if Path(path) == site.output:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refuse_folder)
    result = site.run("build")
    assert result.exit_code == 1
    assert (
        result.stderr == f"error: {site.output}: cannot open the output folder: Permission denied\n"
    )
    monkeypatch.undo()
    assert site.snapshot() == published


def test_a_folder_in_the_way_of_the_second_file(site: Site, published: dict[str, bytes]) -> None:
    # A real failure, no injection: rss.xml is replaced by a folder, so atom.xml is
    # renamed into place first and must be put back when rss.xml cannot be.
    (site.output / "rss.xml").unlink()
    (site.output / "rss.xml").mkdir()
    (site.output / "rss.xml" / "keep").write_text("x")
    before = site.snapshot()
    result = site.run("build")
    assert_untouched(site, before, result, "Is a directory")


def test_output_folder_is_a_file(site: Site) -> None:
    site.article("good.md")
    site.output.write_text("not a folder")
    result = site.run("build")
    assert result.exit_code == 2  # click checks --output before anything runs
    assert "is a file" in result.stderr
    with pytest.raises(PublishError, match="cannot create the output folder: File exists"):
        write_files(site.output, {"atom.xml": b"x"})
    with pytest.raises(PublishError, match="cannot write the feeds: .*Not a directory"):
        write_files(site.root, {"feeds/atom.xml": b"x"})
    assert site.output.read_text() == "not a folder"
    assert site.leftovers() == []


def test_new_folders_are_removed_when_a_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_files(out, {"atom.xml": b"old"})
    fail_on_call(monkeypatch, "replace", 2, OSError(errno.EIO, "Input/output error"))
    with pytest.raises(PublishError, match="the published files are as they were"):
        write_files(out, {"atom.xml": b"new", "tags/deep/atom.xml": b"tag"})
    listing = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert listing == [MANIFEST, "atom.xml"]
    assert (out / "atom.xml").read_bytes() == b"old"


def test_restoring_keeps_the_old_file_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_files(out, {"a.xml": b"old a", "b.xml": b"old b"})
    os.chmod(out / "a.xml", 0o600)
    fail_on_call(monkeypatch, "replace", 2, OSError(errno.EIO, "Input/output error"))
    with pytest.raises(PublishError):
        write_files(out, {"a.xml": b"new a", "b.xml": b"new b"})
    assert (out / "a.xml").read_bytes() == b"old a"
    assert (out / "a.xml").stat().st_mode & 0o777 == 0o600


def test_a_replaced_file_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_files(out, {"a.xml": b"old a"})
    os.chmod(out / "a.xml", 0o664)  # a group that publishes the site may write it
    previous = os.umask(0o027)
    try:
        write_files(out, {"a.xml": b"new a", "b.xml": b"new b"})
    finally:
        os.umask(previous)
    assert (out / "a.xml").read_bytes() == b"new a"
    assert (out / "a.xml").stat().st_mode & 0o777 == 0o664
    assert (out / "b.xml").stat().st_mode & 0o777 == 0o640
    write_files(out, {"a.xml": b"new a", "b.xml": b"newer b"})
    assert (out / "b.xml").stat().st_mode & 0o777 == 0o640  # kept, whatever the umask now


def test_temporary_files_of_a_killed_build_are_cleared(site: Site) -> None:
    site.article("good.md")
    site.output.mkdir()
    stale = site.output / ".atom.xml.k1ll3d.tmp"
    stale.write_bytes(b"<feed")
    unrelated = site.output / ".keep"
    unrelated.write_text("")
    assert site.run("build").exit_code == 0
    assert not stale.exists()
    assert unrelated.exists()


# --- two builds at once -----------------------------------------------------------


def two_sites(tmp_path: Path) -> tuple[Site, Site, dict[str, bytes], dict[str, bytes]]:
    """Two sites with different articles and their feeds, built apart for reference."""
    sites = []
    for name, count in (("a", 3), ("b", 7)):
        one = Site(tmp_path / name)
        one.content.mkdir(parents=True)
        one.configure()
        for number in range(count):
            one.article(f"{name}{number}.md", title=f"{name} {number}", body="text " * 500)
        one.build()
        sites.append(one)
    return sites[0], sites[1], sites[0].snapshot(), sites[1].snapshot()


def test_builds_in_threads_take_turns_and_readers_see_whole_feeds(tmp_path: Path) -> None:
    a, b, expect_a, expect_b = two_sites(tmp_path)
    out = tmp_path / "shared-output"
    configs = {site.root: load_config(site.config_path) for site in (a, b)}
    inside = [0]
    most_inside = [0]
    real_stage_all = feedtool.publish.write.stage_all

    def slow_stage_all(*args: Any) -> None:
        # One build writes its files (several at once); widen the window in which two
        # unlocked builds would interleave.
        inside[0] += 1
        most_inside[0] = max(most_inside[0], inside[0])
        time.sleep(0.002)
        try:
            real_stage_all(*args)
        finally:
            inside[0] -= 1

    seen: list[bytes] = []
    stop = threading.Event()

    def read_continuously() -> None:
        while not stop.is_set():
            try:
                seen.append((out / "atom.xml").read_bytes())
            except FileNotFoundError:
                pass

    def build_many(site: Site) -> None:
        for _ in range(15):
            build(site.content, out, configs[site.root], options(configs[site.root], NOW))

    feedtool.publish.write.stage_all = slow_stage_all  # type: ignore[assignment]
    try:
        reader = threading.Thread(target=read_continuously)
        reader.start()
        builders = [threading.Thread(target=build_many, args=(s,)) for s in (a, b, a, b)]
        for thread in builders:
            thread.start()
        for thread in builders:
            thread.join()
        stop.set()
        reader.join()
    finally:
        feedtool.publish.write.stage_all = real_stage_all  # type: ignore[assignment]

    assert most_inside[0] == 1  # never two builds writing at once
    assert seen and set(seen) <= {expect_a["atom.xml"], expect_b["atom.xml"]}
    final = {p.name: p.read_bytes() for p in out.iterdir()}
    assert final in (expect_a, expect_b)


def test_builds_in_processes_started_at_once(tmp_path: Path) -> None:
    a, b, expect_a, expect_b = two_sites(tmp_path)
    out = tmp_path / "shared-output"
    for _ in range(3):
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "feedtool", "build", "--content", str(s.content),
                 "--output", str(out), "--config", str(s.config_path), "--now",
                 NOW.isoformat(), "-q"],
                stderr=subprocess.PIPE,
            )
            for s in (a, b, a, b)
        ]  # fmt: skip
        for process in processes:
            _, stderr = process.communicate(timeout=60)
            assert process.returncode == 0, stderr
        final = {p.name: p.read_bytes() for p in out.iterdir()}
        assert final in (expect_a, expect_b)
        for name, data in final.items():
            if name.endswith(".json"):
                json.loads(data)
            elif name not in (MANIFEST, "index.html"):
                etree.fromstring(data)


# --- paths that try to leave the output folder -------------------------------------


def files_in(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize(
    "relative",
    [
        "../escape.xml",
        "tags/../../escape.xml",
        "/tmp/escape.xml",
        "",
        ".",
        "tags/./atom.xml",
        "tags//atom.xml",
        "tags/",
        "..",
        "tags\\..\\..\\escape.xml",
        "nul\x00.xml",
    ],
)
def test_paths_outside_the_folder_are_refused(tmp_path: Path, relative: str) -> None:
    before = files_in(tmp_path)
    with pytest.raises(PublishError, match="refusing to write"):
        write_files(tmp_path / "out", {"atom.xml": b"ok", relative: b"evil"})
    # Refused before anything is written, not even the output folder.
    assert files_in(tmp_path) == before


def test_odd_things_in_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "loop.xml").symlink_to("loop.xml")
    with pytest.raises(PublishError, match='cannot follow the path "loop.xml"'):
        write_files(out, {"loop.xml": b"x"})
    # A FIFO where a feed should be: replaced, not read (a read would wait for ever).
    os.mkfifo(out / "atom.xml")
    assert write_files(out, {"atom.xml": b"feed"}) == ["atom.xml"]
    assert (out / "atom.xml").read_bytes() == b"feed"


def test_a_symlink_in_the_output_folder_cannot_lead_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "atom.xml").write_bytes(b"precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "tags").symlink_to(outside)
    (out / "rss.xml").symlink_to(outside / "atom.xml")
    for relative in ("tags/atom.xml", "rss.xml"):
        with pytest.raises(PublishError, match="refusing to write outside the output folder"):
            write_files(out, {relative: b"evil"})
    assert (outside / "atom.xml").read_bytes() == b"precious"


@pytest.mark.parametrize(
    ("slug", "refused"),
    [
        ("../../escape", True),
        ("..", True),
        ("a/../../b", True),
        ("/etc/passwd", True),
        ("..\\..\\x", True),
        ("%2e%2e%2fx", False),
        ("...", False),
    ],
)
def test_hostile_slugs_and_tags_through_the_pipeline(site: Site, slug: str, refused: bool) -> None:
    site.configure(feeds_per=["tags"])  # tag names become folder names: try to escape with them
    site.write("a.md", f"---\ntitle: x\ndate: 2025-01-01\nslug: '{slug}'\ntags: ['{slug}']\n---\n")
    before = files_in(site.root)
    result = site.run("build")
    written = files_in(site.root) - before
    if refused:
        assert result.exit_code == 1
        assert result.stderr.startswith(f"error: {site.content / 'a.md'}:4: slug: ")
        assert written == set()
    else:
        assert result.exit_code == 0, result.output
        assert site.parsed().entries[0].tags[0].term == slug
        assert {"feeds/atom.xml", "feeds/rss.xml", "feeds/tags"} <= written
        # The feeds, and beside the config the ledger of published ids and its lock.
        beside = {"feedtool.ids", ".feedtool.ids.lock"}
        assert all(p == "feeds" or p.startswith("feeds/") or p in beside for p in written)
        # The tag's own feeds are inside feeds/tags/, one folder down.
        tag_files = {p for p in written if p.startswith("feeds/tags/") and p.endswith(".xml")}
        assert tag_files and all(p.count("/") == 3 for p in tag_files)


# --- files a build no longer writes ------------------------------------------------


def test_feeds_no_longer_written_are_removed(site: Site) -> None:
    site.configure(feeds_per=["tags"])
    site.article("a.md", title="A", tags="[old, kept]")
    assert site.run("build").exit_code == 0
    assert (site.output / "tags" / "old" / "atom.xml").is_file()
    user_file = site.output / "robots.txt"  # not feedtool's: never touched
    user_file.write_text("User-agent: *\n")

    site.article("a.md", title="A", tags="[kept]")
    check = site.run("build", "--check")
    assert check.exit_code == 1
    assert f"would remove: {site.output / 'tags/old/atom.xml'}" in check.output
    assert (site.output / "tags" / "old" / "atom.xml").is_file()  # --check wrote nothing

    result = site.run("build")
    assert result.exit_code == 0
    assert f"removed {site.output / 'tags/old/rss.xml'}" in result.output
    assert not (site.output / "tags" / "old").exists()  # its emptied folder too
    assert (site.output / "tags" / "kept" / "atom.xml").is_file()
    assert user_file.read_text() == "User-agent: *\n"
    assert site.run("build", "--check").exit_code == 0


def test_a_manifest_pointing_outside_is_not_followed(site: Site) -> None:
    site.article("a.md")
    assert site.run("build").exit_code == 0
    victim = site.root / "victim.txt"
    victim.write_text("keep me")
    (site.output / MANIFEST).write_text("../victim.txt\n/etc/hostname\natom.xml\n")
    assert site.run("build").exit_code == 0
    assert victim.read_text() == "keep me"


def test_a_file_changed_since_the_cache_read_it_is_compared_again(tmp_path: Path) -> None:
    output = tmp_path / "out"
    write_files(output, {"a.xml": b"one", "b.xml": b"bee"})
    seen = {}
    for name in ("a.xml", "b.xml"):
        info = (output / name).stat()
        seen[name] = (info.st_size, info.st_mtime_ns)
    (output / "a.xml").write_bytes(b"two!")  # after the cache took its bytes
    changed = write_files(output, {"a.xml": b"one", "b.xml": b"bee"}, unchanged=seen)
    assert changed == ["a.xml"]
    assert (output / "a.xml").read_bytes() == b"one" and (output / "b.xml").read_bytes() == b"bee"


def test_every_folder_written_to_is_synced_once(tmp_path: Path, monkeypatch: Any) -> None:
    # A feed per tag is a folder per tag: their fsyncs wait together, not one by one.
    from feedtool.publish import staging

    synced: list[Path] = []
    monkeypatch.setattr(staging, "fsync_folder", synced.append)
    files = {f"tags/t{n}/rss.xml": b"<rss/>" for n in range(20)}
    write_files(tmp_path, {**files, "rss.xml": b"<rss/>"})
    expected = {tmp_path / f"tags/t{n}" for n in range(20)} | {tmp_path}
    assert sorted(synced) == sorted(expected)


@pytest.mark.parametrize(
    ("name", "target", "expected"),
    [
        (".atom.xml.k1ll3d.tmp", "atom.xml", True),
        (".atom.xml.a.b.tmp", "atom.xml", True),
        (".atom.xml..tmp", "atom.xml", False),  # nothing between name and suffix
        (".atom.xml.tmp", "atom.xml", False),
        ("atom.xml.k1ll3d.tmp", "atom.xml", False),  # not hidden: not ours
        (".atom.xml.k1ll3d.tmp.bak", "atom.xml", False),
        (".rss.xml.k1ll3d.tmp", "atom.xml", False),
        (".a.b.c.tmp", "a.b", True),
    ],
)
def test_temporary_files_are_told_by_name_as_the_pattern_did(
    name: str, target: str, expected: bool
) -> None:
    # What the pattern that came before this test matched (one per target, compiled).
    import re

    from feedtool.publish.staging import TEMP_SUFFIX, is_temp_of

    pattern = re.compile(rf"\.{re.escape(target)}\.[^/]+{re.escape(TEMP_SUFFIX)}\Z")
    assert is_temp_of(name, target) is expected is bool(pattern.match(name))
