"""What the hidden tests of bank-transfer share: a call started in a thread of the test,
calls run together under forced switching with a deadlock bound, and the balances of a
bank as one dict for the failure messages."""

import threading

import bank as learner
import pytest

from harness.testing import Deadlock, forced_switching, no_deadlock

BOUND = 10.0  # seconds before threads still running are a deadlock (they finish in about 1)


def started(call):
    """Runs `call()` in a daemon thread; returns the thread and a list holding what it
    returned, or ("raised", exception)."""
    box = []

    def body():
        try:
            box.append(call())
        except BaseException as exc:  # reported by the test that waits for it
            box.append(("raised", exc))

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread, box


def balances(bank, names):
    """{name: bank.balance(name)} for the names."""
    return {name: bank.balance(name) for name in names}


def unchanged_after(call, bank, names):
    """The balances before and after `call`, for a check that a refused transfer moved
    nothing."""
    before = balances(bank, names)
    call()
    return before, balances(bank, names)


def run_switched(calls, seed, what, why=""):
    """Runs each call in a thread of its own, switches forced in the learner's code with
    `seed`; when they do not all finish in BOUND seconds, fails with the learner's stacks,
    saying `what` ran and `why` it may hang."""
    try:
        with forced_switching(learner, seed=seed), no_deadlock(BOUND, seed=seed) as run:
            for call in calls:
                run(call)
    except Deadlock as exc:
        pytest.fail(f"{what}: after {BOUND:g} s some calls had not returned (seed={seed}): a "
                    f"deadlock. {why}Where your threads were:\n{exc.stacks}")
