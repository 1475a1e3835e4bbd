"""Work shared between this process and forked copies of it, results always in order.

A big build's reading, rendering and validating are many independent calls of one
function. On a machine with more than one core the items are cut into chunks; this
process and forked children each take the next chunk until none is left, and the
children send each chunk's results back through a pipe as soon as they are made,
pickled (or in a faster form a caller gives, see ``Transport``). The results are put
together in the items' order, so the output never depends on who did what.

The chunks are handed out through a pipe holding one byte per chunk (its number):
a one-byte read is atomic, so no two processes take the same chunk, and whoever is
free takes the next one, which keeps every core busy even while this process does
something else first (see ``meanwhile``: work this process needs done anyway, such as
importing what the next stage needs, while the children get going).

Failures never depend on timing either. A child that fails in any way (an
exception, a crash, a kill) costs only time: the chunks it did not send back are
done again here, in order, so the exception raised is always the one of the first
failing item, as without children. Only on Linux (elsewhere forking a process that
has loaded native libraries is not safe, and Windows has no fork), never with threads
running (forking them can deadlock: the preview server has some), and not for few
items: then everything runs here.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import signal
import struct
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_PROCESSES = 8
_MAX_CHUNKS = 256  # a chunk's number is one byte


def processes() -> int:
    """How many processes a split uses: the cores this process may run on, at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_PROCESSES))


def can_fork() -> bool:
    """Whether work may go to forked copies of this process now (see the module's text)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Transport(Protocol[R]):
    """A faster way than pickle for a chunk's results to come back from a child.

    Pickle rebuilds every object by calls, which for records such as a big site's articles
    costs about as much as making them did; a typed encoding (msgspec's) costs far less. The
    results that come back must be the very ones made (equal, and alike in every printed
    detail): ``dumps`` gives None for any it cannot promise that of, and those go by
    pickle. A chunk ``loads`` refuses (it raises) is done again by this process.
    """

    def dumps(self, results: list[R], /) -> bytes | None: ...

    def loads(self, data: bytes | memoryview, /) -> list[R]: ...


# Work this process needs done anyway, waiting for the next split_map (see meanwhile).
_waiting: list[Callable[[], None]] = []


@contextlib.contextmanager
def meanwhile(task: Callable[[], None]) -> Iterator[None]:
    """Run ``task`` once in this process while the children of the first split_map in the
    block get going (or first, when it starts none); at the end of the block when no
    split_map ran, and not at all when the block raises."""
    _waiting.append(task)
    try:
        yield
    finally:
        ran = task not in _waiting
        if not ran:
            _waiting.remove(task)
    if not ran:
        task()


def _run_waiting() -> None:
    while _waiting:
        _waiting.pop(0)()


def split_map(
    function: Callable[[T], R],
    items: Sequence[T],
    *,
    min_items: int,
    on_done: Callable[[int], None] | None = None,
    transport: Transport[R] | None = None,
) -> list[R]:
    """``[function(item) for item in items]``, in several processes when it pays.

    ``min_items`` is where splitting starts to pay for the forks and the pickling.
    ``on_done(index)`` is called for each item once its result is here (for progress
    bars). Work waiting in a ``meanwhile`` block is done here after the children start.
    ``transport`` sends children's results faster than pickle, where it can.
    """
    count = min(processes(), len(items) // max(min_items // 2, 1))
    if count < 2 or not can_fork():
        _run_waiting()
        return [_reported(function(item), index, on_done) for index, item in enumerate(items)]
    # Small chunks keep every process busy to the end; a chunk costs one byte and a read.
    size = -(-len(items) // _MAX_CHUNKS)
    chunks = [range(start, min(start + size, len(items))) for start in range(0, len(items), size)]

    def run(number: int) -> list[R]:
        return [_reported(function(items[i]), i, on_done) for i in chunks[number]]

    queue, write_end = os.pipe()
    os.write(write_end, bytes(range(len(chunks))))  # 256 bytes at most: fits any pipe
    os.close(write_end)
    children: list[_Child] = []
    try:
        while len(children) < count - 1:
            child = _start(function, items, chunks, queue, transport)
            if child is None:
                break  # no process or pipe to be had: fewer helpers, same results
            children.append(child)
        _run_waiting()
        results: dict[int, list[R]] = {}
        failed: tuple[int, Exception] | None = None
        for number in _take(queue):
            try:
                results[number] = run(number)
            except Exception as exc:  # noqa: BLE001 - raised below, unless an earlier item fails
                failed = (number, exc)
                for _ in _take(queue):
                    pass  # every chunk left comes after this one: no one need do it
                break
            for child in children:  # unpickle what is ready now, so none waits on a full pipe
                child.receive(results, block=False)
                _report_received(child, chunks, on_done)
        for child in children:
            child.receive(results, block=True)
            _report_received(child, chunks, on_done)
        out: list[R] = []
        for number in range(len(chunks)):
            if failed is not None and number == failed[0]:
                raise failed[1]
            if number not in results:  # taken by a child that failed: do it here, in order
                results[number] = run(number)
            out.extend(results[number])
        return out
    finally:
        os.close(queue)
        for child in children:  # interrupted (Ctrl-C, an exception): none is left behind
            child.stop()


def _report_received(
    child: _Child, chunks: list[range], on_done: Callable[[int], None] | None
) -> None:
    """on_done for each item of the chunks ``child`` sent since last asked: a progress
    bar moves as they arrive, not all at the end."""
    if on_done is not None:
        for number in child.received[child.reported :]:
            for index in chunks[number]:
                on_done(index)
    child.reported = len(child.received)


def _reported(result: R, index: int, on_done: Callable[[int], None] | None) -> R:
    if on_done is not None:
        on_done(index)
    return result


def _take(queue: int) -> Iterator[int]:
    """The numbers of the chunks this process takes, one at a time, until none is left."""
    while number := os.read(queue, 1):
        yield number[0]


# How a chunk's results are sent: a header (the length of what follows it, the chunk's
# number, how the results are written), then the results.
_HEADER = struct.Struct("<QBB")
_PICKLED, _TRANSPORTED = 0, 1


def _start(
    function: Callable[[T], R],
    items: Sequence[T],
    chunks: list[range],
    queue: int,
    transport: Transport[R] | None,
) -> _Child | None:
    """Fork a child that takes chunks from ``queue`` and sends each chunk's results as
    soon as they are made (see _HEADER): by ``transport`` where it can, else pickled.
    None when the system has no process or pipe to spare."""
    parent = os.getpid()
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    _widen(write_end)
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent reports it
            with os.fdopen(write_end, "wb") as pipe:
                for number in _take(queue):
                    if os.getppid() != parent:
                        break  # the parent was killed: its results are no use to anyone
                    results = [function(items[i]) for i in chunks[number]]
                    data = transport.dumps(results) if transport is not None else None
                    kind = _TRANSPORTED
                    if data is None:
                        data = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
                        kind = _PICKLED
                    pipe.write(_HEADER.pack(len(data), number, kind))
                    pipe.write(data)
                    pipe.flush()
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    os.set_blocking(read_end, False)
    return _Child(pid, read_end, transport)


def _widen(pipe: int) -> None:
    """Let a pipe hold 1 MB where the system allows (Linux; 64 KB is the usual size).

    This process reads a child's results only between chunks of its own work; a
    chunk's results (100 KB for 200 articles) that do not fit would leave the child
    waiting that long: at 50,000 articles it did half the work it could.
    """

    with contextlib.suppress(AttributeError, OSError):
        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, 1 << 20)


class _Child:
    """A forked child as this process sees it: its pipe, and the results read from it."""

    def __init__(self, pid: int, pipe: int, transport: Transport[Any] | None = None) -> None:
        self.pid, self.pipe, self.transport = pid, pipe, transport
        self.buffer = bytearray()
        self.start = 0  # where the first chunk not yet taken from the buffer starts
        self.received: list[int] = []  # chunk numbers
        self.reported = 0  # how many of them on_done was called for
        self.done = False

    def receive(self, results: dict[int, Any], *, block: bool) -> None:
        """Add the chunks that arrived to ``results``; with ``block``, all of them, until
        the child ends. Only complete chunks count: a child cut short loses the rest."""
        if not self.done:
            if block:
                os.set_blocking(self.pipe, True)
            while True:
                try:
                    data = os.read(self.pipe, 1 << 20)
                except BlockingIOError:
                    break
                except BaseException:
                    self.stop()
                    raise
                if not data:
                    self._reap()
                    break
                self.buffer += data
        buffer, start = self.buffer, self.start
        with memoryview(buffer) as view:
            while len(buffer) - start >= _HEADER.size:
                size, number, kind = _HEADER.unpack_from(buffer, start)
                end = start + _HEADER.size + size
                if len(buffer) < end:
                    break
                frame = view[start + _HEADER.size : end]
                try:
                    if kind == _TRANSPORTED and self.transport is not None:
                        part = self.transport.loads(frame)
                    else:
                        part = pickle.loads(frame)
                except Exception:  # noqa: BLE001 - the chunk is done again by the parent
                    if kind != _TRANSPORTED:
                        break  # a pickle that does not load: nothing after it is trusted
                    start = end  # refused by the transport: the frames after it are whole
                    continue
                finally:
                    frame.release()
                start = end
                results[number] = part
                self.received.append(number)
        # What was taken is dropped once a read's worth is, not after each chunk: a
        # chunk dropped from the front moves the whole buffer.
        if start == len(buffer):
            buffer.clear()
            start = 0
        elif start >= 1 << 20:
            del buffer[:start]
            start = 0
        self.start = start

    def _reap(self) -> None:
        self.done, pipe = True, self.pipe
        os.close(pipe)
        # Its exit status does not matter: what it sent whole is good, the rest is redone.
        with contextlib.suppress(ChildProcessError):  # reaped already (SIGCHLD ignored)
            os.waitpid(self.pid, 0)

    def stop(self) -> None:
        if self.done:
            return
        self.done, pipe = True, self.pipe
        os.close(pipe)
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)


class Background:
    """``function()`` running in a forked child while this process goes on; wait() for it.

    For work whose result is a side effect this process does not need, such as
    writing a cache file. Where forking is not possible (see can_fork), or fails,
    it runs at once, here. An exception in the child is lost with the child: use it
    only for work that may fail without harm.
    """

    def __init__(self, function: Callable[[], None]) -> None:
        self.pid = 0
        if processes() < 2 or not can_fork():
            function()
            return
        try:
            pid = os.fork()
        except OSError:
            function()
            return
        if pid == 0:  # the child: never returns, never runs the parent's exit handlers
            status = 1
            try:
                function()
                status = 0
            finally:
                os._exit(status)
        self.pid = pid

    def wait(self) -> None:
        """Return once the work is done (at once when it was done here)."""
        pid, self.pid = self.pid, 0
        if pid:
            with contextlib.suppress(ChildProcessError):  # reaped already (SIGCHLD ignored)
                os.waitpid(pid, 0)
