"""The answer to a build with nothing to do, given before the command line is loaded.

An hourly job mostly runs builds that find nothing changed, and such a build spends most
of its time importing: click, the config's checks, the pipeline. So once a build has
run, the command line leaves in the cache folder (``answer.json``) what the same command
would print next time if nothing changed, with what it asked the cache and the state
that answered. When the very same command is run again, in the same folder, with the
same config file (the very file: its inode and change time, and its bytes) and the same
feedtool and libraries, this module asks that state the question DiskCache asks
(cache/summary.py: every content file's size and times, the output files', the
ledger's, the time) and, when nothing changed, prints that answer and exits 0, having
loaded neither click nor the config. Anything else (another command or option, a changed
config, a dialect site, a placeholder base_url, --ping, --no-cache, another build since,
a cache or output folder reached through a symlink, a terminal that cannot print the
answer) takes the whole way, which gives the same answer, slower.

No click here (it is what this saves): the command line's own parsing decides
everything; this module only finds the cache folder and config file the arguments name.
What else answer.json says (the content and output folders the config named, say) is
trusted because it was written on this machine after that config file was: a cache
folder from anywhere else (a committed one) never matches, as a checkout gives every file
a new change time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from feedtool.cache import summary
from feedtool.cache.summary import ANSWER, Question, State
from feedtool.errors import FeedtoolError, printable
from feedtool.read.sources import Listed, Rule, list_content
from feedtool.safefile import linked_folder, read_regular, settled, size_and_time
from feedtool.values.choices import CACHE_FOLDER, CONFIG_NAME

if TYPE_CHECKING:
    from pathlib import Path

    from feedtool.pipeline import BuildCache

ConfigStamp = tuple[int, int, int, int]  # the config file's size, mtime_ns, ctime_ns, inode


class Invocation(NamedTuple):
    """The arguments the feedtool script was run with (click's root context ``obj``),
    and the content folder as look() listed it, for the build not to list it again."""

    argv: tuple[str, ...]
    listed: Listed | None = None
    # What the build made, held by cli.run until the process ends at once: never taken
    # apart object by object (None: main() was called as a function, not run).
    kept: list[object] | None = None


class Look(NamedTuple):
    """What look() found: whether it answered, and its listing of the content folder."""

    answered: bool
    listed: Listed | None = None


class Answer(NamedTuple):
    """What a build left for the next run of the same command (see the module's text)."""

    argv: tuple[str, ...]
    cwd: str
    cache: str  # the cache folder the arguments name
    config: str  # the config file they name, as the build spelled it
    config_stamp: ConfigStamp  # when the build read it
    config_digest: str  # of its bytes
    question: Question  # what the build asked the summary
    output: str  # the output folder (the arguments' or the config's)
    state: tuple[str, int]  # the state that answered it: its key, when it was taken
    now: float | None  # --now, as a timestamp; None: the clock
    stdout: str
    stderr: str


def look(argv: list[str]) -> Look:
    """Print the last build's answer when ``argv`` (``build`` and its arguments) is the
    command it was left for and nothing changed since (else nothing), and say so, with the
    content folder's listing when one was made (the build that follows uses it)."""
    if "--no-cache" in argv or sys.stdout is None or sys.stderr is None:
        return Look(False)
    cache = _option(argv[1:], "--cache", CACHE_FOLDER)
    answer = _read_answer(cache)
    if answer is None or answer.argv != tuple(argv) or answer.cache != cache:
        return Look(False)
    config = _option(argv[1:], "--config", CONFIG_NAME)
    if os.path.normpath(config) != os.path.normpath(answer.config) or answer.cwd != os.getcwd():
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
    except OSError:
        # Whoever read it went away (feedtool build | head: a broken pipe): exit 1
        # quietly, as click does, with nothing left to flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    return Look(True)


def _still(answer: Answer) -> tuple[bool, Listed | None]:
    """Whether a build of ``answer``'s command would find nothing changed now, and the
    content folder's listing, when it was made."""
    started_ns = time.time_ns()
    if config_stamp(answer.config) != answer.config_stamp:
        return False, None
    try:
        config, _ = read_regular(answer.config)
    except OSError:
        return False, None
    if hashlib.sha256(config).hexdigest() != answer.config_digest:
        return False, None
    # Reached through a link, the build refuses them: its error is click's path's to give.
    if linked_folder(answer.cache, "") is not None or linked_folder(answer.output, "") is not None:
        return False, None
    question = answer.question
    state = summary.read_state(os.path.join(answer.cache, "state.json"), question.fingerprint)
    if state is None or (state.key, state.taken_ns) != answer.state:
        return False, None  # another build since, through the library or with --ping
    rule = Rule(question.hidden, frozenset(question.skipped))
    listed = list_content(question.content, question.roots, rule)
    if listed is None:
        return False, None
    listing, newest_ns = summary.without_outputs(
        listed.files, listed.newest, question.content, answer.output, state
    )
    key = summary.state_key(question.fingerprint, question.options, listing)
    now = answer.now if answer.now is not None else time.time()
    stamp = lambda relative: size_and_time(os.path.join(answer.output, relative))  # noqa: E731
    return summary.unchanged(state, key, newest_ns, started_ns, stamp, now), listed


def config_stamp(path: Path | str) -> ConfigStamp | None:
    """The config file's size, times and inode; None when it cannot be looked at."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _option(arguments: list[str], name: str, default: str) -> str:
    """The value ``build``'s arguments give the option ``name`` (the last, as click
    takes it), or ``default``.

    Only where to look: the answer found is used only if its arguments are these, and
    the folder or file click found for them is this one."""
    found = default
    for number, argument in enumerate(arguments):
        if argument == name and number + 1 < len(arguments):
            found = arguments[number + 1]
        elif argument.startswith(name + "="):
            found = argument.removeprefix(name + "=")
    return found


def _read_answer(cache: str) -> Answer | None:
    # Made with other code or libraries (the header's key), it is no answer.
    body = summary.read_body(os.path.join(cache, ANSWER), summary.code_key())
    if body is None:
        return None
    try:
        data: Any = json.loads(bytes(body))
        fingerprint, options, content, roots, hidden, skipped = data["question"]
        size, mtime_ns, ctime_ns, inode = data["config_stamp"]
        key, taken_ns = data["state"]
        answer = Answer(
            argv=tuple(str(argument) for argument in data["argv"]),
            cwd=str(data["cwd"]),
            cache=str(data["cache"]),
            config=str(data["config"]),
            config_stamp=(int(size), int(mtime_ns), int(ctime_ns), int(inode)),
            config_digest=str(data["config_digest"]),
            question=Question(
                str(fingerprint),
                tuple(options),
                str(content),
                tuple(str(root) for root in roots),
                str(hidden),
                tuple(str(name) for name in skipped),
            ),
            output=str(data["output"]),
            state=(str(key), int(taken_ns)),
            now=None if data["now"] is None else float(data["now"]),
            stdout=str(data["stdout"]),
            stderr=str(data["stderr"]),
        )
    except (TypeError, ValueError, KeyError, RecursionError):
        return None
    return answer


def remember(
    invocation: Invocation,
    cache: BuildCache,
    folder: Path,
    config: Path,
    read: ConfigStamp | None,
    output: Path,
    now: float | None,
    lines: Callable[[State], tuple[list[str], list[str]]],
) -> None:
    """Leave in the cache ``folder`` what ``invocation`` would print next time if nothing
    changed (``lines`` of the state that answers it: stdout's and stderr's), with the
    question it answers. Nothing when the cache has no such state, or the config file
    changed since it was ``read`` (its stamp before it was). A cache that cannot be
    written costs speed only."""
    from feedtool.cache.folder import CacheFolder  # the whole way: loaded already
    from feedtool.cache.store import DiskCache

    found = cache.answer() if isinstance(cache, DiskCache) else None
    if found is None or read is None:
        return
    question, state = found
    taken_ns = time.time_ns()
    if config_stamp(config) != read or not settled(read[1], taken_ns):
        return  # changed while the build ran, or too recently to tell
    stdout, stderr = lines(state)
    try:
        answer = Answer(
            argv=invocation.argv,
            cwd=os.getcwd(),
            cache=os.fspath(folder),
            config=os.fspath(config),
            config_stamp=read,
            config_digest=hashlib.sha256(read_regular(config)[0]).hexdigest(),
            question=question,
            output=os.fspath(output),
            state=(state.key, state.taken_ns),
            now=now,
            stdout="".join(f"{line}\n" for line in stdout),
            stderr="".join(f"{line}\n" for line in stderr),
        )
        CacheFolder(folder, summary.code_key()).write(ANSWER, answer._asdict())
    except (OSError, FeedtoolError):
        pass
