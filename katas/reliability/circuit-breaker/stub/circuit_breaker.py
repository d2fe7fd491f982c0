"""A circuit breaker: stop calling a dependency that keeps failing, try it again later.

Fill in every method marked TODO. The tests drive your breaker with a fake clock (no
real waiting) and from several threads at once. The docstrings are the contract.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class CircuitOpenError(Exception):
    """Raised by `call` instead of calling func: the circuit is open, or it is half open
    and its one trial call is already running."""


class CircuitBreaker:
    """Wraps calls to something that may fail (a remote service, a database).

    closed: every call goes through; failures in a row are counted, a success resets
        the count; reaching `failure_threshold` opens the circuit.
    open: calls raise CircuitOpenError without calling func, until `recovery_timeout`
        seconds (of `clock`) have passed since it opened; then the state is half_open.
    half_open: exactly one trial call goes through (callers arriving while it runs get
        CircuitOpenError); its success closes the circuit, its failure opens it again
        with a fresh timeout.
    Thread-safe: many threads may call at once.
    """

    def __init__(self, failure_threshold: int = 5, recovery_timeout: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """A closed circuit. `clock` returns seconds (the tests pass a fake one)."""
        # TODO: the count of failures in a row, when the circuit opened, a lock
        raise NotImplementedError

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Returns func(*args, **kwargs), or raises CircuitOpenError without calling func.

        An exception func raises counts as a failure and reaches the caller unchanged
        (the same exception object, not a new one wrapping it).
        """
        # TODO
        raise NotImplementedError

    @property
    def state(self) -> str:
        """"closed", "open" or "half_open": what the next call would find.

        Read from the clock: once the timeout has passed, an open circuit reports
        "half_open" even if nobody has called since.
        """
        # TODO
        raise NotImplementedError
