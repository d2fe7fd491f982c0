"""Functions a suite names and the learner's code runs, in the learner's process or in the
processes it starts: `learner_function("getpid")` is a handle to
`harness.learner.functions.getpid` there, which the learner's code receives as the real
function (so `pickle` sends it to a worker process by reference). See that module for
the functions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from harness.testkit.process import probe


def learner_function(name: str, /, *, process: Any = None, **kwargs: Any) -> Any:
    """`harness.learner.functions.<name>`, made in the learner's process with `kwargs`
    bound; pass it to the learner's code as its `fn`::

        results = parallel_map(learner_function("getpid"), range(8), mode="process")
        slow = learner_function("slow_identity", seconds=0.05)
        spans = parallel_map(learner_function("span", seconds=0.05), range(12), workers=3)
        assert most_at_once(spans) <= 3

    The names: getpid, identity, square, slow_identity(seconds), raise_on(values,
    message), scripted(sleeps, raises, message) (a sleep and a failure per item),
    span(seconds), spans_in_tasks (called with a learner's object, names and a method
    name: one asyncio task per name enters `obj.method(name)` and inside it
    `obj.method(name + "/child")`, interleaved; returns [outer, inner] per name),
    unpicklable(function) (a closure: runs, cannot be pickled),
    rendezvous(parties, timeout), script(after_start, after_end, gated, raises, timeout)
    (threads only: items that wait for one another and for `.open()`; read `.started`,
    `.ended`, `.running` afterwards), gate(timeout, every) (parks the first caller, or each
    in turn, until `.release()`; `.open()` lets all pass: `.reached(t)`, `.calls`,
    `.parked`, `.holder`), watched_int(value, on_use, partners) (an int that calls
    `on_use` when compared or combined with one of `partners`: a value the learner's code
    touches only inside its critical section), clock(start) (a fake clock there: see
    `harness.testkit.clock`). It lives as long as that learner process does."""
    return probe("function", name, kwargs, process=process)


def most_at_once(spans: Iterable[Any]) -> int:
    """The most calls that ran at the same time, from the (x, pid, start, end) tuples that
    `span` returned (in any threads or processes of the machine)."""
    edges = []
    for item in spans:
        start, end = float(item[2]), float(item[3])
        edges += [(start, 1), (end, -1)]
    running = peak = 0
    for _, step in sorted(edges, key=lambda e: (e[0], e[1])):  # an end before a start
        running += step
        peak = max(peak, running)
    return peak


def pids_of(spans: Iterable[Any]) -> set[int]:
    """The processes that ran the calls, from `span`'s tuples."""
    return {int(item[1]) for item in spans}
