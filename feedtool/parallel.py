"""Work shared between this process and forked copies of it, results always in order.

A big build's reading, rendering and validating are many independent calls of one
function. On a machine with more than one core they are split into contiguous
slices: this process does the first, a forked child does each other one and sends
its results back through a pipe, pickled. Results come back in the items' order,
so the output never depends on which process was faster.

A child that fails in any way (an exception, a crash, a kill) costs only time: its
slice is done again here, where an exception then surfaces as it would have without
children. Without ``fork`` (Windows), with threads running (forking them can
deadlock: the preview server has some) or for few items, everything runs here.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_PROCESSES = 8


def processes() -> int:
    """How many processes a split uses: the cores this process may run on, at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_PROCESSES))


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def split_map(
    function: Callable[[T], R],
    items: Sequence[T],
    *,
    min_items: int,
    on_done: Callable[[int], None] | None = None,
) -> list[R]:
    """``[function(item) for item in items]``, in several processes when it pays.

    ``min_items`` is where splitting starts to pay for the fork and the pickling.
    ``on_done(index)`` is called for each item once its result is here (for progress
    bars): as each is made in this process, a slice at a time from children.
    """
    count = min(processes(), len(items) // max(min_items // 2, 1))
    if count < 2 or not can_fork():
        return _run(function, items, range(len(items)), on_done)
    bounds = [len(items) * number // count for number in range(count + 1)]
    children = [_start(function, items, bounds[n], bounds[n + 1]) for n in range(1, count)]
    try:
        results = _run(function, items, range(bounds[0], bounds[1]), on_done)
        for number in range(1, count):
            pid, pipe = children.pop(0)
            part = range(bounds[number], bounds[number + 1])
            results.extend(_collect(pid, pipe, len(part)) or _run(function, items, part, None))
            if on_done is not None:
                for index in part:
                    on_done(index)
    finally:
        for pid, pipe in children:  # interrupted (Ctrl-C, an exception): none is left behind
            os.close(pipe)
            _stop(pid)
    return results


def _run(
    function: Callable[[T], R],
    items: Sequence[T],
    indexes: range,
    on_done: Callable[[int], None] | None,
) -> list[R]:
    results = []
    for index in indexes:
        results.append(function(items[index]))
        if on_done is not None:
            on_done(index)
    return results


def _start(function: Callable[[T], R], items: Sequence[T], start: int, end: int) -> tuple[int, int]:
    """Fork a child that does items[start:end]; (its pid, the pipe its results come on)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent reports it
            results = [function(items[index]) for index in range(start, end)]
            data = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, pipe: int, expected: int) -> list[R] | None:
    """A child's results, or None when it failed (then its slice is done again here)."""
    try:
        with os.fdopen(pipe, "rb") as handle:
            data = handle.read()
    except BaseException:
        _stop(pid)
        raise
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        results = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a child cut short mid-write: do its work here
        return None
    return results if isinstance(results, list) and len(results) == expected else None


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
