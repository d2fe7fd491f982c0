"""Trusted functions that a hidden suite hands to the learner's code, made in the learner's
process (`harness.testing.learner_function`).

A suite cannot pass one of its own functions where the learner's code needs a real one:
a callback from the tests runs in the grader's process (so `os.getpid()` there says
nothing), and it cannot be pickled into a worker process. These are module-level
functions (or `functools.partial`s of them) of a module the harness loads in the learner's
process, so `pickle` sends them to the learner's worker processes by reference, and they
run there: `getpid` says which process ran it.

`Rendezvous`, `Holding` and `Gate` are objects a suite keeps a handle to and asks afterwards what
happened (`.filled`, `.entered(...)`). Imports only the standard library.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import time
from typing import Any

__all__ = ["getpid", "identity", "square", "slow_identity", "raise_on", "scripted", "span",
           "spans_in_tasks", "unpicklable", "Rendezvous", "Script", "Holding", "Gate",
           "WatchedInt", "Outbox", "plain_copy", "Clock", "make"]



def _importable_by_workers() -> None:
    """A worker process started by `spawn` or `forkserver` gets this process's sys.path and
    imports this module by name to unpickle a function of it: this harness must be found
    there, before any other one installed (a development checkout), yet after the
    learner's own modules."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    for index, entry in enumerate(sys.path):
        if os.path.isdir(os.path.join(entry or ".", "harness")):
            if os.path.realpath(entry or ".") != root:
                sys.path.insert(index, root)
            return
    sys.path.append(root)


_importable_by_workers()


def getpid(*args: Any) -> int:
    """The id of the process that ran this call."""
    return os.getpid()


def identity(x: Any) -> Any:
    return x


def square(x: Any) -> Any:
    return x * x


def slow_identity(x: Any, seconds: float = 0.05) -> Any:
    """`x`, after sleeping `seconds` for real in whichever process runs it."""
    time.sleep(seconds)
    return x


def raise_on(x: Any, values: tuple = (), message: str = "raise_on") -> Any:
    """`x`, or ValueError(message, x) when `x` is one of `values`."""
    if x in values:
        raise ValueError(message, x)
    return x


def scripted(x: Any, sleeps: dict | None = None, raises: tuple = (),
             message: str = "scripted") -> Any:
    """`x`, after sleeping `sleeps[x]` seconds (none when `x` is not a key), or
    ValueError(message, x) then when `x` is one of `raises`: items that finish out of
    their order, and fail, in worker processes too (where a `Script` cannot go)."""
    time.sleep((sleeps or {}).get(x, 0))
    if x in raises:
        raise ValueError(message, x)
    return x


def span(x: Any, seconds: float = 0.05) -> tuple:
    """(x, pid, start, end): when this call ran, by the system-wide monotonic clock, so
    spans from threads and processes compare (`harness.testing.most_at_once`)."""
    start = time.monotonic()
    time.sleep(seconds)
    return (x, os.getpid(), start, time.monotonic())


def spans_in_tasks(obj: Any, names: list, method: str = "start_span") -> list:
    """Runs one asyncio task per name, all at once on a new event loop in this thread, and
    returns per name (in order) [outer, inner]: what `with obj.method(name) as outer:` and,
    inside it, `with obj.method(name + "/child") as inner:` gave.

    Each task lets the others run (`await asyncio.sleep(0)`) after entering each block and
    after leaving the inner one, so every task is inside its outer block when any enters
    its inner one: state the context managers share other than through a ContextVar (an
    attribute, a global, a list mutated in place) shows as an inner block that sees another
    task's outer one. The tasks start in a copy of this thread's context: a span current
    when this is called is current in each task (tracing's spans in asyncio tasks)."""
    import asyncio  # here, not at the top: most learner processes never need it

    async def one(name: str) -> list:
        with getattr(obj, method)(name) as outer:
            await asyncio.sleep(0)
            with getattr(obj, method)(f"{name}/child") as inner:
                await asyncio.sleep(0)
            await asyncio.sleep(0)
        return [outer, inner]

    async def main() -> list:
        return list(await asyncio.gather(*(one(name) for name in names)))

    return asyncio.run(main())


def unpicklable(function: str = "square") -> Any:
    """A closure around one of these functions: it runs, but cannot be pickled."""
    inner = _FUNCTIONS[function]

    def closure(*args: Any) -> Any:
        return inner(*args)

    return closure


class Rendezvous:
    """Called by up to `parties` threads of this process: each of the first `parties`
    calls waits until all have arrived (or `timeout` seconds passed); later calls pass
    at once. Returns its first argument, so it can stand in as a mapped function.

    `filled` says whether the parties were ever all inside at the same time: the
    proof that the learner's code let them run in parallel.
    """

    def __init__(self, parties: int = 2, timeout: float = 2.0) -> None:
        self.parties = parties
        self.timeout = timeout
        self.arrivals = 0
        self.filled = False
        self.timed_out = False
        self._cv = threading.Condition()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self._cv:
            self.arrivals += 1
            if self.arrivals == self.parties and not self.timed_out:
                self.filled = True
                self._cv.notify_all()
            elif self.arrivals < self.parties:
                deadline = time.monotonic() + self.timeout
                while not self.filled and not self.timed_out:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        self.timed_out = True  # the rest need not wait any longer
                        self._cv.notify_all()
                        break
                    self._cv.wait(left)
        return args[0] if args else None


class Script:
    """A mapped function for the threads of this process whose items wait for one another,
    so that the order in which calls end is fixed by the test, not by the scheduler.

    A call of item `x` starts (recorded), waits until item `after_start[x]` has started
    and item `after_end[x]` has ended, waits for `open()` when `x` is in `gated`, then ends
    (recorded) by returning `x`, or by raising ValueError(message, x) when `x` is in
    `raises`. Each wait gives up after `timeout` seconds (`timed_out` says so): code that
    runs the calls one at a time then pays that time, never hangs.

    Afterwards (or meanwhile) `started`, `ended` (items, in that order) and `running` (the
    calls inside now) tell what the learner's code did: whether it raised before a call
    it had started was over, whether a timeout came while a call was still blocked.
    """

    def __init__(self, after_start: dict | None = None, after_end: dict | None = None,
                 gated: tuple = (), raises: tuple = (), message: str = "script",
                 timeout: float = 10.0) -> None:
        self.after_start = dict(after_start or {})
        self.after_end = dict(after_end or {})
        self.gated = tuple(gated)
        self.raises = tuple(raises)
        self.message = message
        self.timeout = timeout
        self.started: list = []
        self.ended: list = []
        self.running = 0
        self.timed_out = False
        self.is_open = False
        self._cv = threading.Condition()

    def __call__(self, x: Any) -> Any:
        with self._cv:
            self.started.append(x)
            self.running += 1
            self._cv.notify_all()
        try:
            if x in self.after_start:
                self._wait(lambda: self.after_start[x] in self.started)
            if x in self.after_end:
                self._wait(lambda: self.after_end[x] in self.ended)
            if x in self.gated:
                self._wait(lambda: self.is_open)
        finally:
            with self._cv:
                self.ended.append(x)
                self.running -= 1
                self._cv.notify_all()
        if x in self.raises:
            raise ValueError(self.message, x)
        return x

    def _wait(self, ready: Any) -> None:
        with self._cv:
            if not self._cv.wait_for(ready, self.timeout):
                self.timed_out = True

    def open(self) -> None:
        """Lets the gated calls (and later ones) go on."""
        with self._cv:
            self.is_open = True
            self._cv.notify_all()

    def wait_started(self, x: Any, timeout: float = 10.0) -> bool:
        """Whether the call of `x` has started, waiting up to `timeout` seconds for it."""
        with self._cv:
            return self._cv.wait_for(lambda: x in self.started, timeout)

    def wait_ended(self, x: Any, timeout: float = 10.0) -> bool:
        """Whether the call of `x` has ended, waiting up to `timeout` seconds for it."""
        with self._cv:
            return self._cv.wait_for(lambda: x in self.ended, timeout)


class Holding:
    """A thread of this process that enters `make()` (a context manager of the learner's,
    e.g. `lock.read_lock()`) and stays inside until released."""

    def __init__(self, make_context: Any) -> None:
        self._entered = threading.Event()
        self._release = threading.Event()
        self._done = threading.Event()
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, args=(make_context,), daemon=True,
                                        name="kata-holding")
        self._thread.start()

    def _run(self, make_context: Any) -> None:
        try:
            with make_context():
                self._entered.set()
                self._release.wait()
        except BaseException as exc:  # said to the suite through `error`
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self._done.set()

    def entered(self, timeout: float = 0.0) -> bool:
        """Whether the thread got inside, waiting up to `timeout` seconds for it."""
        return self._entered.wait(timeout)

    def release(self) -> None:
        self._release.set()

    def done(self, timeout: float = 0.0) -> bool:
        """Whether the thread left the block (or failed to enter), waiting up to `timeout`."""
        return self._done.wait(timeout)


class Gate:
    """Parks the first call (with `every`, each call in turn) until `release()`, or
    `timeout` seconds; other calls pass at once, and every call after `open()`.
    Handed to the learner's code where it runs inside a critical section
    (`WatchedInt(on_use=gate)`), it parks a thread there, holding the learner's locks, so
    a suite can see what else still runs meanwhile: another thread's work that needs none
    of those locks must finish; a single global lock keeps it out. With `every`, the suite
    sees each point in turn, so one of them inside the locks is enough, whatever the
    learner's code does outside them. Returns its first argument, like `Rendezvous`."""

    def __init__(self, timeout: float = 30.0, every: bool = False) -> None:
        self.timeout = timeout
        self.every = every
        self.calls = 0
        self.parked = 0  # how many calls were parked so far
        self.holder: str | None = None  # the name of the thread parked last
        self.timed_out = False
        self._released = 0  # calls up to this number were let go
        self._open = False
        self._cv = threading.Condition()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self._cv:
            self.calls += 1
            if not self._open and (self.every or self.parked == 0):
                self.parked += 1
                mine = self.parked
                self.holder = threading.current_thread().name
                self._cv.notify_all()
                if not self._cv.wait_for(lambda: self._released >= mine, self.timeout):
                    self.timed_out = True  # a suite that never released it must not hang
                    self._released = max(self._released, mine)
        return args[0] if args else None

    def reached(self, timeout: float = 0.0) -> bool:
        """Whether a call is parked here now, waiting up to `timeout` seconds for one."""
        with self._cv:
            return self._cv.wait_for(lambda: self.parked > self._released, timeout)

    def release(self) -> None:
        """Lets the parked call go (the next one, with `every`, will park again)."""
        with self._cv:
            self._released = self.parked
            self._cv.notify_all()

    def open(self) -> None:
        """Lets the parked call go and every later call pass."""
        with self._cv:
            self._open = True
            self._released = self.parked
            self._cv.notify_all()


_WATCHED = ("__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__", "__add__", "__radd__",
            "__sub__", "__rsub__", "__mul__", "__rmul__", "__floordiv__", "__rfloordiv__",
            "__truediv__", "__rtruediv__", "__mod__", "__rmod__", "__divmod__", "__rdivmod__")


class WatchedInt(int):
    """An int that calls `on_use(value, other)` each time it is compared with, or combined
    in arithmetic with, one of `partners` (any value when `partners` is None), then
    answers as a plain int would; what arithmetic gives back is a plain int.

    Why: a suite cannot put a callback inside the learner's critical section when the API
    takes none, but it can pass a value that code touches only there. A bank's transfer may
    check `amount <= 0` before it takes any lock; it compares `amount` with the source's
    balance, or subtracts it, only while holding that account's lock. With the balances
    set to values no check of an amount uses (4242, 5353) as `partners`, `on_use` runs
    inside the lock (or, for code that also checks early outside it, earlier: never
    later). An int subclass is an int (`isinstance`), hashes and prints as its value."""

    _on_use: Any
    _partners: frozenset | None

    def __new__(cls, value: int = 0, on_use: Any = None, partners: Any = None) -> WatchedInt:
        self = super().__new__(cls, value)
        self._on_use = on_use
        self._partners = None if partners is None else frozenset(int(p) for p in partners)
        return self

    def _touched(self, other: Any) -> None:
        if self._on_use is None:
            return
        if self._partners is None or (isinstance(other, int) and int(other) in self._partners):
            self._on_use(int(self), other)

    __hash__ = int.__hash__

    def __repr__(self) -> str:
        return repr(int(self))

    def __neg__(self) -> int:
        if self._partners is None:
            self._touched(None)
        return -int(self)

    def __reduce__(self) -> Any:
        return (int, (int(self),))  # a copy sent elsewhere is the plain value


def _watching(name: str) -> Any:
    plain = getattr(int, name)

    def method(self: WatchedInt, other: Any) -> Any:
        self._touched(other)
        return plain(int(self), int(other) if isinstance(other, int) else other)

    method.__name__ = name
    return method


for _name in _WATCHED:
    setattr(WatchedInt, _name, _watching(_name))


_PLAIN_ATOMS = (type(None), bool, int, float, str, bytes)


def plain_copy(value: Any, depth: int = 0) -> Any:
    """A copy of `value` made of plain data only (None, bool, int, float, str, bytes, and
    lists, tuples, dicts, sets and frozensets of them), as a network would carry it; any
    other type raises TypeError naming it."""
    kind = type(value)
    if depth > 50:
        raise TypeError("a message is plain data nested at most 50 deep")
    if kind in _PLAIN_ATOMS:
        return value
    if kind is list or kind is tuple or kind is set or kind is frozenset:
        return kind(plain_copy(item, depth + 1) for item in value)
    if kind is dict:
        return {plain_copy(k, depth + 1): plain_copy(v, depth + 1) for k, v in value.items()}
    raise TypeError(f"a message is plain data (None, bool, int, float, str, bytes, list, "
                    f"tuple, dict, set, frozenset), not {kind.__name__}")


class Outbox:
    """A node's `send(dst, message)`: records each send, a copy of the message made at once
    (so changing an object after sending it changes nothing in flight), for
    `harness.learner.probes.network_step` to hand to the grader's network. The grader counts
    and delivers only what it drains from here: a node that hides a send only loses it."""

    def __init__(self) -> None:
        self._sent: list[tuple[Any, Any]] = []
        self._lock = threading.Lock()

    def __call__(self, dst: Any, message: Any) -> None:
        copy = (plain_copy(dst), plain_copy(message))
        with self._lock:
            self._sent.append(copy)

    def drain(self) -> list[tuple[Any, Any]]:
        """The sends recorded since the last drain, in order, as (dst, message)."""
        with self._lock:
            sent, self._sent = self._sent, []
        return sent

    def __repr__(self) -> str:
        return "<send of the simulated network>"


class Clock:
    """A fake clock in this process, for the learner's code to read (`clock=...`): a call
    returns `now`, which only the suite moves (`set`, `advance`). Reading it costs no
    message to the grader, so a run of calls each at its own time (`probes.calls_at`)
    crosses the boundary once, however often the learner's code reads the clock."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = float(start)
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def set(self, t: float) -> float:
        """Moves the time to `t` (never back) and returns it."""
        with self._lock:
            if t < self.now:
                raise ValueError(f"a clock cannot go back from {self.now} to {t}")
            self.now = float(t)
            return self.now

    def advance(self, seconds: float) -> float:
        """Moves the time forward by `seconds` and returns the new time."""
        if seconds < 0:
            raise ValueError(f"a clock cannot go back ({seconds} s)")
        with self._lock:
            self.now += seconds
            return self.now


_FUNCTIONS = {f.__name__: f for f in (getpid, identity, square, slow_identity, raise_on,
                                       scripted, span, spans_in_tasks)}


_OBJECTS: dict[str, Any] = {"rendezvous": Rendezvous, "gate": Gate, "watched_int": WatchedInt,
                             "script": Script, "outbox": Outbox, "clock": Clock}


def make(name: str, /, **kwargs: Any) -> Any:
    """The function (or object) named `name`, its keyword arguments bound: a
    `functools.partial` of a module-level function pickles by reference."""
    if name == "unpicklable":
        return unpicklable(**kwargs)
    if name in _OBJECTS:
        return _OBJECTS[name](**kwargs)
    if name not in _FUNCTIONS:
        raise ValueError(f"no learner function {name!r}; there are "
                         f"{', '.join(sorted([*_FUNCTIONS, 'unpicklable', *_OBJECTS]))}")
    function = _FUNCTIONS[name]
    return functools.partial(function, **kwargs) if kwargs else function
