"""Delays: exponential, capped, fully jittered; none after the last attempt."""

import pytest

from harness.testing import FakeSleep, SequenceRNG
from retry import retry

pytestmark = pytest.mark.backoff


def always_failing(log):
    def func():
        log.append(1)
        raise ConnectionError("down")

    return func


def delays(share, **options):
    sleep = FakeSleep()
    calls = []
    with pytest.raises(ConnectionError):
        retry(always_failing(calls), sleep=sleep, rng=SequenceRNG([share]), **options)
    return sleep.delays


def same(got, want):
    return len(got) == len(want) and all(abs(a - b) < 1e-9 for a, b in zip(got, want))


def test_delays_double_from_the_base():
    got = delays(1.0, attempts=5, base_delay=0.1, max_delay=100.0)
    want = [0.1, 0.2, 0.4, 0.8]
    assert same(got, want), (f"5 failing attempts, base_delay=0.1, rng() always 1.0: slept "
                             f"{got}, expected {want} (k-th retry waits base * 2**k)")


def test_delays_are_capped_at_max_delay():
    got = delays(1.0, attempts=7, base_delay=1.0, max_delay=5.0)
    want = [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]
    assert same(got, want), (f"base 1, cap 5, rng() always 1.0: slept {got}, expected {want}")


@pytest.mark.parametrize("share", [0.5, 0.25, 0.9])
def test_full_jitter_sleeps_a_random_share_of_the_capped_delay(share):
    got = delays(share, attempts=6, base_delay=1.0, max_delay=6.0)
    want = [share * d for d in (1.0, 2.0, 4.0, 6.0, 6.0)]
    assert same(got, want), (
        f"base 1, cap 6, rng() always {share}: slept {got}, expected {want}: "
        "rng() * min(max_delay, base_delay * 2**k) (cap first, then jitter)")


def test_the_defaults():
    got = delays(1.0)
    want = [0.1, 0.2, 0.4, 0.8]
    assert same(got, want), f"default options, rng() always 1.0: slept {got}, expected {want}"


def test_the_default_cap_is_five_seconds():
    got = delays(1.0, base_delay=1.0)
    want = [1.0, 2.0, 4.0, 5.0]
    assert same(got, want), (f"base_delay=1.0 and the default max_delay, rng() always 1.0: "
                             f"slept {got}, expected {want} (max_delay defaults to 5.0)")


def test_no_sleep_after_the_last_attempt():
    got = delays(0.5, attempts=3, base_delay=1.0, max_delay=10.0)
    assert len(got) == 2, (f"3 attempts that all fail slept {len(got)} times ({got}); only "
                           "2 retries come after a failure, the last failure needs no sleep")


def test_sleeps_only_between_attempts_when_it_succeeds():
    sleep, calls = FakeSleep(), []

    def func():
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("down")
        return "ok"

    retry(func, base_delay=2.0, max_delay=10.0, sleep=sleep, rng=SequenceRNG([0.5]))
    assert same(sleep.delays, [1.0, 2.0]), f"two failures then success slept {sleep.delays}"


def test_zero_delays_are_allowed():
    got = delays(0.7, attempts=3, base_delay=0.0, max_delay=0.0)
    assert all(d == 0 for d in got), f"base_delay=0 slept {got}"
