"""The ecosystem hooks: action.yml (a composite GitHub Action) and .pre-commit-hooks.yaml.

Beyond their shape, the shell they run is run here, against a real site.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from conftest import ROOT, Site

ROOT = ROOT


def load(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def test_action_shape() -> None:
    action = load("action.yml")
    assert action["name"] and action["description"]
    assert set(action["inputs"]) == {
        "content",
        "output",
        "config",
        "check",
        "ping",
        "python-version",
    }
    for name, spec in action["inputs"].items():
        assert spec["description"], name
        assert isinstance(spec["default"], str), name  # action inputs are strings
    runs = action["runs"]
    assert runs["using"] == "composite"
    assert runs["steps"][0]["uses"].startswith("actions/setup-python@")
    for step in runs["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"  # composite steps must name their shell
            assert "${{" not in step["run"]  # inputs arrive through env, never pasted in
    install = runs["steps"][1]["run"]
    assert 'pip install --quiet "$GITHUB_ACTION_PATH"' in install


def run_action_build(site: Site, check: str = "false") -> subprocess.CompletedProcess[str]:
    """The action's build step, with the inputs GitHub would put in its environment."""
    step = load("action.yml")["runs"]["steps"][2]
    inputs = {
        "content": str(site.content),
        "output": str(site.output),
        "config": str(site.config_path),
        "check": check,
        "ping": "false",
    }
    env = {key: value.replace("${{ inputs.", "").rstrip(" }") for key, value in step["env"].items()}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        env=_env(**{key: inputs[name] for key, name in env.items()}),
        capture_output=True,
        text=True,
    )


def test_action_build_step_builds_and_checks(site: Site) -> None:
    site.article("2025-01-01-a.md", title="From the action")
    built = run_action_build(site)
    assert built.returncode == 0, built.stderr
    assert [e.title for e in site.parsed().entries] == ["From the action"]
    assert run_action_build(site, check="true").returncode == 0
    site.article("2025-01-02-b.md", title="Not built yet")
    stale = run_action_build(site, check="true")
    assert stale.returncode == 1 and "would change" in stale.stdout


def test_pre_commit_hooks_shape() -> None:
    hooks = {hook["id"]: hook for hook in load(".pre-commit-hooks.yaml")}
    assert set(hooks) == {"feedtool-check", "feedtool-build"}
    for hook in hooks.values():
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"  # pre-commit pip-installs this repository
        assert hook["pass_filenames"] is False  # feedtool reads the whole site itself
    assert hooks["feedtool-check"]["entry"] == "feedtool build --check"


def test_pre_commit_check_entry_runs_in_a_site(site: Site) -> None:
    """pre-commit runs the entry at the repository root: the defaults must find the site."""
    entry = shlex.split(load(".pre-commit-hooks.yaml")[0]["entry"])
    site.article("a.md")

    def run_hook() -> int:
        return subprocess.run(entry, cwd=site.root, env=_env(), capture_output=True).returncode

    assert run_hook() == 1  # no feeds yet
    assert site.run("build").exit_code == 0
    assert run_hook() == 0
    site.article("b.md", title="B")
    assert run_hook() == 1
