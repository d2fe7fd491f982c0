"""What the hidden tests of rw-lock share: threads of the learner's process holding the lock,
watched from outside (imported by name: `import _support`).

It runs in the grader like the tests: nothing of the learner's is called at import; a holder
starts its thread when a test asks for one."""

import time

import pytest

from harness.testing import hold, learner_stacks

LONG = 5.0  # a thread that may enter is given this long (the check returns once it is in)
SHORT = 0.2  # a thread that must stay out is watched this long


class Holder:
    """A thread of the learner's process inside `lock.<kind>_lock()` until released."""

    def __init__(self, lock, kind):
        self.kind = kind
        self.handle = hold(lock, f"{kind}_lock")

    def inside(self, timeout):
        """Whether the thread got in, watched for up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if self.handle.entered(max(0.0, min(0.1, left))):
                return True
            if self.handle.done(0):
                raise AssertionError(f"`with lock.{self.kind}_lock():` raised "
                                     f"{self.handle.error}")
            if left <= 0:
                return False

    def release(self):
        self.handle.release()


def settle(count):
    """Waits (2 s at most) until `count` holding threads are blocked inside the learner's
    code: a thread that must be waiting first is known to have asked before the next one
    comes (the SHORT watch after it is then only a grace period)."""
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        if learner_stacks().count("thread kata-holding:") >= count:
            return
        time.sleep(0.01)


@pytest.fixture
def held():
    """`held(lock, kind)` starts a Holder; every one still holding is released after the
    test. A test module uses it by binding it to its own name: `held = _support.held`."""
    holders = []

    def start(lock, kind):
        holder = Holder(lock, kind)
        holders.append(holder)
        return holder

    yield start
    for holder in holders:
        holder.release()
