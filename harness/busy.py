"""Telling a busy machine from a program that hangs, so that load never changes a verdict.

A deadline on the wall clock guards against code that never returns; on a machine
whose cores are all taken by other work, correct code can need more wall time than
the limit. When a deadline passes, the waiter takes a `Sample`, waits a little more,
takes another, and extends the deadline only while the machine had (almost) no idle
CPU in between and the program used CPU: it is being starved, not looping on an idle
machine nor blocked for good. Where the program's CPU is known, the extensions together
give it at most the limit again in CPU time: on an idle machine it would have had no more
than that (one core) before the deadline, so a loop that has burned it is a loop, however
slowly a loaded machine let it burn. A wall-clock backstop ends every extension.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

PROBE = 0.5  # seconds between the two samples of one decision
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100  # CPU clock ticks a second
IDLE_SHARE = 0.15  # below this share of idle CPU time the machine counts as busy


@dataclass(frozen=True)
class Sample:
    idle: int  # the machine's idle clock ticks (all cores), -1 where unknown
    total: int
    cpu: int | None  # clock ticks the watched program has used, None where unknown


def sample(cpu: int | None = None) -> Sample:
    """The machine's CPU counters now; `cpu`: the watched program's own, if known."""
    idle, total = _machine()
    return Sample(idle, total, cpu)


def starved(before: Sample, after: Sample, least: int = 1) -> bool:
    """Whether, between the two samples, the machine was busy and the program still ran
    (used at least `least` clock ticks of CPU, or its use is unknown): waiting longer is
    then fair to it."""
    if before.idle < 0 or after.idle < 0 or after.total <= before.total:
        return False  # no counters (not Linux): the wall clock decides
    idle_share = (after.idle - before.idle) / (after.total - before.total)
    if idle_share >= IDLE_SHARE:
        return False
    if before.cpu is None or after.cpu is None:
        return True
    return after.cpu - before.cpu >= least


class Patience:
    """How long to wait for something with a deadline: until the deadline, then in steps
    of PROBE while the machine is busy and the watched program still runs, never past
    the backstop, nor once the program has used `limit` seconds of CPU since the deadline.
    `cpu` gives the program's CPU ticks (None: unknown); `least`: the ticks it must use
    between two samples to count as running (a blocked program's housekeeping uses some)."""

    def __init__(self, deadline: float, limit: float,
                 cpu: Callable[[], int | None] = lambda: None, least: int = 1) -> None:
        self.deadline = deadline
        self.backstop = deadline + backstop(limit)
        self._cpu = cpu
        self._least = least
        self._budget = limit * TICKS  # CPU ticks the extensions may give the program
        self._before: Sample | None = None
        self._first: Sample | None = None  # at the deadline

    @classmethod
    def of(cls, seconds: float, cpu: Callable[[], int | None] = lambda: None,
           least: int = 1) -> Patience:
        return cls(time.monotonic() + seconds, seconds, cpu, least)

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def extend(self) -> bool:
        """Called once the deadline has passed: whether to wait on (the deadline moves)."""
        now = time.monotonic()
        if now >= self.backstop:
            return False
        now_sample = sample(self._cpu())
        if self._before is not None and not starved(self._before, now_sample, self._least):
            return False
        if self._first is None:
            self._first = now_sample
        elif _spent(self._first, now_sample) >= self._budget:
            return False  # it had the limit's worth of CPU again: not starved, looping
        self._before = now_sample
        self.deadline = min(now + PROBE, self.backstop)
        return True


def _spent(before: Sample, after: Sample) -> int:
    """CPU ticks the program used between the samples (0 where unknown)."""
    if before.cpu is None or after.cpu is None:
        return 0
    return after.cpu - before.cpu


def backstop(limit: float) -> float:
    """How long past a deadline of `limit` seconds the wait may go on while the machine
    is busy."""
    return 2 * limit + 5.0


def _machine() -> tuple[int, int]:
    try:
        with open("/proc/stat", "rb") as handle:
            fields = [int(n) for n in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return -1, 0
    # user nice system idle iowait irq softirq steal (guest time is inside user already)
    counted = fields[:8]
    return counted[3] + (counted[4] if len(counted) > 4 else 0), sum(counted)

