"""Histograms: cumulative buckets with le, +Inf equal to the count, and the sum."""

import math

import pytest
from _support import expect
from metrics import Registry

pytestmark = pytest.mark.histograms


def rows(name, buckets, count, total, labels=()):
    out = [(f"{name}_bucket", tuple(sorted((*labels, ("le", str(float(le)))))), float(n))
           for le, n in buckets]
    out += [(f"{name}_count", tuple(labels), float(count)), (f"{name}_sum", tuple(labels), total)]
    return sorted(out)


def test_an_unused_histogram_is_exposed_at_zero():
    registry = Registry()
    registry.histogram("latency", "Latency.", [0.1, 1.0])
    expect(registry, {"latency": ("histogram", "Latency.",
                                  rows("latency", [(0.1, 0), (1.0, 0), (math.inf, 0)], 0, 0.0))})


def test_buckets_are_cumulative_and_inf_equals_the_count():
    registry = Registry()
    latency = registry.histogram("latency", "Latency.", [0.1, 0.5, 2.0])
    for value in (0.05, 0.3, 0.3, 1.0, 7.0):
        latency.observe(value)
    expect(registry, {"latency": ("histogram", "Latency.", rows(
        "latency", [(0.1, 1), (0.5, 3), (2.0, 4), (math.inf, 5)], 5, 8.65))})


def test_an_observation_equal_to_a_bound_counts_in_that_bucket():
    registry = Registry()
    latency = registry.histogram("latency", "Latency.", [1.0, 2.0])
    latency.observe(1.0)
    latency.observe(2.0)
    expect(registry, {"latency": ("histogram", "Latency.", rows(
        "latency", [(1.0, 1), (2.0, 2), (math.inf, 2)], 2, 3.0))})


def test_an_explicit_inf_bound_is_not_doubled():
    registry = Registry()
    registry.histogram("size", "Size.", [10, float("inf")]).observe(50)
    expect(registry, {"size": ("histogram", "Size.", rows(
        "size", [(10, 0), (math.inf, 1)], 1, 50.0))})


@pytest.mark.parametrize("buckets", [[1.0, 1.0], [2.0, 1.0], [0.1, 0.5, 0.3]])
def test_bounds_must_be_strictly_increasing(buckets):
    with pytest.raises(ValueError):
        Registry().histogram("h", "H.", buckets)
        pytest.fail(f"histogram with buckets {buckets} was accepted; expected ValueError")


def test_labelled_histograms():
    registry = Registry()
    latency = registry.histogram("latency", "Latency.", [1.0], ["route"])
    latency.labels(route="/a").observe(0.5)
    latency.labels(route="/b").observe(3.0)
    want = sorted(rows("latency", [(1.0, 1), (math.inf, 1)], 1, 0.5, [("route", "/a")])
                  + rows("latency", [(1.0, 0), (math.inf, 1)], 1, 3.0, [("route", "/b")]))
    expect(registry, {"latency": ("histogram", "Latency.", want)})
