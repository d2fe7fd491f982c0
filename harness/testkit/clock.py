"""Calls at given times, run in the learner's process: a fake clock that lives there
(`learner_clock`), read by the learner's code without a message to the grader, and
`calls_at`, which sets that clock before each call of a whole history sent at once.
A suite that checks decisions taken at many instants (a rate limiter over 200 requests)
then pays one round trip, not one per call and per clock read, and never depends on how
often the learner's code reads the clock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from harness.testkit.process import is_mirror, probe


def learner_clock(start: float = 1_000.0, *, process: Any = None) -> Any:
    """A fake clock made in the learner's process (`harness.learner.functions.Clock`): pass
    it as the learner's `clock`; move it with `.set(t)` or `.advance(seconds)`, read it with
    `.now` or by calling it::

        clock = learner_clock(1000.0)
        limiter = RateLimiter(5, 2.0, clock=clock)
        clock.advance(0.5)
    """
    return probe("function", "clock", {"start": start}, process=process)


def calls_at(clock: Any, obj: Any, calls: Iterable[Sequence[Any]]) -> list[Any]:
    """`clock.set(t); getattr(obj, method)(*args)` for each `(t, method, args)` of `calls`
    (times never going back), in one message to the learner's process; returns what the
    calls returned. `clock` is a `learner_clock` (when `obj` is a local object, any clock
    with `set`)::

        got = calls_at(clock, limiter, [(1000.0, "allow", ("a",)),
                                           (1000.5, "retry_after", ("a",))])
    """
    calls = [[float(t), str(method), list(args)] for t, method, args in calls]
    if not is_mirror(obj):
        results = []
        for t, method, args in calls:
            clock.set(t)
            results.append(getattr(obj, method)(*args))
        return results
    return probe("calls_at", clock, obj, calls, process=obj)
