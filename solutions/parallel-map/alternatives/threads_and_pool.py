"""parallel_map with hand-made worker threads, and multiprocessing.Pool for processes.

Threads: `workers` threads take the next index from a shared counter (under a lock),
store fn's result or exception in that index's slot, and stop once the items run out or
the map gave up. The caller joins them against one deadline. Processes: one
`apply_async` per item on a Pool of `workers` processes, waited for against the same
deadline, and `terminate()` on timeout (it kills the worker processes).
"""

from __future__ import annotations

import multiprocessing
import pickle
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

MODES = ("thread", "process")


def parallel_map(fn: Callable[[Any], Any], items: Iterable[Any], *, workers: int = 4,
                 mode: str = "thread", timeout: float | None = None) -> list:
    """[fn(x) for x in items], at most `workers` calls at once, in threads or processes;
    results in input order, the first failure in input order once all calls are done,
    TimeoutError past `timeout` for the whole map."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers!r}")
    deadline = None if timeout is None else time.monotonic() + timeout
    items = list(items)
    if not items:
        return []
    if mode == "process":
        return _in_processes(fn, items, workers, deadline)
    return _in_threads(fn, items, workers, deadline)


class _Slots:
    """One slot per item: (True, result) or (False, exception); the next index to take."""

    def __init__(self, count: int) -> None:
        self.outcomes: list[tuple[bool, Any] | None] = [None] * count
        self.next = 0
        self.stopped = False
        self.lock = threading.Lock()

    def take(self) -> int | None:
        with self.lock:
            if self.stopped or self.next >= len(self.outcomes):
                return None
            index = self.next
            self.next += 1
            return index


def _in_threads(fn: Callable[[Any], Any], items: list, workers: int,
                deadline: float | None) -> list:
    slots = _Slots(len(items))

    def work() -> None:
        while (index := slots.take()) is not None:
            try:
                slots.outcomes[index] = (True, fn(items[index]))
            except Exception as exc:
                slots.outcomes[index] = (False, exc)

    # daemon: a call still running after a timeout must not keep the interpreter alive
    threads = [threading.Thread(target=work, daemon=True, name=f"parallel_map-{n}")
               for n in range(min(workers, len(items)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(_left(deadline))
        if thread.is_alive():
            slots.stopped = True  # the workers take no new item
            raise TimeoutError("parallel_map did not finish within its timeout")
    return _results(slots.outcomes)


def _in_processes(fn: Callable[[Any], Any], items: list, workers: int,
                  deadline: float | None) -> list:
    try:
        pickle.dumps(fn)
    except Exception as exc:
        raise TypeError(f"fn {fn!r} cannot be pickled to run in another process: {exc}") \
            from exc
    pool = multiprocessing.Pool(workers)
    try:
        pending = [pool.apply_async(fn, (item,)) for item in items]
        for result in pending:
            result.wait(_left(deadline))
            if not result.ready():
                raise TimeoutError("parallel_map did not finish within its timeout")
        outcomes: list[tuple[bool, Any] | None] = []
        for result in pending:
            try:
                outcomes.append((True, result.get()))
            except Exception as exc:
                outcomes.append((False, exc))
    finally:
        pool.terminate()  # kills the workers: on timeout, a stuck call goes with them
    return _results(outcomes)


def _results(outcomes: list[tuple[bool, Any] | None]) -> list:
    for outcome in outcomes:
        if outcome is not None and not outcome[0]:
            raise outcome[1]
    return [outcome[1] for outcome in outcomes if outcome is not None]


def _left(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())
