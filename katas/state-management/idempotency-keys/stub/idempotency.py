"""Idempotency keys: a retried request runs once, and every retry gets the first answer.

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class IdempotencyConflict(Exception):
    """The key was already used for a different request (another fingerprint)."""


class IdempotencyStore:
    """Runs each request once per idempotency key and replays its response, safe to share
    between threads.

    - The first `execute` of a key runs `handler()` and stores what it returned (any value,
      None included) with the request's fingerprint; a repeat with the same key and the
      same fingerprint returns that stored response without running its handler.
    - The same key with another fingerprint raises IdempotencyConflict (its handler does
      not run, and the stored response stays).
    - Concurrent calls with one key run the handler once: the first runs it, the others
      wait for its response and return it. Calls with *different* keys never wait for each
      other: a slow handler of one key does not delay any other key.
    - A handler that raises stores nothing: its exception reaches the caller that ran it,
      and a later call with that key runs its handler again (whatever its fingerprint).
    - A response stored at time t (by `clock`) expires once clock() - t >= ttl; after that
      the key is free, as if it had never been used. Replays do not extend its life.

    Left to you (the tests never depend on these):
    - whether t is read before or after the handler runs (the tests never move the clock
      while a handler runs), and what happens at exactly t + ttl (never tested);
    - what the callers waiting for a handler that raises do: get the same exception, or
      one of them runs its own handler while the others wait for that one; they must not
      wait forever, and they never get a response no handler returned;
    - whether a call with another fingerprint, arriving while the key's first handler runs,
      raises IdempotencyConflict at once or waits to see whether that handler succeeds
      (if it does, the call must raise IdempotencyConflict);
    - whether expired entries are removed or merely ignored.
    """

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        """`ttl`: seconds a stored response is replayed; `clock`: a zero-argument callable
        returning seconds (the tests pass a fake one)."""
        # TODO: keep the stored responses (with fingerprint and time) and the runs in flight.
        raise NotImplementedError

    def execute(self, key: str, fingerprint: str, handler: Callable[[], Any]) -> Any:
        """The response stored for `key` if it has not expired and was stored with this
        `fingerprint`; IdempotencyConflict if it was stored with another one. Otherwise
        runs `handler()` (no arguments), stores its response and returns it; if a handler
        for `key` is already running, waits for its response instead of running `handler`.
        A handler's exception propagates and stores nothing."""
        # TODO
        raise NotImplementedError
