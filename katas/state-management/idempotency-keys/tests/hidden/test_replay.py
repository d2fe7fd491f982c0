"""Run once, replay after: the first execute of a key runs its handler and stores the
response; a repeat with the same key and fingerprint returns it without running its own
handler. One thread, a FakeClock that does not move."""

import pytest
from _support import Handler
from idempotency import IdempotencyStore

from harness.testing import FakeClock

pytestmark = pytest.mark.replay


def store(ttl=60.0):
    return IdempotencyStore(ttl, clock=FakeClock(1000.0))


def test_the_first_call_runs_the_handler_and_returns_its_response():
    handler = Handler({"charge": "ch_1", "amount": 500})
    got = store().execute("key-1", "fp-a", handler)
    assert got == {"charge": "ch_1", "amount": 500} and handler.calls == 1, (
        f"execute('key-1', 'fp-a', handler) on a new store returned {got!r} and ran the "
        f"handler {handler.calls} times; expected {{'charge': 'ch_1', 'amount': 500}} (what "
        "the handler returned) and 1 run")


def test_a_repeat_returns_the_stored_response_without_running_its_handler():
    idem = store()
    idem.execute("key-1", "fp-a", Handler("first"))
    again = Handler("second")
    got = [idem.execute("key-1", "fp-a", again) for _ in range(3)]
    assert got == ["first"] * 3 and again.calls == 0, (
        f"after execute('key-1', 'fp-a', ...) stored 'first', three repeats with the same "
        f"key and fingerprint returned {got} and ran their handler {again.calls} times; "
        "expected 'first' each time and no run")


def test_each_key_runs_and_stores_its_own_response():
    idem = store()
    a, b = Handler("A1", "A2"), Handler("B1", "B2")
    first = (idem.execute("a", "fp", a), idem.execute("b", "fp", b))
    again = (idem.execute("a", "fp", a), idem.execute("b", "fp", b))
    assert (first, again, a.calls, b.calls) == (("A1", "B1"), ("A1", "B1"), 1, 1), (
        f"execute('a', 'fp', ...), execute('b', 'fp', ...) twice gave {first} then {again}, "
        f"runs a={a.calls} b={b.calls}; expected ('A1', 'B1') both times and one run each "
        "(the same fingerprint under two keys is two requests)")


def test_none_is_a_response_like_any_other():
    idem = store()
    handler = Handler(None, "second")
    first = idem.execute("k", "fp", handler)
    again = idem.execute("k", "fp", handler)
    assert (first, again, handler.calls) == (None, None, 1), (
        f"a handler returned None: execute gave {first!r}, then {again!r} on the repeat, with "
        f"{handler.calls} runs; expected None twice and ONE run (a stored None is a response: "
        "look the key up, do not test the response for None)")


@pytest.mark.parametrize("response", [0, "", [], False])
def test_falsy_responses_are_stored(response):
    idem = store()
    handler = Handler(response, "other")
    got = [idem.execute("k", "fp", handler) for _ in range(2)]
    assert got == [response, response] and handler.calls == 1, (
        f"a handler returned {response!r}: two execute('k', 'fp', ...) gave {got} with "
        f"{handler.calls} runs; expected the same response twice and one run")


def test_two_stores_share_nothing():
    clock = FakeClock(1000.0)
    first, second = IdempotencyStore(60.0, clock=clock), IdempotencyStore(60.0, clock=clock)
    first.execute("k", "fp", Handler("one"))
    got = second.execute("k", "fp", Handler("two"))
    assert got == "two", (f"a second IdempotencyStore returned {got!r} for 'k', which only the "
                          "first one ran; expected 'two' (keep state on the instance)")
