"""Helpers for hidden suites: a fake clock and sleep, a scripted rng, forced thread switches.

Time is injected and never slept for real in a test of timing. Races are provoked,
not hoped for: `forced_switching` traces the learner's frames and yields the CPU
(`time.sleep(0)`) at random opcodes chosen by a seeded generator, so an unlocked
read-modify-write is torn in every run, and a failure names the seed that replays it.

The pieces of `harness.testkit` are imported from here too: the learner's CPU while it
waits, the modules its module uses, trusted functions made in its process, parallelism
observed (`rendezvous`, `hold`, `within`), deadlocks reported with the learner's stacks,
log lines of the learner's formatter made in its process (`learner_logs`; the steps of a
scenario come from `harness.testkit.logs`), and a seeded lossy network (docs/authoring.md,
"Test pieces for hidden suites").
"""

from __future__ import annotations

import collections
import contextlib
import inspect
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import FrameType, ModuleType
from typing import Any, TypeVar

from harness.boundary.failures import LearnerDied  # noqa: F401 -- for suites: a call whose process died
from harness.testkit import logs as log_steps  # the steps of a learner_logs scenario
from harness.testkit.clock import calls_at, learner_clock
from harness.testkit.cpu import CPUSpan, cpu_while_waiting, learner_cpu, learner_cpu_seconds
from harness.testkit.functions import learner_function, most_at_once, pids_of
from harness.testkit.imports import Imports, imported_modules, source_imports
from harness.testkit.logs import LogLine, ScenarioError, learner_logs
from harness.testkit.lossy import Endpoint, LossyLink, LossyNetwork, Sent, outbox
from harness.testkit.memory import learner_blocks
from harness.testkit.parallel import (
    Deadlock,
    hold,
    join_all,
    learner_stacks,
    no_deadlock,
    rendezvous,
    stuck_report,
    waited,
    within,
)

__all__ = [  # the pieces of harness.testkit, for suites to import from here
    "CPUSpan", "cpu_while_waiting", "learner_cpu", "learner_cpu_seconds", "learner_function",
    "most_at_once", "pids_of", "Imports", "imported_modules", "source_imports", "Endpoint",
    "LossyLink", "LossyNetwork", "Sent", "outbox", "Deadlock", "hold", "learner_stacks",
    "no_deadlock", "rendezvous", "stuck_report", "within", "LearnerDied", "LogLine",
    "ScenarioError", "learner_logs", "log_steps", "learner_blocks", "learner_clock",
    "calls_at", "FakeClock", "FakeSleep", "SequenceRNG",
    "RaceError", "race_seeds", "learner_process", "call_each", "call_numbered", "time_calls",
    "in_learner", "kill", "forced_switching", "run_threads"]

T = TypeVar("T")


class FakeClock:
    """A clock for tests: a zero-argument callable returning seconds, moved only by the test."""

    def __init__(self, start: float = 1_000.0) -> None:
        self._now = float(start)
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            self.calls += 1
            return self._now

    @property
    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        """Moves time forward and returns the new time."""
        if seconds < 0:
            raise ValueError(f"a clock cannot go back ({seconds} s)")
        with self._lock:
            self._now += seconds
            return self._now

    def set(self, t: float) -> None:
        if t < self._now:
            raise ValueError(f"a clock cannot go back from {self._now} to {t}")
        with self._lock:
            self._now = float(t)


class FakeSleep:
    """A `sleep` to inject: records each delay and advances a FakeClock instead of sleeping."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        self.delays.append(seconds)
        self.clock.advance(seconds)

    @property
    def total(self) -> float:
        return sum(self.delays)


class SequenceRNG:
    """An injectable `rng`: returns the given values in turn, starting over at the end."""

    def __init__(self, values: Iterable[float]) -> None:
        self.values = list(values)
        if not self.values:
            raise ValueError("SequenceRNG needs at least one value")
        self._next = 0

    def __call__(self) -> float:
        value = self.values[self._next % len(self.values)]
        self._next += 1
        return value


class RaceError(AssertionError):
    """A concurrency check failed; the message names the seed that replays it."""

    def __init__(self, message: str, seed: int) -> None:
        super().__init__(message)
        self.seed = seed


def race_seeds(n: int = 5, base: int = 0) -> list[int]:
    """Seeds for `pytest.mark.parametrize`: fixed, so a failing schedule can be replayed."""
    return [base + 7919 * i + 1 for i in range(n)]


def _files_of(targets: Sequence[Any]) -> set[str]:
    files = set()
    for target in targets:
        if isinstance(target, (str, os.PathLike)):
            path = os.fspath(target)
        elif isinstance(target, ModuleType):
            path = target.__file__ or ""
        else:
            path = inspect.getsourcefile(target) or ""
        if path:
            files.add(os.path.realpath(path))
    return files


def _boundary():
    from harness.boundary import frontier

    if frontier.active is None:
        raise RuntimeError("this helper works in a grading run (kata check), where the "
                           "learner's code runs in a process of its own")
    return frontier.active


@contextlib.contextmanager
def learner_process(*, env: dict[str, str] | None = None, file_size: int | None = None,
                    die_on_file_size: bool = False) -> Iterator[Any]:
    """Another process of the learner's code, for one test, instead of a subprocess with
    learner code in it. `env` adds variables (a fresh interpreter is started: the
    `PYTHONHASHSEED=1` kind of check); a write past `file_size` bytes fails (OSError), or
    with `die_on_file_size` kills the process as a crash would (the call then raises
    LearnerDied). Yields an object with one mirror module per kata file (and
    `process`, to give to `kill`)::

        with learner_process(env={"PYTHONHASHSEED": "1"}) as other:
            lb = other.load_balancer.LoadBalancer("ip_hash")
    """
    with _boundary().fresh(env=env, file_size=file_size,
                           die_on_file_size=die_on_file_size) as other:
        yield other


def call_each(obj: Any, method: str, calls: Iterable[Sequence[Any]]) -> list[Any]:
    """`[getattr(obj, method)(*args) for args in calls]`, run in one message to the learner's
    process: for a suite that needs many answers (a distribution over 100,000 keys)."""
    if not _is_mirror(obj):
        return [getattr(obj, method)(*args) for args in calls]
    from harness.boundary.mirror import learner_of

    return learner_of(obj).batch(obj, method, list(calls))["results"]


def call_numbered(obj: Any, method: str, template: str, count: int) -> collections.Counter:
    """`getattr(obj, method)(template.format(i))` for i in range(count), the arguments made
    in the learner's process (100,000 one-off keys in a message of four values); returns
    how many calls returned each value, as a Counter (results must be hashable)::

        assert call_numbered(limiter, "allow", "user-{}", 100_000) == {True: 100_000}
    """
    if not _is_mirror(obj):
        return collections.Counter(getattr(obj, method)(template.format(i))
                                   for i in range(count))
    from harness.testkit.process import probe

    return collections.Counter({value: n for value, n in
                                probe("call_numbered", obj, method, template, count,
                                      process=obj)})


def time_calls(obj: Any, method: str, calls: Iterable[Sequence[Any]]) -> float:
    """CPU seconds the calls took, measured in the learner's process in one message (speed
    checks compare this with the same calls on a reference structure, as a ratio; CPU
    time, so that a loaded machine's pauses do not count). What the calls return stays
    in the learner's process: only the time crosses."""
    calls = list(calls)
    if not _is_mirror(obj):
        started = time.process_time()
        for args in calls:
            getattr(obj, method)(*args)
        return time.process_time() - started
    from harness.boundary.mirror import learner_of

    return float(learner_of(obj).batch(obj, method, calls, keep=False)["seconds"])


def time_against_dict(obj: Any, methods: Sequence[tuple[str, str, int]], *,
                      weights: Sequence[float], keys: int, operations: int, limit: float,
                      seed: int = 0, rounds: int = 3) -> dict:
    """The O(1) check of a mapping: `operations` calls drawn at random (the method by
    `weights`, the key among `range(keys)`) on `obj` against the same on a plain dict, as a
    ratio, both timed in the learner's process in one message (see
    `harness.learner.probes.time_against_dict`); here, when `obj` is a local object.
    `methods` holds (obj's method, the dict's method doing the same, 1 or 2 arguments: the
    key, or the key and a value)::

        got = time_against_dict(cache, [("get", "get", 1), ("put", "__setitem__", 2)],
                                weights=[1, 1], keys=20_000, operations=200_000, limit=25)
        assert got["ratio"] <= 25
    """
    arguments = ([list(m) for m in methods], list(weights), keys, operations, seed, limit,
                 rounds)
    if _is_mirror(obj):
        return in_learner("time_against_dict", obj, *arguments)
    from harness.learner import probes

    return probes.time_against_dict(obj, *arguments)


def in_learner(probe: str, *args: Any) -> Any:
    """Runs `harness.learner.probes.<probe>(*args)` inside the learner's process (see that
    module: editing what a call returned, seeding the learner's `random`)."""
    handle = next((a for a in args if _is_mirror(a)), None)
    if handle is not None:
        from harness.boundary.mirror import learner_of

        return learner_of(handle).probe(probe, args)
    return _boundary().current().probe(probe, args)


def kill(process: Any) -> None:
    """Kills a learner process (from `learner_process`) at once, as a crash would."""
    _boundary().kill(process)


def _is_mirror(target: Any) -> bool:
    return bool(getattr(target, "__kata_mirror__", False))


@contextlib.contextmanager
def forced_switching(*targets: Any, seed: int, probability: float = 0.2) -> Iterator[None]:
    """Forces thread switches at random opcodes of the targets' code (modules, functions,
    classes or file paths) while the context is active, in this thread and new ones.

    A target from the learner's code (a mirror module, class or function) switches in
    the learner's process, on the learner's frames."""
    if any(_is_mirror(t) for t in targets):
        with _boundary().switching(seed, probability):
            yield
        return
    files = _files_of(targets)
    decisions: dict[Any, bool] = {}
    local = threading.local()
    ordinals = iter(range(1, 1_000_000))
    ordinal_lock = threading.Lock()

    def rng() -> random.Random:
        generator = getattr(local, "rng", None)
        if generator is None:
            with ordinal_lock:
                ordinal = next(ordinals)
            generator = local.rng = random.Random(f"{seed}:{ordinal}")
        return generator

    def local_trace(frame: FrameType, event: str, arg: Any):
        if event in ("opcode", "line") and rng().random() < probability:
            time.sleep(0)  # releases the GIL: another thread runs mid-statement
        return local_trace

    def global_trace(frame: FrameType, event: str, arg: Any):
        code = frame.f_code
        ours = decisions.get(code)
        if ours is None:
            ours = decisions[code] = os.path.realpath(code.co_filename) in files
        if not ours:
            return None
        frame.f_trace_opcodes = True
        return local_trace

    previous = sys.gettrace()
    threading.settrace(global_trace)
    sys.settrace(global_trace)
    try:
        yield
    finally:
        sys.settrace(previous)
        threading.settrace(None)


def run_threads(target: Callable[..., T], *, threads: int = 8,
                args: Callable[[int], tuple] | None = None, switching: Sequence[Any] = (),
                seed: int = 0, probability: float = 0.2, timeout: float = 10.0,
                process: Any = None) -> list[T]:
    """Runs `target` in `threads` threads released together, under forced switching of the
    `switching` targets; returns the results in thread order.

    Raises RaceError, naming the seed, when a thread raises or when they do not all
    finish within `timeout` seconds (longer while the machine is busy and the learner's
    process still runs: `join_all`), a deadlock: then its message holds the stacks of
    the learner's threads (of `process`, as harness.testkit.process takes it; else the
    current learner process), and that process is stopped, so the next test gets another.
    """
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * threads
    errors: list[tuple[int, BaseException]] = []

    def body(index: int) -> None:
        try:
            barrier.wait(timeout)
            results[index] = target(*(args(index) if args else ()))
        except BaseException as exc:  # reported below, with the seed
            errors.append((index, exc))

    context = (forced_switching(*switching, seed=seed, probability=probability) if switching
               else contextlib.nullcontext())
    with context:
        workers = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(threads)]
        for worker in workers:
            worker.start()
        began = time.monotonic()
        alive = join_all(workers, timeout, process)
    stuck = [i for i, worker in enumerate(workers) if worker in alive]
    if stuck:
        stacks = stuck_report([workers[i] for i in stuck], process)
        raise RaceError(f"{len(stuck)} of {threads} threads were still running after "
                        f"{waited(timeout, began)}: probably deadlocked, each waiting for a "
                        f"lock another holds (seed={seed}). Where the threads were:\n{stacks}",
                        seed)
    if errors:
        index, exc = errors[0]
        raise RaceError(f"thread {index} raised {type(exc).__name__}: {exc} (seed={seed})",
                        seed) from exc
    return results
