"""Copies out, and many threads at once (with thread switches forced inside your code)."""

import pytest

import session_store as learner
from harness.testing import FakeClock, call_each, in_learner, race_seeds, run_threads
from session_store import SessionStore

pytestmark = pytest.mark.safety


def test_changing_a_returned_session_does_not_change_the_store():
    store = SessionStore(clock=FakeClock())
    sid = store.create("ana", {"cart": ["book"], "prefs": {"theme": "dark"}})
    # The edit is made where your code runs: returned values reach the tests as copies.
    in_learner("edit_result", store, "get", sid)
    again = store.get(sid)
    assert again.user_id == "ana" and again.data == {"cart": ["book"],
                                                     "prefs": {"theme": "dark"}}, (
        f"after editing what get() returned, the store holds {again}: return a copy of the "
        "session and of its data (deep), not the stored objects")


@pytest.mark.parametrize("seed", race_seeds(4))
def test_one_rotation_wins_when_many_threads_rotate_one_id(seed):
    store = SessionStore(clock=FakeClock())
    sid = store.create("ana", {"n": 1})

    def attempt():
        try:
            return store.rotate(sid)
        except KeyError:
            return None

    results = run_threads(attempt, threads=6, switching=[learner], seed=seed)
    winners = [r for r in results if r is not None]
    assert len(winners) == 1, (
        f"6 threads rotated the same id at once; {len(winners)} succeeded (seed={seed}): "
        "checking the old id and replacing it must be one locked step")
    assert store.get(winners[0]).data == {"n": 1}


@pytest.mark.parametrize("seed", race_seeds(3))
def test_concurrent_creates_keep_every_session(seed):
    store = SessionStore(clock=FakeClock())
    results = run_threads(lambda i: [store.create(f"user{i}") for _ in range(15)], threads=6,
                          args=lambda i: (i,), switching=[learner], seed=seed)
    ids = [sid for batch in results for sid in batch]
    assert len(set(ids)) == len(ids), f"two creates returned the same id (seed={seed})"
    lost = [sid for sid in ids if store.get(sid) is None]
    assert not lost, f"{len(lost)} of {len(ids)} sessions created at once were lost (seed={seed})"
    counts = [store.destroy_all(f"user{i}") for i in range(6)]
    assert counts == [15] * 6, f"destroy_all per user returned {counts} (seed={seed})"


@pytest.mark.parametrize("seed", race_seeds(3))
def test_concurrent_creates_for_one_user_then_destroy_all_ends_them_all(seed):
    store = SessionStore()  # the real clock, in your process: no call back per create
    # call_each: each thread's creates run back to back in your code's process
    results = run_threads(lambda: call_each(store, "create", [("ana",)] * 40), threads=8,
                          switching=[learner], seed=seed)
    ids = [sid for batch in results for sid in batch]
    got = store.destroy_all("ana")
    assert got == len(ids), (
        f"8 threads created 40 sessions each for 'ana' at once; destroy_all('ana') returned "
        f"{got}, expected {len(ids)} (seed={seed}): a session recorded for the user outside "
        "the lock (or in a read-modify-write torn by another thread) is lost")
    alive = [s for s in call_each(store, "get", [(sid,) for sid in ids]) if s is not None]
    assert not alive, (
        f"after destroy_all('ana') returned {got}, get() still found {len(alive)} of the "
        f"{len(ids)} sessions created at once (seed={seed}); expected None for every one")


@pytest.mark.parametrize("seed", race_seeds(3))
def test_concurrent_rotations_are_all_logged_out(seed):
    store = SessionStore()
    start = [[store.create("ana") for _ in range(3)] for _ in range(5)]

    def rotate_mine(mine):
        seen = list(mine)
        for _ in range(3):
            mine = call_each(store, "rotate", [(sid,) for sid in mine])
            seen += mine
        return mine, seen

    results = run_threads(rotate_mine, threads=5, args=lambda i: (start[i],),
                          switching=[learner], seed=seed)
    got = store.destroy_all("ana")
    assert got == 15, (
        f"5 threads each rotated 3 of ana's 15 sessions 3 times, at once; destroy_all('ana') "
        f"returned {got}, expected 15 (seed={seed}): each session counts once, under its "
        "newest id")
    seen = [sid for _, made in results for sid in made]
    alive = [s for s in call_each(store, "get", [(sid,) for sid in seen]) if s is not None]
    assert not alive, (
        f"after destroy_all('ana'), get() still found {len(alive)} of the ids the rotations "
        f"made or left (seed={seed}); expected None for all: every session, under any id, "
        "is logged out")


@pytest.mark.parametrize("seed", race_seeds(4))
def test_logging_out_everywhere_while_creating_ends_each_session_once(seed):
    store = SessionStore()

    def work(i):
        if i == 0:
            return call_each(store, "destroy_all", [("ana",)] * 20)
        return call_each(store, "create", [("ana",)] * 10)

    results = run_threads(work, threads=5, args=lambda i: (i,), switching=[learner],
                          seed=seed)
    ids = [sid for batch in results[1:] for sid in batch]
    during, last = sum(results[0]), store.destroy_all("ana")
    assert during + last == len(ids), (
        f"4 threads created {len(ids)} sessions for 'ana' while a fifth called "
        f"destroy_all('ana') 20 times; those returned {during} in all and a last "
        f"destroy_all('ana') returned {last}: {during + last}, expected {len(ids)} "
        f"(seed={seed}): each session is ended, and counted, exactly once")
    alive = [s for s in call_each(store, "get", [(sid,) for sid in ids]) if s is not None]
    assert not alive, (
        f"after the last destroy_all('ana'), get() still found {len(alive)} of the "
        f"{len(ids)} sessions (seed={seed}); expected None for every one: a create and a "
        "destroy_all must not interleave (one lock around the sessions and any index of them)")
