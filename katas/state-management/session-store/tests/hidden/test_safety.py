"""Copies out, and many threads at once (with thread switches forced inside your code)."""

import pytest

import session_store as learner
from harness.testing import FakeClock, in_learner, race_seeds, run_threads
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
