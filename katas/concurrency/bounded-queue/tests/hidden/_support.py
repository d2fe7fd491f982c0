"""What the hidden tests of bounded-queue share: a call run in a thread of the test, so that
one that waits forever fails the test instead of hanging it (imported by name:
`from _support import LIMIT, finished, shown, start`).

It runs in the grader like the tests: plain functions, nothing of the learner's called at
import."""

import threading

import pytest

LIMIT = 5.0  # seconds a call that should have finished gets before the test calls it stuck


def start(call):
    """Runs `call()` in a thread of the test; returns the thread and the box that receives
    ("returned", value) or ("raised", exception)."""
    box = []

    def body():
        try:
            box.append(("returned", call()))
        except Exception as exc:  # the test compares what was raised
            box.append(("raised", exc))

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread, box


def finished(thread, box, what, why=""):
    thread.join(LIMIT)
    if not box:
        pytest.fail(f"{what} was still waiting {LIMIT:g} s later{why}")
    return box[0]


def shown(got):
    kind, value = got
    return f"returned {value!r}" if kind == "returned" else f"raised {type(value).__name__}"
