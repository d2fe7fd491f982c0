"""Failures are not stored: a handler's exception reaches its caller, and the key is left
as if it had never been used (the next call runs its handler, whatever its fingerprint)."""

import pytest
from _support import Handler, PaymentDeclined, outcome
from idempotency import IdempotencyStore

from harness.testing import FakeClock

pytestmark = pytest.mark.failures


def store(clock=None):
    return IdempotencyStore(10.0, clock=clock or FakeClock(1000.0))


def test_the_handlers_exception_reaches_the_caller():
    with pytest.raises(PaymentDeclined) as caught:
        got = store().execute("k", "fp", Handler(fail=[1]))
        pytest.fail(f"execute('k', 'fp', handler) returned {got!r} though the handler raised "
                    "PaymentDeclined; expected that exception")
    assert caught.value.args == ("declined", 1), (
        f"execute raised PaymentDeclined{caught.value.args}; expected the handler's own "
        "exception, PaymentDeclined('declined', 1)")


def test_after_a_failure_the_next_call_runs_the_handler_again():
    idem = store()
    handler = Handler("ok", fail=[1])
    first = outcome(lambda: idem.execute("k", "fp", handler))
    second = outcome(lambda: idem.execute("k", "fp", handler))
    assert first == ("raised", ("declined", 1)) and second == ("returned", "ok"), (
        f"the handler raised on its first run: execute('k', 'fp', ...) twice gave {first}, "
        f"then {second}, with {handler.calls} runs; expected PaymentDeclined, then 'ok' from "
        "a second run (a failure stores nothing)")
    third = idem.execute("k", "fp", handler)
    assert third == "ok" and handler.calls == 2, (
        f"after the second run succeeded, execute('k', 'fp', ...) returned {third!r} with "
        f"{handler.calls} runs in all; expected 'ok' replayed without a run")


def test_failures_are_not_remembered_across_calls():
    idem = store()
    handler = Handler("ok", fail=[1, 2, 3])
    got = [outcome(lambda: idem.execute("k", "fp", handler)) for _ in range(4)]
    want = [("raised", ("declined", n)) for n in (1, 2, 3)] + [("returned", "ok")]
    assert got == want and handler.calls == 4, (
        f"a handler that fails three times: four execute('k', 'fp', ...) gave {got} with "
        f"{handler.calls} runs; expected each failure from its own run, then 'ok'")


def test_a_failed_request_does_not_claim_the_key_for_its_fingerprint():
    idem = store()
    outcome(lambda: idem.execute("k", "fp-a", Handler(fail=[1])))
    handler = Handler("B")
    got = outcome(lambda: idem.execute("k", "fp-b", handler))
    assert got == ("returned", "B") and handler.calls == 1, (
        f"execute('k', 'fp-a', ...) raised; then execute('k', 'fp-b', ...) gave {got} with "
        f"{handler.calls} runs; expected 'B' from one run: a failure stores nothing, not "
        "even the fingerprint, so the key is still free")


def test_a_failure_of_one_key_leaves_the_others():
    idem = store()
    assert idem.execute("b", "fp", Handler("B")) == "B"
    outcome(lambda: idem.execute("a", "fp", Handler(fail=[1])))
    other = Handler("other")
    got = idem.execute("b", "fp", other)
    assert got == "B" and other.calls == 0, (
        f"after a failed execute of 'a', execute('b', 'fp', ...) returned {got!r} with "
        f"{other.calls} runs; expected 'B' replayed")


def test_a_failed_run_after_expiry_brings_nothing_old_back():
    clock = FakeClock(1000.0)
    idem = store(clock)
    assert idem.execute("k", "fp", Handler("old")) == "old"
    clock.set(1015.0)
    handler = Handler("new", fail=[1])
    second = outcome(lambda: idem.execute("k", "fp", handler))
    third = outcome(lambda: idem.execute("k", "fp", handler))
    assert second == ("raised", ("declined", 1)) and third == ("returned", "new"), (
        f"'k' stored 'old' at t=1000 (ttl 10); at t=1015 the new run raises: two calls gave "
        f"{second}, then {third}; expected the exception, then 'new' from another run")
