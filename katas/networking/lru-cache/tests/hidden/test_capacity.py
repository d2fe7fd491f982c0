"""Capacity 0 stores nothing (every put is evicted at once); a negative capacity is refused."""

import pytest

from lru_cache import LRUCache

pytestmark = pytest.mark.capacity


def test_capacity_zero_stores_nothing():
    cache = LRUCache(0)
    cache.put("a", 1)
    got = (len(cache), "a" in cache, cache.get("a", "missing"))
    assert got == (0, False, "missing"), (
        f"LRUCache(0), put('a', 1): len, 'a' in cache, get('a', 'missing') gave {got}; "
        "expected (0, False, 'missing'): capacity 0 stores nothing")


def test_capacity_zero_evicts_every_new_entry_at_once():
    calls = []
    cache = LRUCache(0, on_evict=lambda key, value: calls.append((key, value)))
    cache.put("a", 1)
    assert calls == [("a", 1)], (
        f"LRUCache(0), put('a', 1): on_evict got {calls}, expected [('a', 1)]: the new "
        "entry is evicted at once")
    cache.put("b", 2)
    cache.put("a", 3)
    assert calls == [("a", 1), ("b", 2), ("a", 3)], f"then put b=2, a=3: on_evict got {calls}"
    stats = cache.stats
    got = (stats.hits, stats.misses, stats.evictions)
    assert got == (0, 0, 3), f"3 puts into LRUCache(0): stats (hits, misses, evictions) are {got}"
    cache.get("a")
    stats = cache.stats
    assert (stats.hits, stats.misses) == (0, 1), f"then get('a'): stats are {stats}, expected a miss"


def test_capacity_zero_without_callback():
    cache = LRUCache(0)
    cache.put("a", 1)
    cache.put("a", 1)
    assert len(cache) == 0 and cache.stats.evictions == 2, (
        f"LRUCache(0) without on_evict, put a twice: len {len(cache)}, stats {cache.stats}")


@pytest.mark.parametrize("capacity", [-1, -2, -100])
def test_a_negative_capacity_raises_value_error(capacity):
    try:
        got = LRUCache(capacity)
    except ValueError:
        return
    except Exception as exc:  # the wrong kind of error teaches too
        pytest.fail(f"LRUCache({capacity}) raised {type(exc).__name__}: {exc}; expected ValueError")
    pytest.fail(f"LRUCache({capacity}) returned {got!r}; expected it to raise ValueError")
