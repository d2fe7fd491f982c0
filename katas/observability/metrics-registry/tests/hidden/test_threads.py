"""Concurrent increments and observations, with thread switches forced inside your code."""

import metrics as learner
import pytest
from metrics import Registry
from prometheus_client.parser import text_string_to_metric_families

from harness.testing import race_seeds, run_threads

pytestmark = pytest.mark.threads


def value(registry, sample, labels=None):
    for family in text_string_to_metric_families(registry.expose()):
        for s in family.samples:
            if s.name == sample and (labels is None or s.labels == labels):
                return s.value
    return None


@pytest.mark.parametrize("seed", race_seeds(4))
def test_no_counter_increment_is_lost(seed):
    registry = Registry()
    jobs = registry.counter("jobs", "Jobs.")
    run_threads(lambda: [jobs.inc() for _ in range(60)], threads=6, switching=[learner],
                seed=seed)
    got = value(registry, "jobs_total")
    assert got == 360, (f"6 threads x 60 inc() exposed jobs_total {got}, expected 360 "
                        f"(seed={seed}): guard the read-modify-write with a lock")


@pytest.mark.parametrize("seed", race_seeds(3))
def test_labelled_children_are_created_once(seed):
    registry = Registry()
    requests = registry.counter("requests", "R.", ["route"])
    run_threads(lambda i: [requests.labels(route=f"/{n % 3}").inc() for n in range(30)],
                threads=6, args=lambda i: (i,), switching=[learner], seed=seed)
    total = sum(value(registry, "requests_total", {"route": f"/{n}"}) or 0 for n in range(3))
    assert total == 180, (f"6 threads x 30 labelled inc() over 3 routes add up to {total}, "
                          f"expected 180 (seed={seed}): two threads created the same child, "
                          "and one child's counts were lost")


@pytest.mark.parametrize("seed", race_seeds(3))
def test_no_observation_is_lost(seed):
    registry = Registry()
    latency = registry.histogram("latency", "L.", [0.5])
    run_threads(lambda: [latency.observe(0.25) for _ in range(40)], threads=6,
                switching=[learner], seed=seed)
    assert value(registry, "latency_count") == 240, f"observations were lost (seed={seed})"
    assert value(registry, "latency_sum") == 60.0, f"the sum lost observations (seed={seed})"


@pytest.mark.parametrize("seed", race_seeds(3))
def test_no_gauge_change_is_lost(seed):
    registry = Registry()
    depth = registry.gauge("depth", "D.")
    run_threads(lambda i: [depth.inc(2) if i % 2 else depth.dec() for _ in range(40)],
                threads=6, args=lambda i: (i,), switching=[learner], seed=seed)
    got = value(registry, "depth")
    assert got == 120.0, (f"3 threads x 40 inc(2) and 3 threads x 40 dec() on a gauge left "
                          f"{got}, expected 120.0 (seed={seed}): a gauge's inc and dec are "
                          "read-modify-writes too, and need the lock")
