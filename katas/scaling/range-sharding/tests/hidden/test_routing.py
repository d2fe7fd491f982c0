"""One shard to begin with, over every key; a key belongs to the shard whose range
[lower, upper) holds it."""

import pytest
from _support import holder, keys, layout_problem, listed, shown
from range_shards import RangeShardMap

pytestmark = pytest.mark.routing

PROBES = ["", "a", "aa", "m", "mz", "n", "zzzz", "~"]


def test_a_new_map_is_one_shard_over_every_key():
    shards = RangeShardMap(4)
    got = listed(shards)
    assert isinstance(got, list) and len(got) == 1 and got[0][:2] == (None, None), (
        f"RangeShardMap(4).shards() returned {got!r}, expected one shard (None, None, id)")
    problem = layout_problem(got)
    assert problem is None, f"RangeShardMap(4).shards() = {got!r}: {problem}"


def test_every_key_goes_to_the_only_shard():
    shards = RangeShardMap(4)
    only = listed(shards)[0][2]
    got = {key: shards.shard_for(key) for key in PROBES}
    wrong = {k: v for k, v in got.items() if v != only}
    assert not wrong, f"a new map has the one shard {only!r}; shard_for gave {wrong}"


def test_up_to_max_keys_keys_stay_in_one_shard():
    shards = RangeShardMap(4)
    before = listed(shards)
    for key in ["kiwi", "apple", "zebra", "mango"]:
        shards.insert(key)
    after = listed(shards)
    assert after == before, (
        f"after 4 inserts into RangeShardMap(4), shards() returned {shown(after)}, expected "
        f"{shown(before)} as before: a shard splits only when it holds MORE than max_keys")


@pytest.mark.parametrize("seed", [1, 2])
def test_shard_for_agrees_with_the_ranges_of_shards(seed):
    shards = RangeShardMap(2)
    inserted = keys(seed, 30)
    for key in inserted:
        shards.insert(key)
    layout = listed(shards)
    problem = layout_problem(layout)
    assert problem is None, (
        f"after 30 inserts into RangeShardMap(2), shards() = {shown(layout)}: {problem}")
    bounds = [b for lower, upper, _ in layout for b in (lower, upper) if b is not None]
    probes = sorted({*inserted, *PROBES, *bounds, *(b + "a" for b in bounds)})
    wrong = [(k, shards.shard_for(k), holder(layout, k)) for k in probes
             if shards.shard_for(k) != holder(layout, k)]
    assert not wrong, (
        "shard_for must name the shard whose range [lower, upper) holds the key (a lower "
        "bound is inclusive, an upper one exclusive); with shards() = "
        f"{shown(layout)}: " + "; ".join(f"shard_for({k!r}) = {got!r}, expected {want!r}"
                                         for k, got, want in wrong[:5]))
