"""Where GitHub Pages serves a repository's site: the address a plain site's feeds get
from the workflow ``feedtool init`` writes (its deploy job), so a build can say it.

Read from GITHUB_REPOSITORY in GitHub Actions, else from the ``origin`` remote in the
git config of the folder (or a folder above it). Nothing is run and nothing is fetched.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Mapping
from pathlib import Path

# https://github.com/OWNER/REPO(.git), git@github.com:OWNER/REPO(.git), ssh://git@github.com/...
_GITHUB_REMOTE = re.compile(
    r"^(?:https?://(?:[^@/]+@)?github\.com/|(?:ssh://)?git@github\.com[:/])"
    r"(?P<owner>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?$"
)


def pages_url(owner: str, repository: str) -> str:
    """GitHub Pages' address for a repository: a user or organisation site
    (OWNER.github.io) at the root, any other repository in a folder of its name."""
    host = f"{owner.lower()}.github.io"
    return f"https://{host}/" if repository.lower() == host else f"https://{host}/{repository}/"


def pages_address(folder: Path, environ: Mapping[str, str]) -> str | None:
    """Where Pages would serve the site in ``folder``, or None when it is not a GitHub
    repository (as far as its git config says)."""
    repository = environ.get("GITHUB_REPOSITORY", "")
    if repository.count("/") == 1 and environ.get("GITHUB_ACTIONS") == "true":
        owner, name = repository.split("/")
        return pages_url(owner, name)
    remote = _origin(folder)
    match = _GITHUB_REMOTE.match(remote or "")
    return pages_url(match["owner"], match["repo"]) if match else None


def _origin(folder: Path) -> str | None:
    """The ``origin`` remote's URL in the git config of ``folder`` or a folder above it."""
    for candidate in (folder.resolve(), *folder.resolve().parents):
        git = candidate / ".git"
        if git.is_file():  # a worktree or submodule: "gitdir: PATH"
            try:
                pointer = git.read_text(encoding="utf-8").strip().removeprefix("gitdir:")
            except (OSError, UnicodeDecodeError):
                return None
            git = (candidate / pointer.strip()).resolve()
            common = git / "commondir"
            if common.is_file():
                try:
                    git = (git / common.read_text(encoding="utf-8").strip()).resolve()
                except (OSError, UnicodeDecodeError):
                    return None
        if git.is_dir():
            parser = configparser.ConfigParser(strict=False, interpolation=None)
            try:
                parser.read(git / "config", encoding="utf-8")
            except (configparser.Error, UnicodeDecodeError):
                return None
            return parser.get('remote "origin"', "url", fallback=None)
    return None
