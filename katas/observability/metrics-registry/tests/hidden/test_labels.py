"""Labelled metrics: one series per label set used, and the rules of labels()."""

import pytest
from _support import expect
from metrics import Registry

pytestmark = pytest.mark.labels


def test_a_labelled_metric_has_no_series_until_used():
    registry = Registry()
    registry.counter("requests", "Requests.", ["method", "code"])
    expect(registry, {"requests": ("counter", "Requests.", [])})


def test_one_series_per_label_set():
    registry = Registry()
    requests = registry.counter("requests", "Requests.", ["method", "code"])
    requests.labels(method="GET", code="200").inc()
    requests.labels(method="GET", code="200").inc(2)
    requests.labels(code="500", method="POST").inc()
    expect(registry, {"requests": ("counter", "Requests.", [
        ("requests_total", (("code", "200"), ("method", "GET")), 3.0),
        ("requests_total", (("code", "500"), ("method", "POST")), 1.0)])})


def test_labels_of_a_gauge():
    registry = Registry()
    pool = registry.gauge("pool_size", "Connections.", ["db"])
    pool.labels(db="main").set(5)
    pool.labels(db="replica").inc()
    expect(registry, {"pool_size": ("gauge", "Connections.", [
        ("pool_size", (("db", "main"),), 5.0), ("pool_size", (("db", "replica"),), 1.0)])})


@pytest.mark.parametrize("call", ["inc", "set"])
def test_using_a_labelled_metric_without_labels_raises(call):
    registry = Registry()
    metric = (registry.counter if call == "inc" else registry.gauge)("m", "M.", ["kind"])
    with pytest.raises(ValueError):
        getattr(metric, call)(1)
        pytest.fail(f"{call}() on a metric with labels ['kind'] but no .labels() returned "
                    "normally; expected ValueError")


def test_observe_without_labels_raises():
    registry = Registry()
    latency = registry.histogram("latency", "L.", [1.0], ["route"])
    with pytest.raises(ValueError):
        latency.observe(0.5)


@pytest.mark.parametrize("values", [{}, {"method": "GET"}, {"method": "GET", "code": "200",
                                                            "extra": "x"},
                                    {"method": "GET", "status": "200"}])
def test_missing_or_extra_label_names_raise(values):
    registry = Registry()
    requests = registry.counter("requests", "Requests.", ["method", "code"])
    with pytest.raises(ValueError):
        requests.labels(**values)
        pytest.fail(f"labels(**{values}) on labels ['method', 'code'] returned normally; "
                    "expected ValueError")
