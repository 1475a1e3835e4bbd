"""The answer to a build with nothing to do, given before the command line is loaded.

An hourly job mostly runs builds that find nothing changed, and such a build spends most
of its time importing: click, the config's checks, the pipeline. So once a build has
run, the command line leaves in the cache folder (``answer.json``) what the same command
would print next time if nothing changed, with what it asked the cache. When the very
same command is run again, in the same folder, with the same config file (byte for
byte) and the same feedtool and libraries, this module asks the last build's summary the
question DiskCache asks (cache/summary.py: every content file's size and times, the
output files', the ledger's, the time) and, when nothing changed, prints that answer
and exits 0, having loaded neither click nor the config. Anything else (another
command or option, a changed config, a dialect site, a placeholder base_url, --ping,
--no-cache, a cache or output folder reached through a symlink, a terminal that cannot
print the answer) takes the whole way, which gives the same answer, slower.

No click here (it is what this saves): the command line's own parsing decides
everything; this module only finds the cache folder the last build named, and trusts
nothing in answer.json that the very same arguments would not have decided.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

from feedtool.cache import summary
from feedtool.cache.summary import ANSWER, Question
from feedtool.errors import FeedtoolError, printable
from feedtool.read.sources import Listed, Rule, list_content
from feedtool.safefile import linked_folder, read_regular

DEFAULT_CACHE = ".feedtool-cache"  # build's --cache default (a test holds the two together)


class Invocation(NamedTuple):
    """The arguments the feedtool script was run with (click's root context ``obj``),
    and the content folder as look() listed it, for the build not to list it again."""

    argv: tuple[str, ...]
    listed: Listed | None = None


class Look(NamedTuple):
    """What look() found: whether it answered, and its listing of the content folder."""

    answered: bool
    listed: Listed | None = None


class Answer(NamedTuple):
    """What a build left for the next run of the same command (see the module's text)."""

    argv: tuple[str, ...]
    cwd: str
    cache: str  # the cache folder the arguments name
    config: str  # the config file, as named, and a digest of its bytes
    config_digest: str
    fingerprint: str  # the cache's fingerprint (cache/folder.py) for that config
    content: str  # the content folder, and the folders it may link into (walk's roots)
    roots: tuple[str, ...]
    hidden: str  # what its listing leaves out (read/sources.Rule)
    skipped: tuple[str, ...]
    output: str
    options: tuple[object, ...]  # what the build asked the cache (pipeline.build's)
    now: float | None  # --now, as a timestamp; None: the clock
    stdout: str
    stderr: str


def look(argv: list[str]) -> Look:
    """Print the last build's answer when ``argv`` is the command it was left for and
    nothing changed since (else nothing), and say so, with the content folder's listing
    when one was made (the build that follows uses it)."""
    if not argv or argv[0] != "build":
        return Look(False)
    cache = _cache_folder(argv[1:])
    if cache is None:
        return Look(False)
    answer = _read_answer(Path(cache))
    if answer is None or answer.argv != tuple(argv) or answer.cache != cache:
        return Look(False)
    if answer.cwd != os.getcwd():
        return Look(False)
    still, listed = _still(answer)
    if not still:
        return Look(False, listed)
    out, err = answer.stdout, answer.stderr
    # Lines the whole way printed are printable already; a forged answer's may not be.
    if any(printable(line) != line for line in (out + err).splitlines()):
        return Look(False, listed)
    try:  # a terminal whose encoding cannot show the answer: click's path decides
        out.encode(sys.stdout.encoding or "utf-8")
        err.encode(sys.stderr.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return Look(False, listed)
    try:
        sys.stderr.write(err)
        sys.stderr.flush()
        sys.stdout.write(out)
        sys.stdout.flush()
    except BrokenPipeError:
        # Whoever read it went away (feedtool build | head): exit 1 quietly, as click
        # does, with nothing left to flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    return Look(True)


def _still(answer: Answer) -> tuple[bool, Listed | None]:
    """Whether a build of ``answer``'s command would find nothing changed now, and the
    content folder's listing, when it was made."""
    started_ns = time.time_ns()
    try:
        config, _ = read_regular(answer.config)
    except OSError:
        return False, None
    if hashlib.sha256(config).hexdigest() != answer.config_digest:
        return False, None
    cache, output = Path(answer.cache), Path(answer.output)
    # Reached through a link, the build refuses them: its error is click's path's to give.
    if linked_folder(cache, "") is not None or linked_folder(output, "") is not None:
        return False, None
    state = summary.read_state(cache / "state.json", answer.fingerprint)
    if state is None:
        return False, None
    rule = Rule(answer.hidden, frozenset(answer.skipped))
    listed = list_content(answer.content, answer.roots, rule)
    if listed is None:
        return False, None
    listing, newest_ns = summary.without_outputs(listed.files, answer.content, answer.output, state)
    key = summary.state_key(answer.fingerprint, answer.options, listing)
    now = answer.now if answer.now is not None else time.time()

    def stamp(relative: str) -> tuple[int, int] | None:
        try:
            info = os.stat(output / relative)
        except OSError:
            return None
        return (info.st_size, info.st_mtime_ns)

    return summary.unchanged(state, key, newest_ns, started_ns, stamp, now), listed


def _cache_folder(arguments: list[str]) -> str | None:
    """The cache folder ``build``'s arguments name (--cache), or None with --no-cache.

    Only where to look: the answer found there is used only if its arguments are these,
    and the cache folder click found for them is this one."""
    found = DEFAULT_CACHE
    for number, argument in enumerate(arguments):
        if argument == "--no-cache":
            return None
        if argument == "--cache" and number + 1 < len(arguments):
            found = arguments[number + 1]
        elif argument.startswith("--cache="):
            found = argument.removeprefix("--cache=")
    return found


def _read_answer(cache: Path) -> Answer | None:
    # Made with other code or libraries (the header's key), it is no answer.
    body = summary.read_body(cache / ANSWER, summary.code_key())
    if body is None:
        return None
    try:
        data: Any = json.loads(bytes(body))
        answer = Answer(
            argv=tuple(str(argument) for argument in data["argv"]),
            cwd=str(data["cwd"]),
            cache=str(data["cache"]),
            config=str(data["config"]),
            config_digest=str(data["config_digest"]),
            fingerprint=str(data["fingerprint"]),
            content=str(data["content"]),
            roots=tuple(str(root) for root in data["roots"]),
            hidden=str(data["hidden"]),
            skipped=tuple(str(name) for name in data["skipped"]),
            output=str(data["output"]),
            options=tuple(data["options"]),
            now=None if data["now"] is None else float(data["now"]),
            stdout=str(data["stdout"]),
            stderr=str(data["stderr"]),
        )
    except (TypeError, ValueError, KeyError, RecursionError):
        return None
    return answer


def remember(
    invocation: Invocation,
    cache: Path,
    config: Path,
    question: Question,
    output: Path,
    now: float | None,
    stdout: list[str],
    stderr: list[str],
) -> None:
    """Leave in ``cache`` what ``invocation`` would print next time if nothing changed
    (``stdout`` and ``stderr``, lines), and the summary's ``question`` it answers. A
    cache that cannot be written costs speed only."""
    from feedtool.cache.folder import CacheFolder  # the whole way: loaded already

    try:
        digest = hashlib.sha256(read_regular(config)[0]).hexdigest()
        answer = Answer(
            argv=invocation.argv,
            cwd=os.getcwd(),
            cache=os.fspath(cache),
            config=os.fspath(config),
            config_digest=digest,
            fingerprint=question.fingerprint,
            content=question.content,
            roots=question.roots,
            hidden=question.hidden,
            skipped=question.skipped,
            output=os.fspath(output),
            options=question.options,
            now=now,
            stdout="".join(f"{line}\n" for line in stdout),
            stderr="".join(f"{line}\n" for line in stderr),
        )
        CacheFolder(cache, summary.code_key()).write(ANSWER, answer._asdict())
    except (OSError, FeedtoolError):
        pass
