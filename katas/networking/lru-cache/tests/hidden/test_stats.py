"""on_evict hears of every eviction, with the evicted entry; stats count hits, misses, evictions."""

import pytest

from lru_cache import LRUCache

pytestmark = pytest.mark.stats


def counts(cache):
    stats = cache.stats
    return (stats.hits, stats.misses, stats.evictions)


class Recorder:
    """An on_evict that remembers its calls."""

    def __init__(self):
        self.calls = []

    def __call__(self, key, value):
        self.calls.append((key, value))


def test_on_evict_gets_the_evicted_key_and_value():
    record = Recorder()
    cache = LRUCache(2, on_evict=record)
    cache.put("a", 1)
    cache.put("b", 2)
    assert record.calls == [], f"nothing was evicted yet, but on_evict got {record.calls}"
    cache.put("c", 3)
    assert record.calls == [("a", 1)], (
        f"LRUCache(2), put a=1, b=2, c=3: on_evict got {record.calls}, expected [('a', 1)]")
    cache.get("b")
    cache.put("d", 4)
    assert record.calls == [("a", 1), ("c", 3)], (
        f"then get b, put d=4: on_evict got {record.calls}, expected [('a', 1), ('c', 3)] "
        "(c was the least recently used)")


def test_on_evict_gets_the_latest_value_of_the_entry():
    record = Recorder()
    cache = LRUCache(1, on_evict=record)
    cache.put("a", 1)
    cache.put("a", 2)
    assert record.calls == [], (
        f"LRUCache(1), put a=1, put a=2: on_evict got {record.calls}; an update is not "
        "an eviction")
    cache.put("b", 3)
    assert record.calls == [("a", 2)], (
        f"then put b=3: on_evict got {record.calls}, expected [('a', 2)], the value a held")


def test_no_callback_is_fine():
    cache = LRUCache(1)
    cache.put("a", 1)
    cache.put("b", 2)
    assert counts(cache)[2] == 1, f"LRUCache(1) without on_evict, 2 puts: stats {cache.stats}"


def test_a_new_cache_has_counted_nothing():
    got = counts(LRUCache(3))
    assert got == (0, 0, 0), f"a new cache's stats (hits, misses, evictions) are {got}"


def test_get_counts_hits_and_misses():
    cache = LRUCache(3)
    cache.put("a", 1)
    cache.put("n", None)
    cache.get("a")
    cache.get("a")
    cache.get("n")
    cache.get("x")
    cache.get("y", "default")
    got = counts(cache)
    assert got == (3, 2, 0), (
        f"get a, a, n (stored None), x, y (the last two missing): stats (hits, misses, "
        f"evictions) are {got}, expected (3, 2, 0)")


def test_in_and_put_count_no_hit_or_miss():
    cache = LRUCache(3)
    cache.put("a", 1)
    cache.put("a", 2)
    seen = ("a" in cache, "b" in cache)
    assert seen == (True, False), f"'a' in cache, 'b' in cache gave {seen}"
    got = counts(cache)
    assert got == (0, 0, 0), (
        f"put a, put a again, 'a' in cache, 'b' in cache: stats (hits, misses, evictions) "
        f"are {got}; expected (0, 0, 0): only get counts hits and misses")


def test_evictions_are_counted_one_per_evicted_entry():
    record = Recorder()
    cache = LRUCache(2, on_evict=record)
    for number in range(7):
        cache.put(number, number)
    cache.put(6, "again")
    got = counts(cache)
    assert got == (0, 0, 5) and len(record.calls) == 5, (
        f"LRUCache(2), 7 puts of new keys and an update: stats are {got} and on_evict was "
        f"called {len(record.calls)} times; expected 5 evictions, each reported once")


def test_a_miss_after_an_eviction():
    cache = LRUCache(1)
    cache.put("a", 1)
    cache.put("b", 2)
    got = cache.get("a", "gone")
    assert got == "gone", f"a was evicted, yet get('a', 'gone') returned {got!r}"
    assert counts(cache) == (0, 1, 1), f"stats after that: {cache.stats}, expected 0, 1, 1"
