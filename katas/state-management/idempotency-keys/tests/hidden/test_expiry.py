"""Entries expire: a response stored at t is replayed while clock() - t < ttl and is gone
once clock() - t >= ttl (the tests never look at the exact instant t + ttl). The clock is
a FakeClock, still while a handler runs."""

import pytest
from _support import Handler, outcome
from idempotency import IdempotencyStore

from harness.testing import FakeClock

pytestmark = pytest.mark.expiry


@pytest.mark.parametrize("ttl", [10.0, 0.5, 86400.0])
def test_replayed_within_ttl_then_run_again(ttl):
    clock = FakeClock(1000.0)
    idem = IdempotencyStore(ttl, clock=clock)
    idem.execute("k", "fp", Handler("v1"))
    handler = Handler("v2")
    clock.advance(ttl / 2)
    early = idem.execute("k", "fp", handler)
    clock.set(1000.0 + ttl - ttl / 1024)
    late = idem.execute("k", "fp", handler)
    assert (early, late, handler.calls) == ("v1", "v1", 0), (
        f"ttl={ttl:g}, stored at t=1000: at t={1000 + ttl / 2:g} got {early!r}, at "
        f"t={1000.0 + ttl - ttl / 1024:g} got {late!r}, handler run {handler.calls} times; "
        "expected 'v1' both times (not expired yet) and no run")
    clock.set(1000.0 + ttl + ttl / 1024)
    after = idem.execute("k", "fp", handler)
    assert after == "v2" and handler.calls == 1, (
        f"ttl={ttl:g}, stored at t=1000: at t={1000.0 + ttl + ttl / 1024:g} execute returned "
        f"{after!r} with {handler.calls} runs; expected 'v2' from a new run (expired once "
        "clock() - stored_at >= ttl)")


def test_expired_long_ago_runs_again():
    clock = FakeClock(1000.0)
    idem = IdempotencyStore(10.0, clock=clock)
    idem.execute("k", "fp", Handler("v1"))
    clock.advance(5000.0)
    handler = Handler("v2")
    got = idem.execute("k", "fp", handler)
    assert got == "v2" and handler.calls == 1, (
        f"ttl=10, stored at t=1000, execute at t=6000 returned {got!r} with "
        f"{handler.calls} runs; expected 'v2' from a new run")


def test_an_expired_key_is_free_for_another_fingerprint():
    clock = FakeClock(1000.0)
    idem = IdempotencyStore(10.0, clock=clock)
    idem.execute("k", "fp-a", Handler("A"))
    clock.set(1012.0)
    handler = Handler("B")
    got = outcome(lambda: idem.execute("k", "fp-b", handler))
    assert got == ("returned", "B") and handler.calls == 1, (
        f"ttl=10, 'k' stored for 'fp-a' at t=1000; execute('k', 'fp-b', ...) at t=1012 gave "
        f"{got}; expected 'B' from a new run: an expired key is free, no conflict")
    again = outcome(lambda: idem.execute("k", "fp-a", Handler("A again")))
    assert again == ("conflict",), (
        f"then execute('k', 'fp-a', ...) at t=1012 gave {again}; expected IdempotencyConflict "
        "('k' now holds fp-b's response)")


def test_replays_do_not_extend_the_life_of_a_response():
    clock = FakeClock(1000.0)
    idem = IdempotencyStore(10.0, clock=clock)
    idem.execute("k", "fp", Handler("v1"))
    handler = Handler("v2")
    seen = []
    for t in (1004.0, 1008.0, 1009.5):
        clock.set(t)
        seen.append(idem.execute("k", "fp", handler))
    clock.set(1012.0)
    got = idem.execute("k", "fp", handler)
    assert seen == ["v1"] * 3 and got == "v2" and handler.calls == 1, (
        f"ttl=10, stored at t=1000, replayed at t=1004, 1008 and 1009.5 ({seen}): at t=1012 "
        f"execute returned {got!r} with {handler.calls} runs; expected 'v2' from a new run "
        "(the response expires ttl after it was stored; a replay does not renew it)")


def test_a_new_run_after_expiry_starts_a_new_ttl():
    clock = FakeClock(1000.0)
    idem = IdempotencyStore(10.0, clock=clock)
    idem.execute("k", "fp", Handler("v1"))
    clock.set(1015.0)
    handler = Handler("v2", "v3")
    assert idem.execute("k", "fp", handler) == "v2"
    clock.set(1024.0)
    got = idem.execute("k", "fp", handler)
    assert got == "v2" and handler.calls == 1, (
        f"ttl=10, run again at t=1015: execute at t=1024 returned {got!r} with "
        f"{handler.calls} runs in all; expected 'v2' (stored until t=1025)")
    clock.set(1026.0)
    got = idem.execute("k", "fp", handler)
    assert got == "v3" and handler.calls == 2, (
        f"ttl=10, run again at t=1015: execute at t=1026 returned {got!r}; expected 'v3' "
        "from a new run")


def test_each_key_has_its_own_expiry():
    clock = FakeClock(1000.0)
    idem = IdempotencyStore(10.0, clock=clock)
    a, b = Handler("a1", "a2"), Handler("b1", "b2")
    assert idem.execute("a", "fp", a) == "a1"
    clock.set(1006.0)
    assert idem.execute("b", "fp", b) == "b1"
    clock.set(1011.0)
    got = (idem.execute("a", "fp", a), idem.execute("b", "fp", b))
    assert got == ("a2", "b1") and (a.calls, b.calls) == (2, 1), (
        f"ttl=10, 'a' stored at t=1000 and 'b' at t=1006: at t=1011 got {got}, runs "
        f"a={a.calls} b={b.calls}; expected ('a2', 'b1'): 'a' expired, 'b' stored until 1016")
