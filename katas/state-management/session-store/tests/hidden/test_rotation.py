"""rotate (against session fixation), destroy and destroy_all (log out everywhere)."""

import pytest

from harness.testing import FakeClock
from session_store import SessionStore

pytestmark = pytest.mark.rotation


def test_rotate_moves_the_same_session_to_a_new_id():
    clock = FakeClock(1_000.0)
    store = SessionStore(idle_timeout=100, clock=clock)
    old = store.create("ana", {"cart": ["book"]})
    clock.advance(40)
    new = store.rotate(old)
    assert new != old, "rotate returned the same id"
    got = store.get(new)
    assert (got.user_id, got.data, got.created_at, got.last_seen, got.id) == (
        "ana", {"cart": ["book"]}, 1_000.0, 1_040.0, new), (
        f"after rotate at t=1040, get(new) is {got}; expected same user and data, "
        "created_at 1000 (unchanged), last_seen 1040, id = the new id")


def test_the_old_id_dies_at_once():
    store = SessionStore(clock=FakeClock())
    old = store.create("ana")
    store.rotate(old)
    assert store.get(old) is None, "after rotate(old), get(old) still returned the session"
    with pytest.raises(KeyError):
        store.rotate(old)


def test_rotation_keeps_the_absolute_deadline():
    clock = FakeClock()
    store = SessionStore(idle_timeout=100, absolute_timeout=250, clock=clock)
    sid = store.create("ana")
    for _ in range(2):
        clock.advance(90)
        sid = store.rotate(sid)
    clock.advance(70)  # 250 s after the first create
    assert store.get(sid) is None, (
        "a session rotated twice lived past absolute_timeout: rotate must keep created_at")


@pytest.mark.parametrize("kind", ["unknown", "idle", "absolute", "destroyed"])
def test_rotating_a_dead_or_unknown_id_raises_key_error(kind):
    clock = FakeClock()
    store = SessionStore(idle_timeout=100, absolute_timeout=150, clock=clock)
    sid = store.create("ana")
    if kind == "unknown":
        sid = "not-a-session"
    elif kind == "idle":
        clock.advance(100)
    elif kind == "absolute":
        clock.advance(80)
        store.get(sid)
        clock.advance(70)
    else:
        store.destroy(sid)
    with pytest.raises(KeyError):
        got = store.rotate(sid)
        pytest.fail(f"rotate of a {kind} session returned {got!r}; expected KeyError")


def test_destroy_ends_a_session_and_ignores_unknown_ids():
    store = SessionStore(clock=FakeClock())
    sid = store.create("ana")
    store.destroy(sid)
    assert store.get(sid) is None
    store.destroy(sid)
    store.destroy("never-existed")


def test_destroy_all_ends_the_users_sessions_only():
    store = SessionStore(clock=FakeClock())
    ana = [store.create("ana") for _ in range(3)]
    ben = store.create("ben")
    got = store.destroy_all("ana")
    assert got == 3, f"destroy_all('ana') with 3 sessions returned {got}"
    assert all(store.get(s) is None for s in ana), "one of ana's sessions survived destroy_all"
    assert store.get(ben) is not None, "destroy_all('ana') ended ben's session"
    assert store.destroy_all("ana") == 0 and store.destroy_all("nobody") == 0


def test_destroy_all_ends_a_rotated_session_under_its_new_id():
    store = SessionStore(clock=FakeClock())
    old = store.create("ana", {"cart": ["book"]})
    other = store.create("ana")
    new = store.rotate(old)
    newer = store.rotate(new)
    got = store.destroy_all("ana")
    assert got == 2, (
        f"ana had 2 sessions, one of them rotated twice (old -> new -> newer); "
        f"destroy_all('ana') returned {got}, expected 2: a rotated session is still one "
        "session, counted once, under its newest id")
    alive = {name: sid for name, sid in
             (("newer (the rotated session's id)", newer), ("the unrotated one", other))
             if store.get(sid) is not None}
    assert not alive, (
        f"after destroy_all('ana') returned {got}, get() still found ana's session "
        f"{', '.join(alive)}; expected None: destroy_all must end a rotated session under "
        "the id rotate gave it (if you index sessions per user, rotate must move the id "
        "in the index too)")
    for name, sid in (("old", old), ("new", new)):
        assert store.get(sid) is None, (
            f"after rotate and destroy_all('ana'), get({name} id) returned a session; "
            "expected None: an id that was rotated away is dead for good")
        with pytest.raises(KeyError):
            back = store.rotate(sid)
            pytest.fail(f"after destroy_all('ana'), rotate({name} id) returned {back!r}; "
                        "expected KeyError")


def test_destroy_all_counts_only_the_sessions_still_there():
    store = SessionStore(clock=FakeClock())
    ana = [store.create("ana") for _ in range(4)]
    store.destroy(ana[0])
    moved = store.rotate(ana[1])
    store.destroy(moved)
    got = store.destroy_all("ana")
    assert got == 2, (
        f"ana created 4 sessions, destroyed one, rotated another and destroyed it under its "
        f"new id; destroy_all('ana') returned {got}, expected 2: sessions already destroyed "
        "are not ended again, so they are not counted")
    assert [store.get(sid) for sid in ana[2:]] == [None, None], (
        "after destroy_all('ana'), get() still found one of ana's 2 remaining sessions; "
        "expected None for both")


def test_a_user_can_log_in_again_after_logging_out_everywhere():
    store = SessionStore(clock=FakeClock())
    first = [store.create("ana") for _ in range(2)]
    ben = store.rotate(store.create("ben", {"n": 1}))
    assert store.destroy_all("ana") == 2
    again = store.create("ana")
    moved = store.rotate(store.create("ana"))
    got = store.destroy_all("ana")
    assert got == 2, (
        f"after destroy_all('ana'), ana created 2 new sessions (one of them rotated); the "
        f"second destroy_all('ana') returned {got}, expected 2: only the sessions made since "
        "the last logout are there to end")
    found = [sid for sid in (again, moved, *first) if store.get(sid) is not None]
    assert not found, (
        f"after the second destroy_all('ana'), get() still found {len(found)} of ana's "
        "sessions; expected None for every one")
    kept = store.get(ben)
    assert kept is not None and kept.data == {"n": 1}, (
        f"destroy_all('ana') (twice) ended or changed ben's rotated session: get() returned "
        f"{kept}; expected ben's session with data {{'n': 1}}")
    assert store.destroy_all("ben") == 1, "destroy_all('ben') with one (rotated) session"
