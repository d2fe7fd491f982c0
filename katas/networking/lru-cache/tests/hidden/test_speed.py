"""Every operation is O(1): 200,000 mixed operations on a full cache of 10,000 entries take
at most 25 times as long as the same operations on a plain dict, both timed in the process
that runs your code."""

import pytest

from harness.testing import call_each, time_against_dict
from lru_cache import LRUCache

pytestmark = pytest.mark.speed

CAPACITY = 10_000
OPERATIONS = 200_000
LIMIT = 25
# (the cache's method, the plain dict's method doing the same, arguments: key or key and value)
METHODS = [("get", "get", 1), ("put", "__setitem__", 2), ("__contains__", "__contains__", 1)]


def test_every_operation_takes_constant_time():
    cache = LRUCache(CAPACITY)
    call_each(cache, "put", [(key, key) for key in range(CAPACITY)])
    assert len(cache) == CAPACITY, f"after {CAPACITY:,} puts, len is {len(cache)}"
    # 45% get, 45% put, 10% `in`, over keys twice as many as the capacity: half the gets
    # hit and refresh, and half the puts into the full cache evict
    got = time_against_dict(cache, METHODS, weights=[45, 45, 10], keys=2 * CAPACITY,
                            operations=OPERATIONS, seed=2024, limit=LIMIT, rounds=3)
    done = "" if got["done"] == OPERATIONS else (
        f" (stopped after {got['done']:,} of them: already past {2 * LIMIT}x)")
    assert got["ratio"] <= LIMIT, (
        f"{OPERATIONS:,} mixed get/put/in calls on a full LRUCache({CAPACITY:,}) took "
        f"{got['ratio']:.0f}x the time of the same calls on a plain dict{done}, in the best "
        f"of {got['rounds']} runs; expected at most {LIMIT}x. Some operation walks the "
        "entries (list.remove, list.index, pop(0) on a long list, min() over timestamps): "
        f"with {CAPACITY:,} entries it does thousands of steps per call instead of a few.")
