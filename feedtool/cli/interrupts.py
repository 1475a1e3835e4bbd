"""Ctrl-C and SIGTERM (what CI sends a cancelled job) stop a command cleanly.

Python's default for SIGTERM is to die on the spot, wherever the process is: in the
middle of renaming a build's files into place, that leaves some feeds new, some old
and temporary files about. Raising an exception from the handler is no better:
Python runs a handler wherever the main thread is, and there it may be inside a
callback that a native library calls (nh3's attribute filter, while an article is
made safe), which swallows the exception and carries on without that attribute.

So around a build the first SIGINT or SIGTERM is only recorded. The build stops at
the next point where stopping is safe: ``check_stop`` is called there (the command
line calls it from the progress hook, which the build calls between files and entries
and between stages), raises Interrupted, publishing rolls back (publish.write undoes
every rename on any exception), and the command exits with 128 + the signal's number.
A signal recorded once the last file was staged comes too late to stop anything: the
build finishes and says so. A second signal raises at once, wherever the program is
(a build stuck somewhere); after that, signals are ignored so that the rollback under
way is not cut short.

Here, in the command line, because the library never changes process-wide state
such as signal handlers.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from functools import wraps
from types import FrameType
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """A stop signal arrived. BaseException, as KeyboardInterrupt: no ``except
    Exception`` on the way may take it for an error and carry on."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _stop(signum: int, frame: FrameType | None) -> None:
    for other in SIGNALS:
        signal.signal(other, signal.SIG_IGN)  # the clean-up now under way must finish
    raise Interrupted(signum)


class _Recorded:
    """The stop signal received while stop_signals_recorded() is in force, if any."""

    signum: int | None = None
    raised = False  # Interrupted was raised for it: a rollback may be under way
    # The process ends with the command (the feedtool script, not a test's CliRunner):
    # a signal once the command is done changes nothing, and must not turn its exit 0
    # into a death by SIGTERM, so the handler stays (see process_ends_with_command).
    process_ends = False


def process_ends_with_command() -> None:
    """Called by the feedtool script: once a command that records stop signals is done,
    they are still recorded, not acted on, until the process exits with its status."""
    _Recorded.process_ends = True


def _record(signum: int, frame: FrameType | None) -> None:
    if _Recorded.signum is None:
        _Recorded.signum = signum  # acted on at the next check_stop()
        return
    if _Recorded.raised:
        return  # the clean-up now under way must finish
    _Recorded.raised = True
    raise Interrupted(_Recorded.signum)  # the second: a build that does not reach a check


def check_stop() -> None:
    """Raise Interrupted if a stop signal was recorded; call it only where raising is
    safe (not inside a callback from native code)."""
    if _Recorded.signum is not None:
        _Recorded.raised = True
        raise Interrupted(_Recorded.signum)


def stop_recorded() -> int | None:
    """The stop signal recorded and never acted on (it came too late to stop anything)."""
    return None if _Recorded.raised else _Recorded.signum


@contextlib.contextmanager
def stop_signals_raise() -> Iterator[None]:
    """While in the block, SIGINT and SIGTERM raise Interrupted (once); restored after.

    Only for code that calls no native library back (the preview server's loop)."""
    with _handled_by(_stop):
        yield


@contextlib.contextmanager
def stop_signals_recorded() -> Iterator[None]:
    """While in the block, SIGINT and SIGTERM are recorded for check_stop(); a second
    one raises Interrupted at once; restored after."""
    _Recorded.signum, _Recorded.raised = None, False
    try:
        with _handled_by(_record, keep=_Recorded.process_ends):
            yield
    finally:
        # A signal after this is recorded only for the command's message, already given.
        _Recorded.signum, _Recorded.raised = None, True


@contextlib.contextmanager
def _handled_by(
    handler: Callable[[int, FrameType | None], None], *, keep: bool = False
) -> Iterator[None]:
    """``handler`` for SIGINT and SIGTERM in the block; the previous ones after it,
    unless ``keep``."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (a test running the command)
        return
    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}
    try:
        for signum in SIGNALS:
            signal.signal(signum, handler)
        yield
    finally:
        if not keep:
            for signum, previous_handler in previous.items():
                signal.signal(signum, previous_handler)


def stops_cleanly(command: F) -> F:
    """Run ``command`` with stop_signals_recorded(); a stop is one line and exit 128 + N.

    ``command`` calls check_stop() where it may stop (see the module's text)."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with stop_signals_recorded():
                result = command(*args, **kwargs)
                late = stop_recorded()
                if late is not None:
                    click.echo(
                        f"{signal.Signals(late).name} came as the feeds were put in place: "
                        "this build finished (every feed is new)",
                        err=True,
                    )
                return result
        except Interrupted as exc:
            name = signal.Signals(exc.signum).name
            click.echo(
                f"stopped by {name}: no feed was left half-written "
                "(the output has the last complete build's files)",
                err=True,
            )
            raise SystemExit(128 + exc.signum) from None

    return wrapper  # type: ignore[return-value]
