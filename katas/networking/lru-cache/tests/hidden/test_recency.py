"""A full cache evicts the least recently used entry; get and put refresh, `in` does not."""

import random

import pytest

from lru_cache import LRUCache

pytestmark = pytest.mark.recency


def stored(cache, keys):
    """The keys of `keys` the cache holds (asked with `in`, which changes nothing)."""
    return [key for key in keys if key in cache]


def filled(capacity, keys, **options):
    cache = LRUCache(capacity, **options)
    for key in keys:
        cache.put(key, key.upper() if isinstance(key, str) else key)
    return cache


def test_a_full_cache_evicts_the_oldest_entry():
    cache = filled(3, "abc")
    cache.put("d", "D")
    got = stored(cache, "abcd")
    assert got == ["b", "c", "d"], (
        f"LRUCache(3), put a, b, c, then d: the cache holds {got}; expected b, c, d "
        "(a was the least recently used)")
    cache.put("e", "E")
    got = stored(cache, "abcde")
    assert got == ["c", "d", "e"], f"then put e: the cache holds {got}; expected c, d, e"


def test_the_cache_never_holds_more_than_its_capacity():
    for capacity in (1, 2, 5):
        cache = LRUCache(capacity)
        for number in range(capacity * 3):
            cache.put(number, number)
            expected = min(number + 1, capacity)
            assert len(cache) == expected, (
                f"LRUCache({capacity}) after {number + 1} puts of new keys: len is "
                f"{len(cache)}, expected {expected}")
        newest = list(range(capacity * 2, capacity * 3))
        got = stored(cache, range(capacity * 3))
        assert got == newest, f"LRUCache({capacity}) holds {got}, expected the newest {newest}"


def test_get_makes_an_entry_the_most_recently_used():
    cache = filled(3, "abc")
    assert cache.get("a") == "A"
    cache.put("d", "D")
    got = stored(cache, "abcd")
    assert got == ["a", "c", "d"], (
        f"LRUCache(3), put a, b, c, get('a'), put d: the cache holds {got}; expected a, c, d "
        "(the get made a the most recently used, so b was the oldest)")


def test_a_miss_changes_no_order():
    cache = filled(2, "ab")
    assert cache.get("z") is None
    cache.put("c", "C")
    got = stored(cache, "abc")
    assert got == ["b", "c"], f"LRUCache(2), put a, b, get('z'), put c: holds {got}, expected b, c"


def test_put_of_an_existing_key_refreshes_it_without_evicting():
    evicted = []
    cache = filled(3, "abc", on_evict=lambda key, value: evicted.append((key, value)))
    cache.put("a", "A2")
    got = stored(cache, "abc")
    assert got == ["a", "b", "c"] and evicted == [], (
        f"LRUCache(3) holding a, b, c, then put('a', 'A2'): the cache holds {got} and "
        f"on_evict got {evicted}; expected a, b, c and no eviction (a was only updated)")
    assert len(cache) == 3, f"after updating a key of a full cache, len is {len(cache)}"
    cache.put("d", "D")
    got = stored(cache, "abcd")
    assert got == ["a", "c", "d"], (
        f"then put d: the cache holds {got}; expected a, c, d (updating a made it the most "
        "recently used, so b was the oldest)")
    assert cache.get("a") == "A2", f"get('a') is {cache.get('a')!r}, expected the new value 'A2'"


def test_in_does_not_refresh_recency():
    cache = filled(3, "abc")
    assert "a" in cache
    cache.put("d", "D")
    got = stored(cache, "abcd")
    assert got == ["b", "c", "d"], (
        f"LRUCache(3), put a, b, c, check 'a' in cache, put d: the cache holds {got}; "
        "expected b, c, d (`in` only looks, so a stayed the least recently used)")


def test_capacity_one_keeps_the_last_key():
    cache = filled(1, "a")
    cache.put("b", "B")
    got = (cache.get("a"), cache.get("b"), len(cache))
    assert got == (None, "B", 1), f"LRUCache(1), put a, put b: get a, get b, len gave {got}"


def test_eviction_follows_recency_over_a_long_random_run():
    rng = random.Random(20240)
    capacity = 4
    cache = LRUCache(capacity)
    order = []  # the model: least recently used first
    for step in range(400):
        key = rng.randrange(8)
        action = rng.choice(["get", "put", "in"])
        if action == "put":
            cache.put(key, step)
            if key in order:
                order.remove(key)
            elif len(order) == capacity:
                order.pop(0)
            order.append(key)
        elif action == "get":
            found = cache.get(key, "miss")
            if key in order:
                order.remove(key)
                order.append(key)
            assert (found != "miss") == (key in order), (
                f"step {step}: get({key}) gave {found!r}; the cache should "
                f"{'hold' if key in order else 'not hold'} {key} (recency order, oldest first: "
                f"{order})")
        else:
            got = key in cache
            assert got == (key in order), (
                f"step {step}: {key} in cache gave {got}; recency order, oldest first: {order}")
