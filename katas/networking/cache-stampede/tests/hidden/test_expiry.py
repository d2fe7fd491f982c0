"""One thread: a loaded value is served for ttl seconds (the end exclusive), then loaded
again; None is a value; invalidate forgets a key. The clock is a FakeClock."""

import pytest

from cache_stampede import TTLCache
from harness.testing import FakeClock

pytestmark = pytest.mark.expiry


class Loader:
    """Returns its values in turn (the last one again when they run out), counting calls."""

    def __init__(self, *values):
        self.values = values or ("value",)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.values[min(self.calls, len(self.values)) - 1]


def test_the_first_call_loads_and_returns_the_value():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    loader = Loader("v1")
    got = cache.get_or_load("a", loader)
    assert got == "v1" and loader.calls == 1, (
        f"get_or_load('a', loader) on an empty cache returned {got!r} and called the loader "
        f"{loader.calls} times; expected 'v1' (what the loader returned) and 1 call")


def test_a_fresh_value_is_served_without_calling_the_loader():
    clock = FakeClock(1000.0)
    cache = TTLCache(10.0, clock=clock)
    cache.get_or_load("a", Loader("v1"))
    clock.advance(4.0)
    other = Loader("v2")
    got = [cache.get_or_load("a", other) for _ in range(3)]
    assert got == ["v1"] * 3 and other.calls == 0, (
        f"with ttl=10, 'a' loaded at t=1000, three get_or_load('a', ...) at t=1004 returned "
        f"{got} and called their loader {other.calls} times; expected ['v1'] * 3 from the "
        "cache and no call")


@pytest.mark.parametrize("ttl", [10.0, 0.5, 3600.0])
def test_served_until_just_before_t_plus_ttl_then_reloaded(ttl):
    clock = FakeClock(1000.0)
    cache = TTLCache(ttl, clock=clock)
    cache.get_or_load("a", Loader("v1"))
    loader = Loader("v2")
    clock.advance(ttl / 2)
    early = cache.get_or_load("a", loader)
    clock.set(1000.0 + ttl - ttl / 1024)
    late = cache.get_or_load("a", loader)
    assert (early, late, loader.calls) == ("v1", "v1", 0), (
        f"ttl={ttl:g}, loaded at t=1000: at t={1000 + ttl / 2:g} got {early!r}, at "
        f"t={1000.0 + ttl - ttl / 1024:g} got {late!r}, loader called {loader.calls} times; "
        "expected 'v1' both times (still fresh) and no load")
    clock.set(1000.0 + ttl)
    at_end = cache.get_or_load("a", loader)
    assert at_end == "v2" and loader.calls == 1, (
        f"ttl={ttl:g}, loaded at t=1000: at exactly t={1000 + ttl:g} get_or_load returned "
        f"{at_end!r} with {loader.calls} loads; expected 'v2' from one new load: a value "
        "is served until t + ttl EXCLUSIVE (fresh while now < loaded_at + ttl)")


def test_expired_long_ago_is_reloaded():
    clock = FakeClock(1000.0)
    cache = TTLCache(10.0, clock=clock)
    cache.get_or_load("a", Loader("v1"))
    clock.advance(500.0)
    loader = Loader("v2")
    got = cache.get_or_load("a", loader)
    assert got == "v2" and loader.calls == 1, (
        f"ttl=10, loaded at t=1000, get_or_load at t=1500 returned {got!r} with "
        f"{loader.calls} loads; expected 'v2' from one new load")


def test_a_reload_starts_a_new_ttl():
    clock = FakeClock(1000.0)
    cache = TTLCache(10.0, clock=clock)
    cache.get_or_load("a", Loader("v1"))
    clock.set(1015.0)
    loader = Loader("v2", "v3")
    assert cache.get_or_load("a", loader) == "v2"
    clock.set(1024.5)
    got = cache.get_or_load("a", loader)
    assert got == "v2" and loader.calls == 1, (
        f"ttl=10, reloaded at t=1015: get_or_load at t=1024.5 returned {got!r} with "
        f"{loader.calls} loads in all; expected 'v2' (fresh until t=1025)")
    clock.set(1025.0)
    got = cache.get_or_load("a", loader)
    assert got == "v3" and loader.calls == 2, (
        f"ttl=10, reloaded at t=1015: get_or_load at t=1025 returned {got!r}; expected "
        "'v3' from a new load")


def test_each_key_has_its_own_value_and_its_own_expiry():
    clock = FakeClock(1000.0)
    cache = TTLCache(10.0, clock=clock)
    a, b = Loader("a1", "a2"), Loader("b1", "b2")
    assert cache.get_or_load("a", a) == "a1"
    clock.set(1006.0)
    assert cache.get_or_load("b", b) == "b1"
    clock.set(1010.0)
    got = (cache.get_or_load("a", a), cache.get_or_load("b", b))
    assert got == ("a2", "b1") and (a.calls, b.calls) == (2, 1), (
        f"ttl=10, 'a' loaded at t=1000 and 'b' at t=1006: at t=1010 got {got}, loads "
        f"a={a.calls} b={b.calls}; expected ('a2', 'b1'): 'a' expired, 'b' fresh until 1016")


def test_none_is_a_value_like_any_other():
    clock = FakeClock(1000.0)
    cache = TTLCache(10.0, clock=clock)
    loader = Loader(None, "second")
    first = cache.get_or_load("a", loader)
    clock.advance(1.0)
    again = cache.get_or_load("a", loader)
    assert (first, again, loader.calls) == (None, None, 1), (
        f"a loader returned None: get_or_load gave {first!r}, then {again!r} one second "
        f"later, with {loader.calls} loads; expected None twice and ONE load (a cached "
        "None is a hit: look the key up, do not test the value for None)")


@pytest.mark.parametrize("value", [0, "", [], False])
def test_falsy_values_are_cached(value):
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    loader = Loader(value, "other")
    got = [cache.get_or_load("k", loader) for _ in range(2)]
    assert got == [value, value] and loader.calls == 1, (
        f"a loader returned {value!r}: two get_or_load gave {got} with {loader.calls} "
        "loads; expected the same value twice and one load")


def test_invalidate_makes_the_next_call_load_again():
    clock = FakeClock(1000.0)
    cache = TTLCache(10.0, clock=clock)
    loader = Loader("v1", "v2")
    cache.get_or_load("a", loader)
    cache.invalidate("a")
    got = cache.get_or_load("a", loader)
    assert got == "v2" and loader.calls == 2, (
        f"get_or_load('a'), invalidate('a'), get_or_load('a') returned {got!r} with "
        f"{loader.calls} loads; expected 'v2' from a second load")
    clock.advance(9.0)
    assert cache.get_or_load("a", loader) == "v2" and loader.calls == 2, (
        "the value loaded after invalidate('a') was not cached for ttl")


def test_invalidate_leaves_the_other_keys():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    a, b = Loader("a1", "a2"), Loader("b1", "b2")
    cache.get_or_load("a", a)
    cache.get_or_load("b", b)
    cache.invalidate("a")
    got = (cache.get_or_load("b", b), cache.get_or_load("a", a))
    assert got == ("b1", "a2") and (a.calls, b.calls) == (2, 1), (
        f"after invalidate('a'): get_or_load('b'), get_or_load('a') gave {got}, loads "
        f"a={a.calls} b={b.calls}; expected ('b1', 'a2'): only 'a' is loaded again")


def test_two_caches_share_nothing():
    clock = FakeClock(1000.0)
    first, second = TTLCache(10.0, clock=clock), TTLCache(10.0, clock=clock)
    first.get_or_load("a", Loader("one"))
    got = second.get_or_load("a", Loader("two"))
    assert got == "two", (f"a second TTLCache returned {got!r} for 'a', which only the first "
                          "one loaded; expected 'two' (keep state on the instance)")
