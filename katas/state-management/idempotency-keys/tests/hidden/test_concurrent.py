"""Concurrent retries: while the first call of a key runs its handler, the other calls of
that key wait for its response instead of running their own; calls of other keys do not
wait at all, and a waiting call costs no CPU. The handlers are the tests' own: the first
is held open until the others have arrived, so the race window is real."""

import threading
import time

import _support
import pytest
from _support import BLOCKED, WAIT, Handler, HeldHandler
from idempotency import IdempotencyStore

from harness.testing import (
    FakeClock,
    cpu_while_waiting,
    learner_function,
    learner_process,
    no_deadlock,
)

pytestmark = pytest.mark.concurrent

HERD = 6


def retries_of_a_held_call(idem, key, first, retries, fingerprint="fp"):
    """execute(key, fingerprint, first) in a thread; once `first` (a HeldHandler) runs,
    execute(key, fingerprint, handler) for each of `retries` in threads of their own; when
    they are all inside, lets `first` answer. Returns the outcomes, first's first."""
    try:
        with no_deadlock(WAIT + 5) as run:
            run(lambda: _support.outcome(lambda: idem.execute(key, fingerprint, first)))
            assert first.started.wait(WAIT), (
                f"execute({key!r}, {fingerprint!r}, handler) did not run the handler within "
                f"{WAIT:g} s")
            for handler in retries:
                run(lambda handler=handler: _support.outcome(
                    lambda: idem.execute(key, fingerprint, handler)))
            _support.gather(first, len(retries) + 1)
            first.gate.set()
    finally:
        first.gate.set()
    return [run.results[i] for i in range(len(retries) + 1)]


def test_retries_during_the_first_run_wait_for_its_response():
    idem = IdempotencyStore(60.0, clock=FakeClock(1000.0))
    first = HeldHandler("charged")
    retries = [Handler(f"charged again {i}") for i in range(HERD)]
    got = retries_of_a_held_call(idem, "pay-1", first, retries)
    ran = [h.calls for h in retries]
    assert first.calls == 1 and ran == [0] * HERD, (
        f"execute('pay-1', 'fp', ...) ran its handler, held open while {HERD} retries with the "
        f"same key and fingerprint arrived: the first handler ran {first.calls} times, the "
        f"retries' handlers {ran}; expected one run in all (the retries wait for the first)")
    assert got == [("returned", "charged")] * (HERD + 1), (
        f"the first call and its {HERD} concurrent retries got {got}; expected 'charged', the "
        "first run's response, for every one of them")


def test_retries_after_expiry_share_one_new_run():
    clock = FakeClock(1000.0)
    idem = IdempotencyStore(10.0, clock=clock)
    idem.execute("pay-1", "fp", Handler("old"))
    clock.set(1020.0)
    first = HeldHandler("new")
    retries = [Handler("another") for _ in range(4)]
    got = retries_of_a_held_call(idem, "pay-1", first, retries)
    assert got == [("returned", "new")] * 5 and sum(h.calls for h in retries) == 0, (
        f"'pay-1' stored at t=1000 expired (ttl 10); at t=1020 five calls at once got {got} "
        f"with {first.calls} + {sum(h.calls for h in retries)} runs; expected 'new' from one "
        "run for every one of them")


def test_the_response_is_stored_after_concurrent_retries():
    clock = FakeClock(1000.0)
    idem = IdempotencyStore(60.0, clock=clock)
    retries_of_a_held_call(idem, "pay-1", HeldHandler("charged"), [Handler("x")] * 3)
    clock.advance(5.0)
    later = Handler("later")
    got = idem.execute("pay-1", "fp", later)
    assert got == "charged" and later.calls == 0, (
        f"after concurrent calls stored 'charged', execute('pay-1', 'fp', ...) 5 s later "
        f"returned {got!r} with {later.calls} runs; expected 'charged' replayed")


def test_another_fingerprint_during_the_first_run_is_a_conflict():
    idem = IdempotencyStore(60.0, clock=FakeClock(1000.0))
    first = HeldHandler("charged")
    other = Handler("other")
    try:
        runs = [_support.started(lambda: idem.execute("pay-1", "fp-a", first))]
        assert first.started.wait(WAIT), "execute('pay-1', 'fp-a', handler) never ran it"
        runs.append(_support.started(lambda: idem.execute("pay-1", "fp-b", other)))
        _support.gather(first, 2, done=runs[1][0])
    finally:
        first.gate.set()
    for done, _ in runs:
        assert done.wait(WAIT), (
            "execute('pay-1', 'fp-a', ...) and execute('pay-1', 'fp-b', ...), called while "
            f"the first ran, had not both returned {WAIT:g} s after it did")
    got = [box[0] for _, box in runs]
    assert got == [("returned", "charged"), ("conflict",)] and other.calls == 0, (
        f"while execute('pay-1', 'fp-a', ...) ran its handler (which then returned "
        f"'charged'), execute('pay-1', 'fp-b', ...) was called: they gave {got}, the second "
        f"handler ran {other.calls} times; expected 'charged', then IdempotencyConflict "
        "without a run (raised at once, or once the first run stored its response)")


def test_a_slow_handler_of_one_key_does_not_block_another_key():
    idem = IdempotencyStore(60.0, clock=FakeClock(1000.0))
    a_started, b_ran = threading.Event(), threading.Event()
    a_saw = []

    def handle_a():
        a_started.set()
        a_saw.append(b_ran.wait(BLOCKED))
        return "A"

    def handle_b():
        b_ran.set()
        return "B"

    with no_deadlock(BLOCKED + WAIT + 5) as run:
        run(lambda: idem.execute("a", "fp", handle_a))
        assert a_started.wait(WAIT), "execute('a', 'fp', handler) did not run the handler"
        run(lambda: idem.execute("b", "fp", handle_b))
    assert a_saw == [True], (
        f"the handler of 'a' waited {BLOCKED:g} s for the handler of 'b' to run, in vain: a "
        "running handler of 'a' blocked the call for 'b'. Run the handler outside the lock "
        "(hold a lock only to look up, to claim the key and to store the response)")
    assert sorted(run.results.values()) == ["A", "B"], run.results


def hold_a_run_open(idem, key, waiters=0):
    """Starts execute(key, 'fp', held) and `waiters` retries of it; returns the held
    handler and the started calls (the caller sets the gate, then joins them)."""
    held = HeldHandler(f"{key}-response")
    calls = [_support.started(lambda: idem.execute(key, "fp", held))]
    assert held.started.wait(WAIT), f"execute({key!r}, 'fp', handler) never ran the handler"
    calls += [_support.started(lambda: idem.execute(key, "fp", Handler("retry")))
              for _ in range(waiters)]
    _support.gather(held, waiters + 1)
    return held, calls


def test_a_retry_waiting_for_a_run_does_not_block_another_key():
    idem = IdempotencyStore(60.0, clock=FakeClock(1000.0))
    held, calls = hold_a_run_open(idem, "a", waiters=2)
    try:
        done, box = _support.started(lambda: idem.execute("b", "fp", Handler("B")))
        finished = done.wait(BLOCKED)
    finally:
        held.gate.set()
    assert finished and box == [("returned", "B")], (
        f"while the handler of 'a' ran with 2 retries waiting for it, execute('b', 'fp', ...) "
        f"gave {box} within {BLOCKED:g} s; expected 'B' at once: a call waiting for a run "
        "must not hold the lock that other keys need")
    for done, got in calls:
        assert done.wait(WAIT) and got == [("returned", "a-response")], got


def test_a_stored_key_is_replayed_while_another_key_runs():
    idem = IdempotencyStore(60.0, clock=FakeClock(1000.0))
    idem.execute("c", "fp", Handler("C"))
    held, calls = hold_a_run_open(idem, "a")
    try:
        done, box = _support.started(lambda: idem.execute("c", "fp", Handler("other")))
        finished = done.wait(BLOCKED)
    finally:
        held.gate.set()
    assert finished and box == [("returned", "C")], (
        f"while the handler of 'a' ran, execute('c', 'fp', ...) of the stored 'c' gave {box} "
        f"within {BLOCKED:g} s; expected 'C' at once: a running handler blocked a replay")
    for done, _ in calls:
        assert done.wait(WAIT)


def test_a_waiting_retry_does_not_use_the_cpu():
    # measured in a fresh process of your code, which earlier tests have not filled with
    # threads; the first handler parks there (no call back to the tests while it waits)
    with learner_process() as other:
        where = other.process
        frozen = learner_function("identity", x=1000.0, process=where)
        idem = other.idempotency.IdempotencyStore(60.0, clock=frozen)
        gate = learner_function("gate", timeout=WAIT, process=where)
        retry = learner_function("identity", x="retry", process=where)
        calls = [_support.started(lambda: idem.execute("a", "fp", gate))]
        try:
            assert gate.reached(WAIT), "execute('a', 'fp', handler) never ran the handler"
            calls += [_support.started(lambda: idem.execute("a", "fp", retry))
                      for _ in range(2)]
            time.sleep(0.2)  # for the retries to reach their wait
            used = cpu_while_waiting(0.4, process=where)
        finally:
            gate.open()
        for done, _ in calls:
            assert done.wait(WAIT)
    assert not used.busy, (
        f"while two retries waited for the running handler of their key, your code used "
        f"{used.seconds:.3f} s of CPU in {used.wall:.1f} s: wait on a threading.Event (or a "
        "Condition, or a Future), do not poll")


def test_retries_waiting_for_a_handler_that_raises_all_return():
    idem = IdempotencyStore(60.0, clock=FakeClock(1000.0))
    first = HeldHandler(fail=[1])
    retries = [Handler(f"retry {i}") for i in range(4)]
    got = retries_of_a_held_call(idem, "pay-1", first, retries)
    assert got[0] == ("raised", ("declined", 1)), (
        f"the first execute('pay-1', 'fp', ...), whose handler raised PaymentDeclined, gave "
        f"{got[0]}; expected that exception")
    ran = [h.calls for h in retries]
    responses = {h.responses[0] for h in retries if h.calls}
    returned = {o[1] for o in got[1:] if o[0] == "returned"}
    allowed = {("raised", ("declined", 1))} | {("returned", r) for r in responses}
    wrong = [o for o in got[1:] if o not in allowed]
    assert not wrong and sum(ran) <= 1 and len(returned) <= 1, (
        f"4 retries waited for a first run whose handler raised PaymentDeclined('declined', "
        f"1); they got {got[1:]} and their own handlers ran {ran} times; expected each to "
        "raise that exception, or one of them to run its handler while the others wait for "
        "its response; never a response no handler returned (None), never two runs")
