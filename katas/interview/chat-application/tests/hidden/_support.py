"""What the hidden tests of chat-application share: reading a subscription with a bound on
the wait (a subscription that never answers fails its test in seconds, with the stacks of
your threads, instead of hanging the run), and a few checks with messages that teach."""

import time

from chat import ChatService

from harness.testing import Deadlock, learner_clock, learner_stacks, no_deadlock

END = "StopIteration"  # what next_of gives when the subscription has ended
WAIT = 10.0  # seconds a call that must return at once is given (a loaded machine is slow)


def service(start=1000.0):
    """A ChatService on a fake clock made in your process; returns (service, clock)."""
    clock = learner_clock(start)
    return ChatService(clock=clock), clock


def _step(sub):
    try:
        return next(sub)
    except StopIteration:
        return END


def next_of(sub, what, expected):
    """next(sub), given WAIT seconds: the message, or END when it raised StopIteration.
    `what` says how the test got there, `expected` what it should give."""
    try:
        with no_deadlock(WAIT) as run:
            run(lambda: _step(sub))
    except Deadlock as exc:
        raise AssertionError(
            f"{what}: next(subscription) was still waiting after {WAIT:g} s; expected "
            f"{expected} at once. Where your threads were:\n{exc.stacks}") from None
    return run.results[0]


def drain(sub, what, expected):
    """list(sub), run in your process, given WAIT seconds: every message the subscription
    still gives before it ends. Only once its subscriber has left."""
    try:
        with no_deadlock(WAIT) as run:
            run(lambda: list(sub))
    except Deadlock as exc:
        raise AssertionError(
            f"{what}: list(subscription) was still waiting after {WAIT:g} s; expected "
            f"{expected}, then StopIteration (the subscriber has left). Where your threads "
            f"were:\n{exc.stacks}") from None
    return run.results[0]


def await_a_reader(timeout=5.0):
    """Waits (at most `timeout` seconds) until a thread of your process is inside
    `__next__`: a reader started in a thread of the test is then really waiting when the
    test goes on, instead of arriving after the event it waits for. Gives up quietly:
    the test still checks what the reader got."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if " in __next__:" in learner_stacks():
            return
        time.sleep(0.01)


def seqs(messages):
    return [m.seq for m in messages]


def brief(messages):
    """The messages as (user, text, seq) triples, for a failure message."""
    return [(m.user, m.text, m.seq) for m in messages]
