"""Examples of what the hidden tests check. Run them with: python -m pytest"""

import pytest
from range_shards import RangeShardMap


@pytest.mark.routing
def test_one_shard_holds_every_key_at_first():
    shards = RangeShardMap(4)
    (only,) = shards.shards()
    assert only[:2] == (None, None)
    assert shards.shard_for("anything") == only[2]


@pytest.mark.splits
def test_five_keys_split_at_the_median():
    shards = RangeShardMap(4)
    for key in ["d", "b", "e", "a", "c"]:
        shards.insert(key)
    (left, right) = shards.shards()
    assert (left[:2], right[:2]) == ((None, "c"), ("c", None))
    assert shards.shard_for("c") == right[2]
    assert shards.shard_for("bzz") == left[2]


@pytest.mark.ids
def test_the_two_halves_have_different_ids():
    shards = RangeShardMap(2)
    for key in ["a", "b", "c"]:
        shards.insert(key)
    (left, right) = shards.shards()
    assert left[2] != right[2]
