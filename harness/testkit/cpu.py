"""CPU time of the learner's process while its code waits: a wait on a condition variable
uses next to none; a loop that polls (`while not ready: pass`, or `sleep(0.001)` between
looks) uses a lot. CPU time is compared, never wall time, so a loaded machine (which gives
a spinning loop less CPU, never a blocked one more) cannot make a blocked wait look busy."""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Iterator
from typing import Any

from harness.testkit.process import probe

#: the most CPU a blocked wait uses, per second of real time. Measured on a 2-core machine
#: over 0.4 s: a condition-variable wait 0.0003 s (0.08 %), polling with `sleep(0.001)`
#: 0.009-0.011 s (2.5 %), spinning 0.1-0.4 s (25-100 %, less on a loaded machine).
#: Polling with a longer sleep uses less: at `sleep(0.01)` it is near this bound.
BLOCKED_SHARE = 0.005


@dataclasses.dataclass
class CPUSpan:
    """CPU seconds the learner's process used over `wall` seconds of real time."""

    seconds: float = 0.0
    wall: float = 0.0

    @property
    def busy(self) -> bool:
        """More CPU than a blocked wait uses (BLOCKED_SHARE): the learner's code polled
        or spun instead of waiting."""
        return self.share > BLOCKED_SHARE

    @property
    def share(self) -> float:
        """CPU seconds per real second (1.0: one core kept busy throughout)."""
        return self.seconds / self.wall if self.wall > 0 else 0.0


def learner_cpu_seconds(process: Any = None) -> float:
    """CPU seconds the learner's process has used so far, all its threads (ended ones too),
    less the harness's own background reader."""
    return float(probe("cpu_seconds", process=process))


@contextlib.contextmanager
def learner_cpu(process: Any = None) -> Iterator[CPUSpan]:
    """Measures the CPU the learner's process uses while the block runs::

        with learner_cpu() as used:
            ...            # a consumer of the learner's is blocked meanwhile
        assert used.seconds < 0.05
    """
    span = CPUSpan()
    started, wall = learner_cpu_seconds(process), time.monotonic()
    yield span
    span.seconds = learner_cpu_seconds(process) - started
    span.wall = time.monotonic() - wall


def cpu_while_waiting(seconds: float = 0.3, process: Any = None) -> CPUSpan:
    """The learner's CPU over `seconds` of real time in which the test only waits (a call
    of the learner's blocked in another thread, started before)."""
    with learner_cpu(process) as used:
        time.sleep(seconds)  # not a timing test: the measure is CPU, not how long it took
    return used
