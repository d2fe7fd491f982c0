"""A circuit breaker: stop calling a dependency that keeps failing, try it again later.

The state is not stored as a word but worked out from two facts under one lock: when
the circuit last opened (None while closed) and whether a half-open trial is running.
"open" turns into "half_open" by the clock alone, so nothing has to run at the instant
the timeout ends, and `state` is always what the next call would see.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class CircuitOpenError(Exception):
    """The circuit is open (or its one trial call is running): func was not called."""


class CircuitBreaker:
    """Counts failures in a row; at `failure_threshold` it opens and refuses calls for
    `recovery_timeout` seconds, then lets one trial call decide whether to close again."""

    def __init__(self, failure_threshold: int = 5, recovery_timeout: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._threshold = failure_threshold
        self._timeout = recovery_timeout
        self._clock = clock
        self._lock = threading.Lock()  # guards the three fields below, never held over func
        self._failures = 0  # failures in a row while closed
        self._opened_at: float | None = None  # when it last opened; None while closed
        self._trial = False  # a half-open trial call is running

    @property
    def state(self) -> str:
        """"closed", "open" or "half_open", as the next call would find it."""
        with self._lock:
            return self._state()

    def _state(self) -> str:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at < self._timeout:
            return "open"
        return "half_open"

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Returns func(*args, **kwargs), or raises CircuitOpenError without calling it.
        func's own exception reaches the caller unchanged (and counts as a failure)."""
        with self._lock:
            state = self._state()
            if state == "open" or (state == "half_open" and self._trial):
                raise CircuitOpenError(f"circuit is {state}: call refused")
            trial = state == "half_open"
            if trial:
                self._trial = True  # claimed under the lock: later callers are refused
        try:
            result = func(*args, **kwargs)
        except BaseException:
            with self._lock:
                self._failed(trial)
            raise  # the same exception object, traceback intact
        with self._lock:
            self._succeeded(trial)
        return result

    def _failed(self, trial: bool) -> None:
        if trial:
            self._trial = False
            self._opened_at = self._clock()  # open again, with a fresh timeout
        elif self._opened_at is None:
            self._failures += 1
            if self._failures >= self._threshold:
                self._opened_at = self._clock()
        # else: a call let in while closed failed after the circuit opened (or while its
        # trial ran): not the trial, so it neither moves the timeout nor decides anything

    def _succeeded(self, trial: bool) -> None:
        self._failures = 0  # while open the count is not used; closing starts from zero
        if trial:
            self._trial = False
            self._opened_at = None
