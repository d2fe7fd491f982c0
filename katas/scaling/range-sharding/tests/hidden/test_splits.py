"""A shard holding more than max_keys keys splits at its median key into [lower, median)
and [median, upper); no other shard changes."""

import pytest
from _support import Model, holder, keys, layout_problem, listed, shown
from range_shards import RangeShardMap

pytestmark = pytest.mark.splits


def bounds(layout):
    return [(lower, upper) for lower, upper, _ in layout]


def test_one_key_too_many_splits_at_the_median():
    shards = RangeShardMap(4)
    for key in ["d", "b", "e", "a", "c"]:
        shards.insert(key)
    got = listed(shards)
    assert bounds(got) == [(None, "c"), ("c", None)], (
        f"inserting d, b, e, a, c into RangeShardMap(4): shards() returned {shown(got)}, "
        "expected [(None, 'c', _), ('c', None, _)]: 5 keys is one too many, and the median "
        "of a..e is 'c'")


def test_the_median_key_goes_to_the_upper_half():
    shards = RangeShardMap(2)
    for key in ["a", "b", "c"]:
        shards.insert(key)
    layout = listed(shards)
    got = (shards.shard_for("b"), shards.shard_for("a"), shards.shard_for("bz"))
    want = (holder(layout, "b"), holder(layout, "a"), holder(layout, "bz"))
    assert bounds(layout) == [(None, "b"), ("b", None)] and got == want, (
        f"after a, b, c into RangeShardMap(2): shards() = {shown(layout)} and shard_for of "
        f"'b', 'a', 'bz' = {got}; expected [(None, 'b', _), ('b', None, _)] with 'b' and "
        "'bz' in the upper shard: a lower bound is inclusive")


def test_a_split_changes_no_other_shard():
    shards = RangeShardMap(2)
    for key in ["m", "f", "t", "c", "h", "p", "w"]:
        shards.insert(key)
    before = listed(shards)
    problem = layout_problem(before)
    assert problem is None, f"shards() = {shown(before)}: {problem}"
    target = holder(before, "h")
    for key in ["g", "i"]:  # fills h's shard until it splits
        shards.insert(key)
    after = listed(shards)
    kept = [s for s in before if s[2] != target]
    lost = [s for s in kept if s not in after]
    assert not lost, (
        f"inserts into the shard of 'h' changed other shards: before {shown(before)}, after "
        f"{shown(after)}; these should have stayed as they were: {lost}")


def test_a_key_inserted_again_is_not_counted_again():
    shards = RangeShardMap(2)
    for key in ["a", "b", "a", "b", "a"]:
        shards.insert(key)
    got = listed(shards)
    assert len(got) == 1, (
        f"inserting a, b, a, b, a into RangeShardMap(2) gave {shown(got)}: the shard holds "
        "two keys, which is not more than max_keys=2, so it must not split")


@pytest.mark.parametrize(("max_keys", "seed"), [(2, 11), (4, 12), (6, 13), (10, 14)])
def test_generated_inserts_split_where_the_rule_says(max_keys, seed):
    shards = RangeShardMap(max_keys)
    model = Model(max_keys)
    done = []
    for key in keys(seed, 150):
        shards.insert(key)
        model.insert(key)
        done.append(key)
        got = listed(shards)
        problem = layout_problem(got)
        if problem is None and bounds(got) == model.bounds():
            continue
        where = f"after inserting {', '.join(map(repr, done[-8:]))} (insert {len(done)} of " \
            f"seed {seed}) into RangeShardMap({max_keys})"
        assert problem is None, f"{where}, shards() = {shown(got)}: {problem}"
        assert bounds(got) == model.bounds(), (
            f"{where}: the ranges of shards() are {bounds(got)}, expected {model.bounds()}: "
            "a shard splits once it holds more than max_keys keys, at its median key "
            "keys[len(keys) // 2]")
