"""Examples of what the hidden tests check."""

import pytest

from harness.testing import FakeClock
from session_store import SessionStore


@pytest.mark.ids
def test_create_then_get():
    store = SessionStore(clock=FakeClock())
    sid = store.create("ana", {"cart": []})
    session = store.get(sid)
    assert session.user_id == "ana" and session.data == {"cart": []}


@pytest.mark.expiry
def test_idle_sessions_expire():
    clock = FakeClock()
    store = SessionStore(idle_timeout=60, clock=clock)
    sid = store.create("ana")
    clock.advance(61)
    assert store.get(sid) is None


@pytest.mark.rotation
def test_rotate_kills_the_old_id():
    store = SessionStore(clock=FakeClock())
    old = store.create("ana")
    new = store.rotate(old)
    assert store.get(old) is None and store.get(new).user_id == "ana"
