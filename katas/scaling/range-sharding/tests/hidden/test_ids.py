"""Shard ids are never reused: no two shards share one, and an id that went away with a
split never comes back."""

import pytest
from _support import keys, layout_problem, listed, shown
from range_shards import RangeShardMap

pytestmark = pytest.mark.ids


@pytest.mark.parametrize(("max_keys", "seed"), [(2, 21), (4, 22)])
def test_an_id_that_has_gone_never_comes_back(max_keys, seed):
    shards = RangeShardMap(max_keys)
    seen: set[int] = set()
    current = {s[2] for s in listed(shards)}
    done = []
    for key in keys(seed, 120):
        shards.insert(key)
        done.append(key)
        layout = listed(shards)
        problem = layout_problem(layout)
        assert problem is None, (
            f"after inserting {len(done)} keys (seed {seed}, last {key!r}) into "
            f"RangeShardMap({max_keys}), shards() = {shown(layout)}: {problem}")
        now = {s[2] for s in layout}
        seen |= current - now
        back = now & seen
        assert not back, (
            f"after inserting {key!r} (insert {len(done)}, seed {seed}), shards() = "
            f"{shown(layout)} uses the id(s) {sorted(back)} again, which an earlier split "
            "had retired: ids are never reused")
        current = now


def test_shard_for_returns_the_ids_shards_lists():
    shards = RangeShardMap(2)
    for key in keys(5, 12):
        shards.insert(key)
    layout = listed(shards)
    problem = layout_problem(layout)
    assert problem is None, f"shards() = {shown(layout)}: {problem}"
    ids = {s[2] for s in layout}
    got = {shards.shard_for(k) for k in ["a", "m", "z", "zz"]}
    assert got <= ids, f"shard_for returned the id(s) {sorted(got - ids)}, which no shard " \
        f"of shards() = {shown(layout)} has"
