"""A circuit breaker as an explicit finite-state machine: a `State` enum and a transition
table `(state, event) -> state`. Every change of state goes through `_fire`, so the
machine's whole graph is the table below and nothing else.

The events are what happens to the breaker: a failure that reaches the threshold, the
clock passing the end of the open period, and the trial's success or failure. A pair
missing from the table is an event that does not apply in that state (a late failure
of a call let in while closed, arriving after the circuit opened) and is ignored.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from typing import Any


class CircuitOpenError(Exception):
    """The circuit is open (or its one trial call is running): func was not called."""


class State(enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class Event(enum.Enum):
    TRIPPED = "failures in a row reached the threshold"
    TIMED_OUT = "the open period is over"
    TRIAL_SUCCEEDED = "the trial call returned"
    TRIAL_FAILED = "the trial call raised"


TRANSITIONS: dict[tuple[State, Event], State] = {
    (State.CLOSED, Event.TRIPPED): State.OPEN,
    (State.OPEN, Event.TIMED_OUT): State.HALF_OPEN,
    (State.HALF_OPEN, Event.TRIAL_SUCCEEDED): State.CLOSED,
    (State.HALF_OPEN, Event.TRIAL_FAILED): State.OPEN,
}


class CircuitBreaker:
    """Counts failures in a row; at `failure_threshold` it opens and refuses calls for
    `recovery_timeout` seconds, then lets one trial call decide whether to close again."""

    def __init__(self, failure_threshold: int = 5, recovery_timeout: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._threshold = failure_threshold
        self._timeout = recovery_timeout
        self._clock = clock
        self._lock = threading.Lock()  # guards every field below; never held over func
        self._state = State.CLOSED
        self._failures = 0  # failures in a row while closed
        self._open_until = 0.0  # while open: the clock reading at which it turns half open
        self._trial_running = False

    def _fire(self, event: Event) -> bool:
        """Moves the machine along `event` if the table has that edge; the lock is held."""
        target = TRANSITIONS.get((self._state, event))
        if target is None:
            return False
        if target is State.OPEN:
            self._open_until = self._clock() + self._timeout
        elif target is State.CLOSED:
            self._failures = 0
        self._trial_running = False  # a new state never starts with a trial running
        self._state = target
        return True

    def _tick(self) -> State:
        """Lets the clock act (open -> half_open once the period is over); lock held."""
        if self._state is State.OPEN and self._clock() >= self._open_until:
            self._fire(Event.TIMED_OUT)
        return self._state

    @property
    def state(self) -> str:
        """"closed", "open" or "half_open", as the next call would find it."""
        with self._lock:
            return self._tick().value

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Returns func(*args, **kwargs), or raises CircuitOpenError without calling it.
        func's own exception reaches the caller unchanged (and counts as a failure)."""
        with self._lock:
            state = self._tick()
            if state is State.OPEN or (state is State.HALF_OPEN and self._trial_running):
                raise CircuitOpenError(f"circuit is {state.value}: call refused")
            trial = state is State.HALF_OPEN
            if trial:
                self._trial_running = True
        try:
            result = func(*args, **kwargs)
        except Exception:
            with self._lock:
                if trial:
                    self._fire(Event.TRIAL_FAILED)
                elif self._state is State.CLOSED:
                    self._failures += 1
                    if self._failures >= self._threshold:
                        self._fire(Event.TRIPPED)
            raise
        with self._lock:
            if trial:
                self._fire(Event.TRIAL_SUCCEEDED)
            elif self._state is State.CLOSED:
                self._failures = 0
        return result
