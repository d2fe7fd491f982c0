"""Idle (sliding) and absolute expiry, exactly at the boundaries, with a fake clock."""

import pytest

from harness.testing import FakeClock
from session_store import SessionStore

pytestmark = pytest.mark.expiry


def store_at(clock, **options):
    return SessionStore(idle_timeout=options.get("idle", 100),
                        absolute_timeout=options.get("absolute", 1000), clock=clock)


def test_alive_just_before_the_idle_timeout():
    clock = FakeClock()
    store = store_at(clock)
    sid = store.create("ana")
    clock.advance(99.9)
    assert store.get(sid) is not None, "100 s idle timeout: the session died after 99.9 s idle"


def test_dead_at_exactly_the_idle_timeout():
    clock = FakeClock()
    store = store_at(clock)
    sid = store.create("ana")
    clock.advance(100)
    assert store.get(sid) is None, (
        "100 s idle timeout: the session was still alive after exactly 100 s idle; alive "
        "means now - last_seen < idle_timeout (strictly)")


def test_get_slides_the_idle_expiry():
    clock = FakeClock(2_000.0)
    store = store_at(clock)
    sid = store.create("ana")
    for _ in range(5):
        clock.advance(90)
        session = store.get(sid)
        assert session is not None, "a session used every 90 s (idle timeout 100 s) died"
    assert session.last_seen == clock.now, (
        f"get() returned last_seen {session.last_seen}, expected now ({clock.now})")


def test_a_dead_session_does_not_come_back():
    clock = FakeClock()
    store = store_at(clock)
    sid = store.create("ana")
    clock.advance(150)
    store.get(sid)
    clock.set(clock.now)  # no time passes
    assert store.get(sid) is None, "a session that died came back on the next get()"


def test_activity_never_extends_the_absolute_lifetime():
    clock = FakeClock()
    store = store_at(clock, idle=100, absolute=300)
    sid = store.create("ana")
    for _ in range(3):
        clock.advance(90)
        assert store.get(sid) is not None
    clock.advance(29.9)  # 299.9 s after creation
    assert store.get(sid) is not None, "alive until 300 s after creation"
    clock.advance(0.1)  # exactly 300 s
    assert store.get(sid) is None, (
        "a session used every 90 s was still alive 300 s after creation with absolute_timeout "
        "300: activity must never extend the absolute lifetime")


def test_the_defaults_are_30_minutes_idle_and_a_day_absolute():
    clock = FakeClock()
    store = SessionStore(clock=clock)
    sid = store.create("ana")
    clock.advance(1799)
    assert store.get(sid) is not None
    clock.advance(1800)
    assert store.get(sid) is None, "default idle timeout is 1800 s"
    sid = store.create("ben")
    for _ in range(49):
        clock.advance(1750)
        assert store.get(sid) is not None
    clock.advance(650)  # 86,400 s after creation
    assert store.get(sid) is None, "default absolute timeout is 86400 s"


def test_one_session_expiring_leaves_the_users_others_to_log_out():
    clock = FakeClock()
    store = store_at(clock)
    stale = store.create("ana")
    clock.advance(60)
    fresh = store.rotate(store.create("ana"))
    clock.advance(50)  # stale: 110 s idle (dead); fresh: 50 s idle (alive)
    assert store.get(stale) is None, "the session idle for 110 s (timeout 100 s) was alive"
    got = store.destroy_all("ana")
    # Whether a session that already expired is counted is left open: 1 or 2.
    assert got in (1, 2), (
        f"ana had one live session and one that had expired; destroy_all('ana') returned "
        f"{got!r}, expected 1 (or 2, if the expired one is counted too): the live one ended")
    assert store.get(fresh) is None, (
        "ana's live session (rotated) survived destroy_all('ana') after her other session "
        "had expired: the expiry of one session must not lose track of the user's others")
