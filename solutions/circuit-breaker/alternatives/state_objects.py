"""A circuit breaker in the state pattern: the current state is an object of its own
class (Closed, Open, HalfOpen) that decides whether a call may go and what its outcome
does; transitions are stored, the one from open to half-open when someone looks at the
breaker after the timeout.

A call remembers the state object that let it in; its outcome counts only if that object
is still the current state, so a slow call from an earlier state never decides a later one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class CircuitOpenError(Exception):
    """The circuit is open (or its one trial call is running): func was not called."""


class _Closed:
    name = "closed"

    def __init__(self) -> None:
        self.failures = 0

    def admit(self) -> None:
        """Every call goes through."""

    def succeeded(self, breaker: CircuitBreaker) -> None:
        self.failures = 0

    def failed(self, breaker: CircuitBreaker) -> None:
        self.failures += 1
        if self.failures >= breaker._threshold:
            breaker._become(_Open(breaker._clock()))


class _Open:
    name = "open"

    def __init__(self, since: float) -> None:
        self.since = since

    def admit(self) -> None:
        raise CircuitOpenError("circuit is open: call refused")


class _HalfOpen:
    name = "half_open"

    def __init__(self) -> None:
        self.trial_running = False

    def admit(self) -> None:
        if self.trial_running:
            raise CircuitOpenError("circuit is half open and its trial call is running")
        self.trial_running = True

    def succeeded(self, breaker: CircuitBreaker) -> None:
        breaker._become(_Closed())

    def failed(self, breaker: CircuitBreaker) -> None:
        breaker._become(_Open(breaker._clock()))


class CircuitBreaker:
    """Counts failures in a row; at `failure_threshold` it opens and refuses calls for
    `recovery_timeout` seconds, then lets one trial call decide whether to close again."""

    def __init__(self, failure_threshold: int = 5, recovery_timeout: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._threshold = failure_threshold
        self._timeout = recovery_timeout
        self._clock = clock
        self._lock = threading.RLock()
        self._current: _Closed | _Open | _HalfOpen = _Closed()

    def _become(self, state: _Closed | _Open | _HalfOpen) -> None:
        self._current = state

    def _now_current(self) -> _Closed | _Open | _HalfOpen:
        current = self._current
        if isinstance(current, _Open) and self._clock() >= current.since + self._timeout:
            self._become(_HalfOpen())
        return self._current

    @property
    def state(self) -> str:
        """"closed", "open" or "half_open", as the next call would find it."""
        with self._lock:
            return self._now_current().name

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Returns func(*args, **kwargs), or raises CircuitOpenError without calling it."""
        with self._lock:
            admitted = self._now_current()
            admitted.admit()
        try:
            result = func(*args, **kwargs)
        except Exception:
            self._outcome(admitted, "failed")
            raise
        self._outcome(admitted, "succeeded")
        return result

    def _outcome(self, admitted: _Closed | _HalfOpen, what: str) -> None:
        with self._lock:
            if self._current is admitted:  # else: a later state; this call decides nothing
                getattr(admitted, what)(self)
