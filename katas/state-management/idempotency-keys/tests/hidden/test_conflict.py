"""Same key, another request: a key used with one fingerprint refuses another fingerprint
with IdempotencyConflict, runs nothing, and keeps what it stored."""

import pytest
from _support import Handler, outcome
from idempotency import IdempotencyConflict, IdempotencyStore

from harness.testing import FakeClock

pytestmark = pytest.mark.conflict


def store():
    return IdempotencyStore(60.0, clock=FakeClock(1000.0))


def test_another_fingerprint_raises_a_conflict_and_runs_nothing():
    idem = store()
    idem.execute("key-1", "fp-a", Handler("first"))
    other = Handler("other")
    with pytest.raises(IdempotencyConflict):
        got = idem.execute("key-1", "fp-b", other)
        pytest.fail(f"execute('key-1', 'fp-b', ...) after 'key-1' stored a response for 'fp-a' "
                    f"returned {got!r}; expected IdempotencyConflict (the key was used for "
                    "another request)")
    assert other.calls == 0, (f"execute('key-1', 'fp-b', handler) raised the conflict but ran "
                              f"its handler {other.calls} times first; expected no run")


def test_a_conflict_keeps_the_stored_response():
    idem = store()
    idem.execute("key-1", "fp-a", Handler("first"))
    refused = [outcome(lambda: idem.execute("key-1", "fp-b", Handler("other")))
               for _ in range(2)]
    again = Handler("again")
    got = idem.execute("key-1", "fp-a", again)
    assert refused == [("conflict",)] * 2 and got == "first" and again.calls == 0, (
        f"'key-1' stored 'first' for 'fp-a'; two calls with 'fp-b' gave {refused}, then a "
        f"repeat with 'fp-a' returned {got!r} with {again.calls} runs; expected two "
        "conflicts, then 'first' replayed without a run (a conflict changes nothing)")


def test_the_conflict_is_per_key():
    idem = store()
    idem.execute("a", "fp-a", Handler("A"))
    handler = Handler("B")
    got = idem.execute("b", "fp-b", handler)
    assert got == "B" and handler.calls == 1, (
        f"'a' stored a response for 'fp-a'; execute('b', 'fp-b', ...) returned {got!r} with "
        f"{handler.calls} runs; expected 'B' from one run ('b' is a new key)")


def test_a_stored_none_still_conflicts():
    idem = store()
    idem.execute("k", "fp-a", Handler(None))
    got = outcome(lambda: idem.execute("k", "fp-b", Handler("other")))
    assert got == ("conflict",), (
        f"'k' stored the response None for 'fp-a'; execute('k', 'fp-b', ...) gave {got}; "
        "expected IdempotencyConflict (a stored None is a response)")
