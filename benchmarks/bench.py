"""Build speed and memory at 1,000 / 10,000 / 50,000 articles, and Hugo beside it.

For each size: a cold build (empty cache, empty output), a warm build (nothing
changed) and a build after one article changed; each run is a fresh
``feedtool build`` process, timed by wall clock, with its peak memory (max RSS)
from the kernel. Prints the median of --runs runs. When ``hugo`` is installed
(Debian package ``hugo``), Hugo builds the same corpus with a config that writes
only RSS feeds (the site's, and then also one per tag, as feedtool writes), in the same
rounds as feedtool's builds, and the median of the rounds' ratios is printed, with
their range.

Also builds, cold, the same feeds as Hugo (+tags) writes ("rss + tags": the main feed and one
per tag, RSS only), and prints both ratios; with --stages, one more cold build with the wall
time of each pipeline stage (benchmarks/stages.py).

Usage: python benchmarks/bench.py [--sizes 1000,10000,50000] [--runs 5] [--work DIR] [--stages]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import write_corpus  # noqa: E402

FEEDTOOL = [sys.executable, "-m", "feedtool"]
NOW = "2026-01-01T00:00:00Z"

# The site, as both configurations below give it.
_SITE = """\
title = "Benchmark site"
description = "Generated articles"
base_url = "https://bench.example.org/"
author = "Bench Writer <bench@example.org>"
language = "en"
limit = 20
feeds_per = ["tags"]
"""
# Every output feedtool has turned on: the workload issue 7 measures.
CONFIG = (
    _SITE
    + """\
formats = ["rss", "atom", "json"]
opml = true
"""
)
# The work Hugo (+tags) does: the main feed and one per tag, in RSS only.
SAME_WORK_CONFIG = (
    _SITE
    + """\
formats = ["rss"]
opml = false
html_page = false
"""
)
SAME_WORK = "rss + tags"  # the name of feedtool's build of SAME_WORK_CONFIG

HUGO_TOP = """\
baseURL = "https://bench.example.org/"
title = "Benchmark site"
"""
HUGO_TABLES = """\
[services.rss]
limit = 20
# Pages are read and listed but never rendered: no HTML at all.
[[cascade]]
[cascade._build]
render = "never"
list = "always"
[cascade._target]
kind = "page"
"""
# The leanest Hugo builds that still write RSS: the site's feed alone (no page, section,
# taxonomy or sitemap files), and the site's feed plus one per tag, as feedtool writes
# (in RSS only, with summaries, not full content).
HUGO_CONFIGS = {
    "hugo (RSS)": """\
disableKinds = ["section", "taxonomy", "term", "sitemap", "robotsTXT", "404"]
[outputs]
home = ["RSS"]
""",
    "hugo (+tags)": """\
disableKinds = ["section", "taxonomy", "sitemap", "robotsTXT", "404"]
ignoreErrors = ["error-disable-taxonomy"]  # the tag list page is off on purpose
[taxonomies]
tag = "tags"
[outputs]
home = ["RSS"]
term = ["RSS"]
""",
}


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr}")
    return wall, usage.ru_maxrss / 1024


def median_of(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), max(m for _, m in runs)


def site(work: Path, size: int) -> Path:
    root = work / str(size)
    if not (root / "content").is_dir():
        write_corpus(size, root / "content")
        # Files changed in the last two seconds are compared by content (their times are
        # too coarse to trust), which would slow the first "nothing changed" run.
        time.sleep(2.5)
    (root / "feedtool.toml").write_text(CONFIG, encoding="utf-8")
    (root / "feedtool-rss.toml").write_text(SAME_WORK_CONFIG, encoding="utf-8")
    return root


def feedtool_build(
    root: Path,
    cache: Path,
    output: Path,
    config: str = "feedtool.toml",
    program: list[str] = FEEDTOOL,
) -> list[str]:
    return [
        *program,
        *("build", "-q", "--now", NOW, "--config", config),
        *("--cache", str(cache), "--output", str(output)),
    ]


def measure(root: Path, runs: int, program: list[str]) -> dict[str, list[tuple[float, float]]]:
    """Every run of every build, by name, round after round.

    Each round runs every build once (feedtool cold, warm and one changed, then each
    Hugo config), so Hugo and feedtool share whatever speed the machine has just then:
    a shared VM's speed drifts by tens of percent within minutes.
    """
    runs_of: dict[str, list[tuple[float, float]]] = {
        "cold": [],
        "warm": [],
        "one changed": [],
        SAME_WORK: [],
    }
    hugo_sites = _hugo_sites(root)
    articles = sorted((root / "content").glob("*.md"))
    for number in range(runs):
        cache, output = root / ".bench-cache", root / ".bench-feeds"
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(output, ignore_errors=True)
        runs_of["cold"].append(run(feedtool_build(root, cache, output, program=program), root))
        runs_of["warm"].append(run(feedtool_build(root, cache, output, program=program), root))
        changed = articles[-1 - number]  # a recent one: it is in the feeds
        original, times = changed.read_bytes(), changed.stat()
        try:
            changed.write_bytes(original + f"\nEdited in run {number}.\n".encode())
            command = feedtool_build(root, cache, output, program=program)
            runs_of["one changed"].append(run(command, root))
        finally:
            # Put the file back as it was, time included, as the next "nothing changed"
            # run assumes; a file changed seconds ago would be compared by content.
            changed.write_bytes(original)
            os.utime(changed, ns=(times.st_atime_ns, times.st_mtime_ns))
        # Cold, as Hugo's builds are: the same feeds as Hugo (+tags) writes, in RSS only.
        same_cache, same_output = root / ".bench-rss-cache", root / ".bench-rss-feeds"
        shutil.rmtree(same_cache, ignore_errors=True)
        shutil.rmtree(same_output, ignore_errors=True)
        command = feedtool_build(root, same_cache, same_output, "feedtool-rss.toml", program)
        runs_of[SAME_WORK].append(run(command, root))
        for name, (binary, site_dir) in hugo_sites.items():
            shutil.rmtree(site_dir / "public", ignore_errors=True)
            command = [binary, "--quiet", "--source", str(site_dir)]
            runs_of.setdefault(name, []).append(run(command, site_dir))
    return runs_of


def _hugo_sites(root: Path) -> dict[str, tuple[str, Path]]:
    """A Hugo site per HUGO_CONFIGS entry over the corpus (none without ``hugo``)."""
    binary = shutil.which("hugo")
    if binary is None:
        return {}
    sites = {}
    for number, (name, config) in enumerate(HUGO_CONFIGS.items()):
        hugo_site = root / f".hugo-{number}"
        shutil.rmtree(hugo_site, ignore_errors=True)
        hugo_site.mkdir()
        # Top-level keys first: TOML puts every key after a [table] header inside that table.
        (hugo_site / "hugo.toml").write_text(HUGO_TOP + config + HUGO_TABLES, encoding="utf-8")
        (hugo_site / "content").symlink_to(root / "content")
        sites[name] = (binary, hugo_site)
    return sites


def installed_copy(work: Path) -> list[str]:
    """The ``feedtool`` script of this working tree installed as a user installs it: built
    and installed by pip (a wheel, its bytecode compiled), not the editable install, and
    run as the script pip makes for it (not ``python -m feedtool``, whose runpy costs
    ~10 ms that a user running ``feedtool build`` does not pay).

    An editable install's import hook (setuptools' finder, loaded by every Python start)
    costs ~10 ms of each run, which no user pays: a build with nothing to do takes ~0.1 s.
    The copy gets its libraries from this interpreter's site-packages (a .pth file), so
    only feedtool itself is installed; None of it when pip cannot build (no network for
    its build tools): then the editable install is measured, and said so.
    """
    import sysconfig

    venv = work / ".feedtool-installed"
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    target = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    libraries = sysconfig.get_path("purelib")
    (target / "libraries.pth").write_text(f"{libraries}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
         str(Path(__file__).resolve().parent.parent)],
        capture_output=True,
        text=True,
    )  # fmt: skip
    if done.returncode != 0:
        print(f"(pip could not install a copy, so the editable install is measured: "
              f"{done.stderr.strip().splitlines()[-1:]})")  # fmt: skip
        compile_bytecode()
        return FEEDTOOL
    # The script pip writes for a console_scripts entry point (pyproject.toml), with the
    # copy's interpreter: --target leaves none that would run it.
    script = venv / "bin" / "feedtool"
    module, function = _entry_point().split(":")
    script.write_text(
        _CONSOLE_SCRIPT.format(python=python, module=module, function=function), encoding="utf-8"
    )
    script.chmod(0o755)
    return [str(script)]


_CONSOLE_SCRIPT = """#!{python}
# -*- coding: utf-8 -*-
import re
import sys
from {module} import {function}
if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
    sys.exit({function}())
"""


def _entry_point() -> str:
    """The feedtool script's function, as pyproject.toml names it ("module:function")."""
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    scripts = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["scripts"]
    return str(scripts["feedtool"])


def compile_bytecode() -> None:
    """Compile feedtool's modules, as an installed copy has them.

    pip compiles a package's bytecode when it installs it; an editable install run
    with PYTHONDONTWRITEBYTECODE set (as on this project's CI machines) would compile
    every module from source on every run instead, ~25 ms that no user pays.
    """
    import compileall

    import feedtool

    compileall.compile_dir(Path(feedtool.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/feedtool-bench"))
    parser.add_argument(
        "--stages", action="store_true", help="also print each stage's time in a cold build"
    )
    parser.add_argument(
        "--editable",
        action="store_true",
        help="measure the editable install (with its import hook), not an installed copy",
    )
    args = parser.parse_args()
    if args.editable:
        compile_bytecode()
        program = FEEDTOOL
    else:
        args.work.mkdir(parents=True, exist_ok=True)
        program = installed_copy(args.work)
    print(f"feedtool: {' '.join(program)}")
    python = platform.python_version()
    print(f"machine: {os.cpu_count()} cores, {_memory_gb():.0f} GB, Python {python}")
    print(f"{'articles':>8}  {'build':<12} {'median s':>9} {'peak MB':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        root = site(args.work, size)
        runs_of = measure(root, args.runs, program)
        for name, runs in runs_of.items():
            wall, memory = median_of(runs)
            line = f"{size:>8}  {name:<12} {wall:>9.3f} {memory:>8.0f}"
            print(line)
            if name.startswith("hugo"):
                # Each round's ratio, then their median: the two ran side by side.
                for mine in ("cold", SAME_WORK) if name == "hugo (+tags)" else ("cold",):
                    print(f"{'':>10}feedtool {mine} / {name} = {_ratio(runs_of[mine], runs)}")
        if args.stages:
            print_stages(root)
        sys.stdout.flush()


def print_stages(root: Path) -> None:
    """One more cold build, with each stage's wall time (benchmarks/stages.py)."""
    cache, output = root / ".bench-cache", root / ".bench-feeds"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    command = feedtool_build(root, cache, output)
    stages = Path(__file__).with_name("stages.py")
    done = subprocess.run(
        [sys.executable, str(stages), *command[len(FEEDTOOL) + 1 :]],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    print(f"{'':>10}stages of one cold build (main process, wall time):")
    for line in done.stderr.splitlines():
        print(f"{'':>12}{line}")


def _ratio(mine: list[tuple[float, float]], theirs: list[tuple[float, float]]) -> str:
    """The median of the rounds' ratios, with their range."""
    ratios = [m / t for (m, _), (t, _) in zip(mine, theirs, strict=True)]
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"


def _memory_gb() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


if __name__ == "__main__":
    main()
