"""Build progress on the terminal: a bar for long builds, per-file lines with -v."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import IO, Any, TextIO

import click

from feedtool.model import BuildStep, ProgressHook


def wants_progress_bar(stream: IO[str], environ: Mapping[str, str]) -> bool:
    """A bar is for a person at a terminal: not for pipes, logs or CI (which sets CI=true)."""
    ci = environ.get("CI", "").strip().lower()
    return stream.isatty() and ci in ("", "0", "false", "no")


# Every stage of a build reports its steps (see pipeline.build), so a long build shows a
# bar whichever stage takes the time.
_STAGE_LABELS = {
    "read": "Reading articles",
    "render": "Rendering articles",
    "feeds": "Rendering and checking feeds",
    "write": "Writing feeds",
}
# What -v tells of each step; files written are listed after the build ("wrote ...").
_VERBOSE_STAGES = ("read", "render")


class Progress:
    """Shows build progress: per-file lines with -v, or a click progress bar that appears
    only once a build has taken ``delay`` seconds, so quick builds print nothing extra."""

    def __init__(
        self,
        *,
        bar: bool,
        verbose: bool,
        stream: TextIO,
        delay: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bar, self.verbose, self.stream = bar, verbose, stream
        self.delay, self.clock = delay, clock
        self.started = clock()
        self._stage: str | None = None
        self._bar: Any = None  # click's ProgressBar for the current stage

    def __call__(self, step: BuildStep) -> None:
        if self.verbose:
            if step.stage in _VERBOSE_STAGES:
                click.echo(f"{step.stage} {step.item}")
            return
        if not self.bar:
            return
        if step.stage != self._stage:
            self.close()
            self._stage = step.stage
        if self._bar is None:
            if self.clock() - self.started < self.delay:
                return
            label = _STAGE_LABELS.get(step.stage, step.stage)
            self._bar = click.progressbar(length=step.total, label=label, file=self.stream)
            self._bar.__enter__()
        self._bar.update(step.done - self._bar.pos)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def stopping_at_each_step(progress: Progress, check: Callable[[], None]) -> ProgressHook:
    """A build's progress hook: ``check()`` (which raises to stop the build) then
    ``progress``. The build calls its hook only where stopping is safe."""
    shown = progress.bar or progress.verbose

    def step(step: BuildStep) -> None:
        check()
        if shown:
            progress(step)

    return step
