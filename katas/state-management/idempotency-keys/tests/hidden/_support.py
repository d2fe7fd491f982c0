"""What the hidden tests of idempotency-keys share: handlers that count their runs, handlers
the test holds open, calls started in threads, and waiting for the callers of a key to
gather (imported by name: `import _support`).

It runs in the grader like the tests: plain classes and functions, nothing of the learner's
called at import."""

import threading
import time

from idempotency import IdempotencyConflict

from harness.testing import in_learner

WAIT = 20.0  # seconds any event is waited for: only a wrong solution waits that long
BLOCKED = 10.0  # seconds a call of another key is given while a handler is held open


class Handler:
    """A handler that counts its runs and returns its responses in turn (the last one again
    when they run out); with `fail`, the runs numbered there (from 1) raise
    PaymentDeclined("declined", n) instead."""

    def __init__(self, *responses, fail=()):
        self.responses = responses or ("response",)
        self.fail = set(fail)
        self.calls = 0
        self._lock = threading.Lock()

    def answer(self, n):
        if n in self.fail:
            raise PaymentDeclined("declined", n)
        return self.responses[min(n, len(self.responses)) - 1]

    def __call__(self):
        with self._lock:
            self.calls += 1
            n = self.calls
        return self.answer(n)


class PaymentDeclined(Exception):
    """What the tests' handlers raise."""


class HeldHandler(Handler):
    """A Handler the test holds open: each run, once counted, sets `started` and waits for
    `gate` (WAIT seconds at most) before it answers."""

    def __init__(self, *responses, fail=()):
        super().__init__(*responses, fail=fail)
        self.gate = threading.Event()
        self.started = threading.Event()

    def __call__(self):
        with self._lock:
            self.calls += 1
            n = self.calls
        self.started.set()
        self.gate.wait(WAIT)
        return self.answer(n)


def outcome(call):
    """What a call gave: ("returned", value), ("raised", the args of the PaymentDeclined),
    ("conflict",) for IdempotencyConflict, or ("raised another exception", its class and
    text)."""
    try:
        return ("returned", call())
    except IdempotencyConflict:
        return ("conflict",)
    except PaymentDeclined as exc:
        return ("raised", exc.args)
    except Exception as exc:  # noqa: BLE001 -- shown in the assertion
        return ("raised another exception", f"{type(exc).__name__}: {exc}")


def started(call):
    """Runs `call()` in a daemon thread; returns (done event, list that gets its outcome)."""
    done, box = threading.Event(), []

    def body():
        try:
            box.append(outcome(call))
        finally:
            done.set()

    threading.Thread(target=body, daemon=True).start()
    return done, box


def threads_inside_the_learners_code() -> int:
    try:
        return len(in_learner("thread_stacks"))
    except Exception:  # noqa: BLE001 -- outside a grading run: wait the full time
        return 0


def gather(handler, herd, timeout=3.0, done=None):
    """Once the held handler has started: waits until `herd` calls are inside execute (or
    the handler was run by all of them, or the event `done` is set), then a little more
    for them to reach their wait."""
    assert handler.started.wait(WAIT), f"execute(...) did not run the handler within {WAIT:g} s"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and handler.calls < herd:
        if done is not None and done.is_set():
            break
        if threads_inside_the_learners_code() >= herd:
            break
        time.sleep(0.01)
    time.sleep(0.05)
