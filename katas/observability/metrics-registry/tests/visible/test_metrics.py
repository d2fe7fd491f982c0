"""Examples of what the hidden tests check (they parse expose() with prometheus_client)."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from metrics import Registry


def samples(registry):
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(registry.expose())
            for s in family.samples}


@pytest.mark.basics
def test_a_counter_is_exposed_with_total():
    registry = Registry()
    registry.counter("requests", "Requests served.").inc()
    assert "# TYPE requests_total counter" in registry.expose()
    assert samples(registry) == {("requests_total", ()): 1.0}


@pytest.mark.labels
def test_labels_make_series():
    registry = Registry()
    requests = registry.counter("requests", "Requests.", ["method"])
    requests.labels(method="GET").inc(2)
    assert samples(registry) == {("requests_total", (("method", "GET"),)): 2.0}


@pytest.mark.histograms
def test_histogram_buckets_are_cumulative():
    registry = Registry()
    latency = registry.histogram("latency_seconds", "Latency.", [0.1, 1.0])
    for value in (0.05, 0.5, 2.0):
        latency.observe(value)
    got = samples(registry)
    buckets = sorted((float(dict(labels)["le"]), value) for (name, labels), value in got.items()
                     if name == "latency_seconds_bucket")
    assert buckets == [(0.1, 1), (1.0, 2), (float("inf"), 3)]
    assert got[("latency_seconds_count", ())] == 3
