"""Counters and gauges, parsed by prometheus_client and compared exactly."""

import pytest
from _support import expect
from metrics import Registry

pytestmark = pytest.mark.basics


def test_an_unused_counter_is_exposed_at_zero():
    registry = Registry()
    registry.counter("jobs", "Jobs done.")
    expect(registry, {"jobs": ("counter", "Jobs done.", [("jobs_total", (), 0.0)])})


def test_counter_increments_add_up():
    registry = Registry()
    jobs = registry.counter("jobs", "Jobs done.")
    jobs.inc()
    jobs.inc(2.5)
    jobs.inc(0)
    expect(registry, {"jobs": ("counter", "Jobs done.", [("jobs_total", (), 3.5)])})


def test_a_counter_is_named_total_in_help_type_and_samples():
    registry = Registry()
    registry.counter("jobs", "Jobs done.").inc()
    text = registry.expose()
    for line in ("# HELP jobs_total Jobs done.", "# TYPE jobs_total counter"):
        assert line in text.splitlines(), (f"expose() lacks the line {line!r}: a counter is "
                                           f"named NAME_total in HELP and TYPE too\n{text}")


def test_a_name_ending_in_total_is_not_doubled():
    registry = Registry()
    registry.counter("http_requests_total", "Requests.").inc(4)
    expect(registry, {"http_requests": ("counter", "Requests.",
                                        [("http_requests_total", (), 4.0)])})
    assert "_total_total" not in registry.expose()


def test_a_negative_increment_raises_value_error():
    registry = Registry()
    jobs = registry.counter("jobs", "Jobs.")
    with pytest.raises(ValueError):
        jobs.inc(-1)
        pytest.fail("counter.inc(-1) returned normally; a counter only goes up: ValueError")
    expect(registry, {"jobs": ("counter", "Jobs.", [("jobs_total", (), 0.0)])})


def test_a_negative_increment_of_a_labelled_child_raises_value_error():
    registry = Registry()
    requests = registry.counter("requests", "R.", ["method"])
    requests.labels(method="GET").inc(2)
    with pytest.raises(ValueError):
        requests.labels(method="GET").inc(-5)
        pytest.fail("counter.labels(method='GET').inc(-5) returned normally; a counter only "
                    "goes up, labelled or not: ValueError")
    expect(registry, {"requests": ("counter", "R.",
                                   [("requests_total", (("method", "GET"),), 2.0)])})


def test_a_gauge_goes_up_and_down():
    registry = Registry()
    queue = registry.gauge("queue_depth", "Items waiting.")
    queue.set(10)
    queue.inc()
    queue.inc(4)
    queue.dec()
    queue.dec(2.5)
    expect(registry, {"queue_depth": ("gauge", "Items waiting.", [("queue_depth", (), 11.5)])})


def test_an_unused_gauge_is_exposed_at_zero_and_may_go_negative():
    registry = Registry()
    temperature = registry.gauge("temperature", "Degrees.")
    expect(registry, {"temperature": ("gauge", "Degrees.", [("temperature", (), 0.0)])})
    temperature.set(-3)
    expect(registry, {"temperature": ("gauge", "Degrees.", [("temperature", (), -3.0)])})


def test_many_metrics_in_one_registry():
    registry = Registry()
    registry.counter("a", "A.").inc()
    registry.gauge("b", "B.").set(2)
    registry.counter("c_total", "C.").inc(3)
    expect(registry, {"a": ("counter", "A.", [("a_total", (), 1.0)]),
                      "b": ("gauge", "B.", [("b", (), 2.0)]),
                      "c": ("counter", "C.", [("c_total", (), 3.0)])})


def test_registries_are_independent():
    one, two = Registry(), Registry()
    one.counter("x", "X.")
    two.counter("x", "X.")
    expect(two, {"x": ("counter", "X.", [("x_total", (), 0.0)])})
