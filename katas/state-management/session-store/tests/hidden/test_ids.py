"""Creating sessions, and ids an attacker cannot guess."""

import math
import re

import pytest

from harness.testing import FakeClock, in_learner
from session_store import Session, SessionStore

pytestmark = pytest.mark.ids

URL_SAFE = re.compile(r"^[A-Za-z0-9_\-]+$")


def test_a_new_session_holds_what_was_given():
    clock = FakeClock(5_000.0)
    store = SessionStore(clock=clock)
    sid = store.create("ana", {"theme": "dark"})
    got = store.get(sid)
    assert isinstance(got, Session), f"get(id) returned {got!r}, expected a Session"
    assert (got.id, got.user_id, got.data, got.created_at, got.last_seen) == (
        sid, "ana", {"theme": "dark"}, 5_000.0, 5_000.0), f"get(id) returned {got}"


def test_data_defaults_to_an_empty_dict():
    store = SessionStore(clock=FakeClock())
    assert store.get(store.create("ana")).data == {}


def test_unknown_ids_give_none():
    store = SessionStore(clock=FakeClock())
    store.create("ana")
    assert store.get("no-such-session") is None


def test_ids_are_url_safe_and_never_reused():
    store = SessionStore(clock=FakeClock())
    ids = [store.create(f"user{i % 7}") for i in range(2000)]
    assert len(set(ids)) == len(ids), "create() returned the same id twice"
    bad = [i for i in ids if not URL_SAFE.match(i)]
    assert not bad, f"id {bad[0]!r} is not URL-safe (letters, digits, - and _ only)"


def test_ids_carry_at_least_128_random_bits():
    store = SessionStore(clock=FakeClock())
    ids = [store.create("ana") for _ in range(3000)]
    length = max(len(i) for i in ids)
    bits = 0.0
    for position in range(length):
        seen = {i[position] for i in ids if len(i) > position}
        bits += math.log2(len(seen)) if len(seen) > 1 else 0.0
    assert bits >= 127.5, (
        f"the ids vary in about {bits:.0f} bits (measured position by position over 3000 ids); "
        "at least 128 are needed so that guessing one is hopeless, e.g. "
        "secrets.token_urlsafe(16) or more (uuid4 has only 122)")


def test_ids_do_not_come_from_the_random_module():
    in_learner("seed_random", 1234)  # the random module of your code's process
    first = [SessionStore(clock=FakeClock()).create("ana") for _ in range(5)]
    in_learner("seed_random", 1234)
    again = [SessionStore(clock=FakeClock()).create("ana") for _ in range(5)]
    assert first != again, (
        "with random.seed(1234) set twice, create() returned the same ids: they come from "
        "the random module, whose output can be predicted; use secrets")
