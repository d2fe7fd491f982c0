"""What the hidden tests of cache-stampede share: loaders the test holds open, and waiting
for a herd of callers to gather (imported by name: `import _support`).

It runs in the grader like the tests: plain classes and functions, nothing of the learner's
called at import."""

import threading
import time

from harness.testing import in_learner

WAIT = 10.0  # seconds any event is waited for: only a wrong solution waits that long


class HeldLoader:
    """A loader the test holds open: counts its calls; each call, once counted, sets
    `started` and waits for `gate` (WAIT seconds at most), then gives `answer(n)`, n the
    call's number from 1. A test's loader says what a call gives."""

    def __init__(self):
        self.calls = 0
        self.gate = threading.Event()
        self.started = threading.Event()
        self._lock = threading.Lock()

    def answer(self, n):
        raise NotImplementedError

    def __call__(self):
        with self._lock:
            self.calls += 1
            n = self.calls
        self.started.set()
        self.gate.wait(WAIT)
        return self.answer(n)


def threads_inside_the_learners_code() -> int:
    try:
        return len(in_learner("thread_stacks"))
    except Exception:  # noqa: BLE001 -- outside a grading run: wait the full time
        return 0


def gather(loader, herd, timeout=3.0):
    """Once the loader has started: waits until every caller is inside get_or_load (or the
    loader was called by all of them), then a little more for them to reach their wait."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and loader.calls < herd:
        if threads_inside_the_learners_code() >= herd:
            break
        time.sleep(0.01)
    time.sleep(0.05)
