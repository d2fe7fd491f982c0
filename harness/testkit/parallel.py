"""Parallelism observed, not assumed, and deadlocks reported instead of hung.

`rendezvous` is a learner-side meeting point: the learner's code calls it (as a mapped
function, a factory, a callback) and it holds each of the first `parties` callers until
all are inside at once, or gives up after `timeout`; `.filled` then says whether the
learner's code let them in together (a single global lock never does). `hold` keeps a
learner-side thread inside one of the learner's context managers (`lock.read_lock()`)
until released, to see who else gets in meanwhile. `no_deadlock` runs calls in threads
and, when they do not finish in time, fails with the stacks of the learner's threads
(taken in its process) and stops that process, instead of hanging the run.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from harness import busy
from harness.testkit.process import boundary, learner, probe

#: CPU clock ticks a process must use between two samples of harness.busy (PROBE apart) for
#: its threads to count as running on a busy machine: 6 % of a core. A deadlocked learner
#: process uses less (its harness thread looks at the socket every few milliseconds); one
#: starved of CPU but running, far more.
RUNNING_TICKS = max(1, round(busy.PROBE * busy.TICKS * 0.06))


class Deadlock(AssertionError):
    """Threads did not finish in time; the message holds their stacks (and the seed)."""

    def __init__(self, message: str, seed: int | None, stacks: str) -> None:
        super().__init__(message)
        self.seed = seed
        self.stacks = stacks


def rendezvous(parties: int = 2, timeout: float = 2.0, *, process: Any = None) -> Any:
    """A handle to a `harness.learner.functions.Rendezvous` made in the learner's process:
    pass it where the learner's code calls a function; afterwards `.filled` (all `parties`
    were inside at once), `.arrivals`, `.timed_out`."""
    return probe("function", "rendezvous", {"parties": parties, "timeout": timeout},
                 process=process)


def hold(obj: Any, method: str, *args: Any) -> Any:
    """A thread of the learner's process that enters `obj.method(*args)` (a context manager
    of the learner's) and stays inside until `.release()`. Ask `.entered(timeout)` and
    `.done(timeout)` (each waits in the learner's process, at most `timeout` seconds) and
    `.error` (what entering or leaving raised, as text)::

        reader = hold(lock, "read_lock")
        assert reader.entered(2.0), "a reader could not get in on an unlocked lock"
    """
    return probe("hold", obj, method, *args, process=obj)


def within(obj: Any, method: str, *args: Any, body: Callable[[Any], Any]) -> Any:
    """`with obj.method(*args) as value: return body(value)`, the `with` run in the learner's
    process (a context manager such as `pool.connection()` or `lock.read_lock()` stays
    there); `body` runs here, and what it raises goes through the learner's `__exit__`
    and comes back raised::

        with pytest.raises(KeyError):
            within(pool, "connection", body=lambda conn: {}["boom"])
        assert pool.created == 1
    """
    return probe("within", obj, method, list(args), body, process=obj)


def learner_stacks(process: Any = None) -> str:
    """The stacks of the learner process's threads that are inside the learner's files, as
    text (from the learner's first frame in, the innermost call last)."""
    threads = probe("thread_stacks", process=process) or []
    return _format(threads)


def _format(threads: list) -> str:
    blocks = []
    for thread in threads:
        lines = [f"  thread {thread.get('name')}:"]
        for file, line, function, text in thread.get("frames", []):
            lines.append(f"    {file}:{line} in {function}: {text}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks) or "  (no thread was inside your code)"


def _local_stacks(threads: list[threading.Thread]) -> str:
    frames = sys._current_frames()
    blocks = []
    for thread in threads:
        frame = frames.get(thread.ident or -1)
        if frame is not None:
            stack = "".join(traceback.format_stack(frame)[-6:])
            blocks.append(f"  thread {thread.name}:\n{stack}")
    return "\n".join(blocks)


def switching_seed() -> int | None:
    """The seed of the forced switching on in the learner's process now, if any."""
    from harness.boundary import frontier

    return getattr(frontier.active, "switching_seed", None)


def join_all(threads: list[threading.Thread], timeout: float, process: Any = None
             ) -> list[threading.Thread]:
    """Waits for the threads to end; returns those still running after `timeout` seconds,
    or later while the machine is busy and the learner's process (of `process`, as
    `learner` takes it) still uses CPU: starved, not deadlocked (harness.busy). A deadlock
    uses no CPU, so it is reported at the timeout on a busy machine too."""
    patience = busy.Patience.of(timeout, cpu=lambda: _ticks(process), least=RUNNING_TICKS)
    for thread in threads:
        thread.join(patience.remaining())
        while thread.is_alive() and patience.extend():
            thread.join(patience.remaining())
    return [thread for thread in threads if thread.is_alive()]


def waited(timeout: float, since: float) -> str:
    """How long a wait that began at `since` (time.monotonic) with `timeout` lasted, as a
    message says it: the timeout, or longer where join_all stretched it on a busy machine."""
    took = time.monotonic() - since
    if took < timeout + busy.PROBE:
        return f"{timeout:g} s"
    return (f"{took:.1f} s (the {timeout:g}-s timeout, stretched while the machine was busy "
            "and your code still used CPU)")


def _ticks(process: Any) -> int | None:
    """CPU clock ticks used by the process the threads wait in: the learner's in a grading
    run (read by its zygote, so a deadlocked process answers; None once it is gone), else
    this one's."""
    from harness.boundary import frontier

    active = frontier.active
    if active is None:
        return int(sum(os.times()[:2]) * busy.TICKS)
    try:
        target = active.running() if process is None else learner(process)
        return None if target is None else active.zygote.cpu(target.pid)
    except Exception:  # noqa: BLE001 -- unknown: the machine's load alone decides
        return None


def stuck_report(stuck: list[threading.Thread], process: Any = None) -> str:
    """The stacks to show for threads that did not finish: the learner's threads when a
    learner process serves the run (which is then stopped, so the next test gets a fresh
    one), else these threads' own."""
    from harness.boundary import frontier

    if frontier.active is None:
        return _local_stacks(stuck)
    target = learner(process)
    try:
        stacks = _format(target.probe("thread_stacks", ()) or [])
    except BaseException as exc:  # noqa: BLE001 -- the report must not hide the deadlock
        stacks = f"  (the stacks could not be taken: {type(exc).__name__}: {exc})"
    boundary().stop(target, "its threads were deadlocked: stopped by the test")
    return stacks


class Runner:
    """Calls started in threads of the test, one thread each (see `no_deadlock`)."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.results: dict[int, Any] = {}
        self.errors: list[tuple[int, BaseException]] = []

    def __call__(self, call: Callable[[], Any]) -> None:
        index = len(self.threads)

        def body() -> None:
            try:
                self.results[index] = call()
            except BaseException as exc:  # noqa: BLE001 -- reported with the seed
                self.errors.append((index, exc))

        thread = threading.Thread(target=body, daemon=True, name=f"call {index + 1}")
        self.threads.append(thread)
        thread.start()


@contextlib.contextmanager
def no_deadlock(timeout: float = 5.0, *, seed: int | None = None,
                process: Any = None) -> Iterator[Runner]:
    """Starts each call given to the runner in a thread; at the end of the block waits up
    to `timeout` seconds for all of them (longer while the machine is busy and the
    learner's process still runs: `join_all`). Those still running fail the test with
    Deadlock, whose message holds the stacks of the learner's threads and the seed of
    the forced switching (`seed`, else the one on in the learner's process, if any); an
    exception in a call is raised again::

        with no_deadlock(5.0, seed=seed) as run:
            run(lambda: bank.transfer("a", "b", 1))
            run(lambda: bank.transfer("b", "a", 1))
    """
    runner = Runner()
    yield runner
    began = time.monotonic()
    stuck = join_all(runner.threads, timeout, process)
    if seed is None:
        seed = switching_seed()
    named = f" (seed={seed})" if seed is not None else ""
    if stuck:
        stacks = stuck_report(stuck, process)
        raise Deadlock(f"{len(stuck)} of {len(runner.threads)} calls were still running after "
                       f"{waited(timeout, began)}{named}: a deadlock, each waiting for a lock "
                       f"another holds? Where the threads were:\n{stacks}", seed, stacks)
    if runner.errors:
        index, exc = sorted(runner.errors, key=lambda e: e[0])[0]
        raise AssertionError(f"call {index + 1} raised {type(exc).__name__}: {exc}{named}") \
            from exc
