"""The CI workflow `feedtool init` writes, run step by step against a real git remote.

GitHub's runner is not here, so the test plays it: a bare repository stands in
for GitHub, each run starts from a fresh clone (as actions/checkout does), the
`uses:` steps are stood in for by this clone and the test's Python, and every
`run:` step is executed with bash as GitHub runs it, with $GITHUB_OUTPUT and the
`if:` conditions honoured. What it shows: the first run publishes, a run with
nothing new commits nothing, and new content is published by the next run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from conftest import ROOT
from feedtool.site.scaffold import init_site, new_article, workflow_text

# Steps the test cannot or need not run here, by name:
STOOD_IN = {
    "Install feedtool": "feedtool is installed in the test's own environment",
}
_CONDITION = re.compile(r"^steps\.(\w+)\.outputs\.(\w+) == '(\w+)'$")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=_env()
    ).stdout


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        GIT_AUTHOR_NAME="Writer",
        GIT_AUTHOR_EMAIL="writer@example.org",
        GIT_COMMITTER_NAME="Writer",
        GIT_COMMITTER_EMAIL="writer@example.org",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        CI="true",
    )
    env.update(extra)
    return env


def steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(workflow_text())
    result: list[dict[str, Any]] = workflow["jobs"]["publish"]["steps"]
    return result


def run_workflow(remote: Path, workdir: Path) -> list[str]:
    """One run of the job in a fresh clone; returns the names of the steps that ran."""
    git(remote.parent, "clone", "--quiet", str(remote), str(workdir))
    outputs: dict[str, dict[str, str]] = {}
    ran = []
    for number, step in enumerate(steps()):
        name = step.get("name", step.get("uses", ""))
        if "uses" in step or name in STOOD_IN:
            continue
        condition = step.get("if")
        if condition is not None:
            match = _CONDITION.match(condition)
            assert match, f"the test cannot evaluate {condition!r}"
            step_id, key, wanted = match.groups()
            if outputs.get(step_id, {}).get(key) != wanted:
                continue
        output_file = workdir.parent / f"{workdir.name}-output-{number}"
        output_file.write_text("")
        process = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workdir,
            env=_env(GITHUB_OUTPUT=str(output_file)),
            capture_output=True,
            text=True,
        )
        assert process.returncode == 0, (name, process.stdout, process.stderr)
        if "id" in step:
            lines = output_file.read_text().splitlines()
            outputs[step["id"]] = dict(line.split("=", 1) for line in lines)
        ran.append(name)
    return ran


def publish_commits(remote: Path) -> list[str]:
    log = git(remote, "log", "--format=%s", "main")
    return [line for line in log.splitlines() if line == "Publish feeds"]


def test_the_workflow_publishes_only_when_the_feeds_change(tmp_path: Path) -> None:
    remote = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    site = tmp_path / "site"
    site.mkdir()
    git(site, "init", "--quiet", "--initial-branch=main")
    init_site(site, datetime(2025, 1, 1, tzinfo=UTC))
    git(site, "add", ".")
    git(site, "commit", "--quiet", "-m", "New site")
    git(site, "remote", "add", "origin", str(remote))
    git(site, "push", "--quiet", "-u", "origin", "main")

    # First run: no feeds committed yet, so they "changed": built and pushed.
    ran = run_workflow(remote, tmp_path / "run1")
    assert ran == ["Have the feeds changed?", "Build", "Validate", "Publish"]
    assert len(publish_commits(remote)) == 1
    files = git(remote, "ls-tree", "-r", "--name-only", "main").split()
    assert "feeds/atom.xml" in files and "feeds/rss.xml" in files

    # Nothing new: the job builds and checks but commits nothing.
    ran = run_workflow(remote, tmp_path / "run2")
    assert ran == ["Have the feeds changed?", "Build", "Validate"]
    assert len(publish_commits(remote)) == 1

    # A writer pushes an article: the next run publishes it.
    new_article(site / "content", "Second post", datetime(2025, 2, 1, tzinfo=UTC))
    git(site, "pull", "--quiet", "--rebase")
    git(site, "add", "content")
    git(site, "commit", "--quiet", "-m", "Second post")
    git(site, "push", "--quiet")
    ran = run_workflow(remote, tmp_path / "run3")
    assert ran == ["Have the feeds changed?", "Build", "Validate", "Publish"]
    assert len(publish_commits(remote)) == 2
    atom = git(remote, "show", "main:feeds/atom.xml")
    assert "<title>Second post</title>" in atom


def test_every_step_this_test_stands_in_for_exists() -> None:
    names = {step.get("name") for step in steps()}
    assert set(STOOD_IN) <= names
    by_name = {step.get("name"): step for step in steps()}
    assert by_name["Validate"]["run"].strip() == "feedtool validate"
    # From its repository (feedtool is not on PyPI, where the name could be anyone's).
    install = by_name["Install feedtool"]["run"]
    assert 'pip install "feedtool @ git+https://github.com/OWNER/feedtool@' in install


def test_workflow_triggers() -> None:
    workflow = yaml.safe_load(workflow_text())
    # PyYAML reads the key `on` as the boolean True (YAML 1.1); GitHub reads it as "on".
    triggers = workflow[True]
    assert triggers["schedule"] == [{"cron": "17 * * * *"}]
    assert "push" in triggers and "workflow_dispatch" in triggers
    # Nothing at the top; the one job asks for what it needs.
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["publish"]["permissions"] == {"contents": "write"}


def _zizmor(path: Path) -> subprocess.CompletedProcess[str]:
    # --offline: the audits that ask GitHub's API are skipped (no token, no network here).
    zizmor = Path(sys.executable).parent / "zizmor"
    return subprocess.run(
        [str(zizmor), "--offline", "--no-progress", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        env={**_env(), "NO_COLOR": "1"},
    )


def test_zizmor_finds_nothing_in_the_workflow(tmp_path: Path) -> None:
    # Where GitHub (and zizmor) expect a workflow: .github/workflows/.
    init_site(tmp_path, datetime(2025, 1, 1, tzinfo=UTC))
    result = _zizmor(tmp_path / ".github/workflows/publish.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


def test_zizmor_finds_nothing_in_the_action() -> None:
    result = _zizmor(ROOT / "action.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


def test_actions_are_pinned_to_commits_with_their_tag_named() -> None:
    for text in (workflow_text(), (ROOT / "action.yml").read_text(encoding="utf-8")):
        uses = re.findall(r"^\s*(?:- )?uses: (\S+)(.*)$", text, re.MULTILINE)
        assert uses
        for reference, comment in uses:
            if reference.startswith("OWNER/"):
                continue  # the reader's own copy of feedtool, in a comment
            assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", reference), reference
            assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), (reference, comment)


def test_only_the_push_step_has_the_token() -> None:
    checkout = steps()[0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["persist-credentials"] is False
    with_token = [step["name"] for step in steps() if "secrets." in str(step)]
    assert with_token == ["Publish"]
    assert steps()[-1]["env"] == {"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}"}


def test_the_push_step_hands_git_the_token(tmp_path: Path) -> None:
    """The credential helper the Publish step gives git answers with the token."""
    push = steps()[-1]["run"]
    helper = re.search(r"-c '(credential\.helper=!.*)'", push)
    assert helper, push
    answer = subprocess.run(
        ["git", "-c", "credential.helper=", "-c", helper[1], "credential", "fill"],
        input="protocol=https\nhost=github.com\n\n",
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env=_env(GITHUB_TOKEN="the-token", GIT_TERMINAL_PROMPT="0"),
    )
    assert "username=x-access-token\npassword=the-token\n" in answer.stdout


def test_the_feeds_are_deployed_to_github_pages() -> None:
    """Issue 23 item 5: a plain site has no host, so the workflow serves feeds/ on Pages."""
    workflow = yaml.safe_load(workflow_text())
    names = [step.get("name", step.get("uses", "").split("@")[0]) for step in steps()]
    upload = names.index("actions/upload-pages-artifact")
    # What was built and validated, uploaded before the (token-holding) Publish step.
    assert names.index("Validate") < upload < names.index("Publish")
    assert steps()[upload]["with"] == {"path": "feeds"}
    assert steps()[upload]["if"] == workflow["jobs"]["deploy"]["if"].replace(
        "needs.publish.outputs.changed", "steps.check.outputs.changed"
    )
    publish = workflow["jobs"]["publish"]
    assert publish["outputs"] == {"changed": "${{ steps.check.outputs.changed }}"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "publish"
    # Least privilege: only what deploy-pages needs, and only in this job.
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    # Quiet hours deploy nothing; pushes and manual runs always do.
    assert deploy["if"] == (
        "needs.publish.outputs.changed == 'true' || github.event_name != 'schedule'"
    )
