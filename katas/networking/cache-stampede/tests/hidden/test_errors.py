"""A loader that raises: every caller waiting for that load gets the exception, nothing is
cached, and the next call loads again."""

import pytest

import _support
from cache_stampede import TTLCache
from harness.testing import FakeClock, no_deadlock

pytestmark = pytest.mark.errors

HERD = 6
WAIT = _support.WAIT


class BackendDown(Exception):
    """What the tests' loaders raise."""


class Loader(_support.HeldLoader):
    """Raises BackendDown on the calls numbered in `fail` (from 1), else returns
    f"v{call}"; counts calls; with `gated`, each call waits for `gate` first."""

    def __init__(self, fail=(1,), gated=False):
        super().__init__()
        self.fail = set(fail)
        if not gated:
            self.gate.set()

    def answer(self, n):
        if n in self.fail:
            raise BackendDown("backend down", n)
        return f"v{n}"


def outcome(call):
    """What a call gave: ("returned", value), ("raised", the args of the BackendDown), or
    ("raised another exception", its class and text): the loader's own must come through."""
    try:
        return ("returned", call())
    except BackendDown as exc:
        return ("raised", exc.args)
    except Exception as exc:  # noqa: BLE001 -- shown in the assertion
        return ("raised another exception", f"{type(exc).__name__}: {exc}")


def test_the_loaders_exception_reaches_the_caller():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    with pytest.raises(BackendDown) as caught:
        got = cache.get_or_load("a", Loader(fail=[1]))
        pytest.fail(f"get_or_load('a', loader) returned {got!r} though the loader raised "
                    "BackendDown; expected that exception")
    assert caught.value.args == ("backend down", 1), (
        f"get_or_load raised BackendDown{caught.value.args}; expected the loader's own "
        "exception, BackendDown('backend down', 1)")


def test_nothing_is_cached_after_a_failure_and_the_next_call_loads_again():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    loader = Loader(fail=[1])
    first = outcome(lambda: cache.get_or_load("a", loader))
    second = outcome(lambda: cache.get_or_load("a", loader))
    assert first[0] == "raised" and second == ("returned", "v2") and loader.calls == 2, (
        f"the loader raised on its first call: get_or_load('a') twice gave {first}, then "
        f"{second}, with {loader.calls} loads; expected BackendDown, then 'v2' from a second "
        "load (a failure is never cached)")
    third = cache.get_or_load("a", loader)
    assert third == "v2" and loader.calls == 2, (
        f"after a successful load, get_or_load('a') returned {third!r} with {loader.calls} "
        "loads; expected 'v2' from the cache")


def test_failures_are_not_remembered_across_calls():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    loader = Loader(fail=[1, 2, 3])
    got = [outcome(lambda: cache.get_or_load("a", loader)) for _ in range(4)]
    want = [("raised", ("backend down", n)) for n in (1, 2, 3)] + [("returned", "v4")]
    assert got == want and loader.calls == 4, (
        f"a loader that fails three times: four get_or_load('a') gave {got} with "
        f"{loader.calls} loads; expected each failure of its own call, then 'v4'")


def test_a_failed_reload_of_an_expired_key_serves_nothing_old():
    clock = FakeClock(1000.0)
    cache = TTLCache(10.0, clock=clock)
    loader = Loader(fail=[2])
    assert cache.get_or_load("a", loader) == "v1"
    clock.set(1010.0)
    second = outcome(lambda: cache.get_or_load("a", loader))
    third = outcome(lambda: cache.get_or_load("a", loader))
    assert second == ("raised", ("backend down", 2)) and third == ("returned", "v3"), (
        f"'a' loaded at t=1000 (ttl 10), at t=1010 the reload raises: two calls gave "
        f"{second}, then {third}; expected the exception, then 'v3' from a new load")


def test_a_failure_of_one_key_leaves_the_others():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    assert cache.get_or_load("b", lambda: "B") == "B"
    outcome(lambda: cache.get_or_load("a", Loader(fail=[1])))
    got = cache.get_or_load("b", lambda: "other")
    assert got == "B", (f"after a failed load of 'a', get_or_load('b') returned {got!r}; "
                        "expected 'B'")


def test_every_caller_waiting_for_a_failing_load_gets_its_exception():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    loader = Loader(fail=[1], gated=True)
    try:
        with no_deadlock(WAIT + 5) as run:
            for _ in range(HERD):
                run(lambda: outcome(lambda: cache.get_or_load("a", loader)))
            assert loader.started.wait(WAIT), "get_or_load('a', loader) never called the loader"
            _support.gather(loader, HERD)
            loader.gate.set()
    finally:
        loader.gate.set()
    got = [run.results[i] for i in range(HERD)]
    assert loader.calls == 1, (
        f"{HERD} threads called get_or_load('a', loader) at once and the load failed: the "
        f"loader ran {loader.calls} times; expected once (waiters share the failure, they "
        "do not load again themselves)")
    assert got == [("raised", ("backend down", 1))] * HERD, (
        f"{HERD} threads waited for one load that raised BackendDown('backend down', 1); "
        f"they got {got}; expected that exception raised to every one of them")
    after = outcome(lambda: cache.get_or_load("a", loader))
    assert after == ("returned", "v2") and loader.calls == 2, (
        f"after the failed load, get_or_load('a') gave {after} with {loader.calls} loads; "
        "expected 'v2' from a new load (remove the flight when it fails, cache nothing)")
