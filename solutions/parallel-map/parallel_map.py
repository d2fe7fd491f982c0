"""parallel_map: fn over items on a pool of threads or processes, results in input order.

A pool from concurrent.futures does the scheduling (at most `workers` calls at once, each
call a Future); what is left to get right is the map around it: one deadline for the
whole map, the first failure in input order once nothing is running any more, and a
clear error for a function that cannot travel to another process.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable, Iterable
from concurrent.futures import (
    FIRST_EXCEPTION,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from typing import Any

MODES = ("thread", "process")


def parallel_map(fn: Callable[[Any], Any], items: Iterable[Any], *, workers: int = 4,
                 mode: str = "thread", timeout: float | None = None) -> list:
    """[fn(x) for x in items], at most `workers` calls at once, in threads or processes.

    The results come in input order. If calls raise, the exception of the first failing
    item in input order is raised, once every call that started has finished (calls not
    started yet are cancelled). `timeout` (seconds) bounds the whole map: past it,
    TimeoutError, without waiting for the calls still running.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers!r}")
    deadline = None if timeout is None else time.monotonic() + timeout
    items = list(items)
    if not items:
        return []
    if mode == "process":
        _check_picklable(fn)
        executor: Executor = ProcessPoolExecutor(max_workers=workers)
    else:
        executor = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = [executor.submit(fn, item) for item in items]
        _wait_all(futures, deadline)
    except BaseException:
        # A timeout (or an interrupt): leave the calls still running behind, do not wait.
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    # result() raises what its call raised, so this raises the first failure in input
    # order: the pools run the calls first in, first out, so every cancelled call comes
    # after every call that ran, and its CancelledError is never reached.
    return [future.result() for future in futures]


def _wait_all(futures: list[Future], deadline: float | None) -> None:
    """Waits until every call has finished or was cancelled; TimeoutError at `deadline`.

    After the first failure there is no point starting the calls still queued: their
    results would be thrown away. Those are cancelled (a Future that is already running
    cannot be), and the ones running are waited for, so that the map never returns
    while a call of it is still under way.
    """
    pending = set(futures)
    while pending:
        done, pending = wait(pending, timeout=_left(deadline), return_when=FIRST_EXCEPTION)
        failed = any(f.exception() is not None for f in done if not f.cancelled())
        if pending and not failed:  # wait() came back early without a failure: the deadline
            raise TimeoutError(f"parallel_map did not finish within its timeout; "
                               f"{len(pending)} calls unfinished")
        if failed:
            for future in pending:
                future.cancel()


def _left(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _check_picklable(fn: Callable[[Any], Any]) -> None:
    """A process pool pickles `fn` to send it to its workers. Finding out here gives a
    clear error before any process starts, instead of a failure per item."""
    try:
        pickle.dumps(fn)
    except Exception as exc:
        raise TypeError(f"fn {fn!r} cannot be pickled, so it cannot run in another "
                        f"process ({exc}); use a function defined at module level, "
                        "or mode='thread'") from exc
