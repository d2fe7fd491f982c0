"""put, get, len and `in` on a cache large enough that nothing is evicted."""

import pytest

from lru_cache import LRUCache

pytestmark = pytest.mark.storage


def test_get_returns_what_put_stored():
    cache = LRUCache(10)
    cache.put("a", 1)
    cache.put("b", [2, 3])
    got = (cache.get("a"), cache.get("b"))
    assert got == (1, [2, 3]), f"after put('a', 1), put('b', [2, 3]): get('a'), get('b') gave {got}"


def test_a_missing_key_gives_the_default():
    cache = LRUCache(10)
    cache.put("a", 1)
    got = cache.get("nope")
    assert got is None, f"get('nope') on a cache without 'nope' returned {got!r}, expected None"
    got = cache.get("nope", "fallback")
    assert got == "fallback", f"get('nope', 'fallback') returned {got!r}, expected 'fallback'"
    got = cache.get("nope", 0)
    assert got == 0, f"get('nope', 0) returned {got!r}, expected 0 (the default given)"


def test_put_of_an_existing_key_replaces_its_value():
    cache = LRUCache(10)
    cache.put("a", 1)
    cache.put("a", 2)
    got = cache.get("a")
    assert got == 2, f"after put('a', 1), put('a', 2): get('a') returned {got!r}, expected 2"
    assert len(cache) == 1, f"one key stored twice: len(cache) is {len(cache)}, expected 1"


def test_a_stored_none_is_a_value_not_a_miss():
    cache = LRUCache(10)
    cache.put("a", None)
    got = cache.get("a", "default")
    assert got is None, (f"after put('a', None), get('a', 'default') returned {got!r}; "
                         "expected None, the stored value (the key is there)")
    assert "a" in cache, "after put('a', None), 'a' in cache is False; expected True"
    cache.put("b", 0)
    got = cache.get("b", "default")
    assert got == 0, f"after put('b', 0), get('b', 'default') returned {got!r}, expected 0"


def test_len_counts_the_entries():
    cache = LRUCache(10)
    assert len(cache) == 0, f"a new cache has len {len(cache)}, expected 0"
    for index, key in enumerate("abc", start=1):
        cache.put(key, index)
        assert len(cache) == index, f"after {index} puts of new keys, len is {len(cache)}"


def test_in_tells_which_keys_are_stored():
    cache = LRUCache(10)
    cache.put("a", 1)
    cache.put(7, "seven")
    got = ("a" in cache, 7 in cache, "b" in cache, 8 in cache)
    assert got == (True, True, False, False), (
        f"after put('a', 1), put(7, 'seven'): 'a', 7, 'b', 8 in cache gave {got}, "
        "expected (True, True, False, False)")


def test_keys_of_any_hashable_type():
    cache = LRUCache(10)
    keys = [("tuple", 1), 42, 3.5, frozenset({1, 2}), b"bytes"]
    for number, key in enumerate(keys):
        cache.put(key, number)
    got = [cache.get(key, "missing") for key in keys]
    assert got == list(range(len(keys))), f"get of keys {keys} gave {got}"
