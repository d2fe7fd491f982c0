"""Examples of what the hidden tests check. Run them with: python -m pytest"""

import pytest

from harness.testing import call_each, time_against_dict
from lru_cache import LRUCache


@pytest.mark.storage
def test_get_returns_the_value_or_the_default():
    cache = LRUCache(2)
    cache.put("a", 1)
    assert cache.get("a") == 1
    assert cache.get("b") is None
    assert cache.get("b", "default") == "default"
    assert len(cache) == 1 and "a" in cache and "b" not in cache


@pytest.mark.recency
def test_get_refreshes_so_the_other_entry_is_evicted():
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.get("a")  # a is now the most recently used
    cache.put("c", 3)  # full: b, the least recently used, goes
    assert "a" in cache and "c" in cache and "b" not in cache


@pytest.mark.stats
def test_on_evict_and_stats():
    evicted = []
    cache = LRUCache(1, on_evict=lambda key, value: evicted.append((key, value)))
    cache.put("a", 1)
    cache.put("b", 2)
    cache.get("b")
    cache.get("a")
    assert evicted == [("a", 1)]
    stats = cache.stats
    assert (stats.hits, stats.misses, stats.evictions) == (1, 1, 1)


@pytest.mark.capacity
def test_capacity_zero_evicts_at_once_and_negative_is_refused():
    evicted = []
    cache = LRUCache(0, on_evict=lambda key, value: evicted.append((key, value)))
    cache.put("a", 1)
    assert len(cache) == 0 and evicted == [("a", 1)]
    with pytest.raises(ValueError):
        LRUCache(-1)


@pytest.mark.speed
def test_mixed_calls_on_a_big_cache_cost_about_what_a_dict_costs():
    # The hidden test runs 200,000 calls on a cache of 10,000; this one is a smaller run.
    cache = LRUCache(5_000)
    call_each(cache, "put", [(key, key) for key in range(5_000)])
    # get, put and `in` at random over keys 0..9,999, timed where your code runs,
    # against the same calls on a plain dict (dict.get, dict.__setitem__, `in`)
    methods = [("get", "get", 1), ("put", "__setitem__", 2), ("__contains__", "__contains__", 1)]
    got = time_against_dict(cache, methods, weights=[45, 45, 10], keys=10_000,
                            operations=50_000, limit=25)
    assert got["ratio"] <= 25, f"50,000 calls took {got['ratio']:.0f}x a dict's time"
