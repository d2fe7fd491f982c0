"""parallel_map on an event loop: a semaphore of `workers` bounds the calls, each handed to
an executor; one `asyncio.wait` bounds the whole map.

The loop runs in a thread of its own (the caller may already be inside an event loop,
or in a thread without one). The executor has as many workers as there are items, so
it is the semaphore, not the pool, that keeps the calls to `workers` at once.
"""

from __future__ import annotations

import asyncio
import pickle
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
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
    started = time.monotonic()
    items = list(items)
    if not items:
        return []
    if mode == "process":
        try:
            pickle.dumps(fn)
        except Exception as exc:
            raise TypeError(f"fn {fn!r} cannot be pickled for another process: {exc}") \
                from exc
        executor: Executor = ProcessPoolExecutor(max_workers=workers)
    else:
        executor = ThreadPoolExecutor(max_workers=len(items))
    outcome: Future = Future()
    left = None if timeout is None else timeout - (time.monotonic() - started)
    runner = threading.Thread(target=_run_loop, daemon=True, name="parallel_map-loop",
                              args=(_map(fn, items, workers, executor, left), outcome))
    runner.start()
    try:
        return outcome.result()
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _run_loop(job: Any, outcome: Future) -> None:
    try:
        outcome.set_result(asyncio.run(job))
    except BaseException as exc:  # handed to the caller's thread
        outcome.set_exception(exc)


async def _map(fn: Callable[[Any], Any], items: list, workers: int, executor: Executor,
               timeout: float | None) -> list:
    loop = asyncio.get_running_loop()
    limit = asyncio.Semaphore(workers)

    async def one(item: Any) -> Any:
        async with limit:
            return await loop.run_in_executor(executor, fn, item)

    tasks = [asyncio.ensure_future(one(item)) for item in items]
    done, pending = await asyncio.wait(tasks, timeout=timeout)
    if pending:
        for task in pending:
            task.cancel()  # the awaiting stops; a call already in a thread runs on
        raise TimeoutError("parallel_map did not finish within its timeout")
    for task in tasks:
        if task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
    return [task.result() for task in tasks]
