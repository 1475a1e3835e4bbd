"""Ctrl-C and SIGTERM (what CI sends a cancelled job) stop a command cleanly.

Python's default for SIGTERM is to die on the spot, wherever the process is: in the
middle of renaming a build's files into place, that leaves some feeds new, some old
and temporary files about. Around the commands that publish, the first SIGINT or
SIGTERM instead raises an exception where the program is, so that publishing rolls
back (publish.write undoes every rename on any exception) before the command exits
with 128 + the signal's number. Signals after the first are ignored: they must not
cut that rollback short.

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


@contextlib.contextmanager
def stop_signals_raise() -> Iterator[None]:
    """While in the block, SIGINT and SIGTERM raise Interrupted (once); restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (a test running the command)
        return
    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}
    try:
        for signum in SIGNALS:
            signal.signal(signum, _stop)
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def stops_cleanly(command: F) -> F:
    """Run ``command`` with stop_signals_raise(); a stop is one line and exit 128 + N."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with stop_signals_raise():
                return command(*args, **kwargs)
        except Interrupted as exc:
            name = signal.Signals(exc.signum).name
            click.echo(
                f"stopped by {name}: no feed was left half-written "
                "(the output has the last complete build's files)",
                err=True,
            )
            raise SystemExit(128 + exc.signum) from None

    return wrapper  # type: ignore[return-value]
