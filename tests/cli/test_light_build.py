"""A build with one article changed, on a site without a podcast, loads what it uses: no
podcast module, no other command's module, and none of the patterns kept for later
(values/patterns.py). Every build starts a fresh process, so what it imports is paid each time."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest

from conftest import Site
from feedtool.values.patterns import compiled_later

NOW = "2026-01-01T00:00:00Z"

# Modules only some sites or commands need (see the lazy imports that say so).
NOT_LOADED = (
    "feedtool.cli.ids",
    "feedtool.read.episode",
    "feedtool.read.mediafacts",
    "feedtool.read.show_art",
    "feedtool.values.podcast_settings",
    "base64",
    "difflib",
    "mimetypes",
    "traceback",
)

# After a build run as the script runs it (click exits through SystemExit): which of
# NOT_LOADED it loaded, and the patterns kept for later it compiled, of how many.
PROBE = """
import json, sys
from feedtool.cli import main

def later(value):
    wrapped = getattr(value, "__wrapped__", None)
    return getattr(wrapped, "__qualname__", "") == "compiled_later.<locals>.compiled"

sys.argv = ["feedtool", *sys.argv[1:]]
try:
    main()
finally:
    found = [
        (f"{name}.{key}", value.cache_info().currsize)
        for name, module in list(sys.modules.items())
        if name.startswith("feedtool")
        for key, value in list(vars(module).items())
        if later(value)
    ]
    print(json.dumps({
        "loaded": [m for m in NOT_LOADED if m in sys.modules],
        "compiled": [name for name, size in found if size],
        "patterns": len(found),
    }))
"""


def test_a_pattern_kept_for_later_is_compiled_once_when_first_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compiled = []
    compile_now = re.compile

    def counted(pattern: Any, flags: int = 0) -> Any:
        compiled.append(pattern)
        return compile_now(pattern, flags)

    monkeypatch.setattr(re, "compile", counted)
    words = compiled_later(r"[a-z]+", re.IGNORECASE)
    digits = compiled_later(rb"\d+")
    assert compiled == []
    assert words().findall("Two Words") == ["Two", "Words"]
    assert words() is words()
    assert digits().findall(b"a1b22") == [b"1", b"22"]
    assert compiled == [r"[a-z]+", rb"\d+"]


def test_one_article_changed_loads_no_podcast_module_and_compiles_no_later_pattern(
    site: Site,
) -> None:
    site.configure(feeds_per=["tags"])
    for number in range(3):
        site.article(f"post-{number}.md", title=f"Post {number}", tags="[python, web]")
    build = [sys.executable, "-m", "feedtool", "build", "--now", NOW]
    subprocess.run(build, check=True, capture_output=True, cwd=site.root)
    site.article("post-1.md", title="Post 1", tags="[python, web]", body="Edited.")
    code = f"NOT_LOADED = {NOT_LOADED!r}\n{PROBE}"
    done = subprocess.run(
        [sys.executable, "-c", code, *build[3:]], capture_output=True, text=True, cwd=site.root
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert "wrote" in done.stdout, done.stdout  # the whole way, not the quick answer
    assert found["loaded"] == []
    assert found["compiled"] == []
    assert found["patterns"] > 20  # the probe does find them
