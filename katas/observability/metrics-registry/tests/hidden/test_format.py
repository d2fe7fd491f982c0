"""Names, escaping, and refusals: what a strict scraper needs."""

import pytest
from _support import expect
from metrics import Registry

pytestmark = pytest.mark.format


def test_label_values_escape_backslash_quote_and_newline():
    registry = Registry()
    errors = registry.counter("errors", "Errors.", ["message"])
    nasty = 'path C:\\temp "quoted"\nsecond line'
    errors.labels(message=nasty).inc()
    expect(registry, {"errors": ("counter", "Errors.",
                                 [("errors_total", (("message", nasty),), 1.0)])})
    raw = registry.expose()
    assert 'C:\\\\temp \\"quoted\\"\\nsecond' in raw, (
        f"the label value is not escaped as the format says (\\\\, \\\" and \\n):\n{raw}")


def test_help_escapes_backslash_and_newline():
    registry = Registry()
    registry.gauge("g", "Line one\nline two with a \\ backslash")
    expect(registry, {"g": ("gauge", "Line one\nline two with a \\ backslash",
                            [("g", (), 0.0)])})
    assert "# HELP g Line one\\nline two with a \\\\ backslash" in registry.expose()


def test_help_keeps_a_double_quote_as_it_is():
    registry = Registry()
    registry.gauge("g", 'Say "hi".')
    expect(registry, {"g": ("gauge", 'Say "hi".', [("g", (), 0.0)])})


@pytest.mark.parametrize("name", ["1abc", "with-dash", "with space", "", "é", "depth\n"])
def test_invalid_metric_names_raise(name):
    with pytest.raises(ValueError):
        Registry().gauge(name, "H.")
        pytest.fail(f"gauge({name!r}) was accepted; metric names match [a-zA-Z_:][a-zA-Z0-9_:]*")


@pytest.mark.parametrize("name", ["a:b", "_private", "ns:sub_system:x"])
def test_valid_metric_names_are_accepted(name):
    registry = Registry()
    registry.gauge(name, "H.").set(1)
    expect(registry, {name: ("gauge", "H.", [(name, (), 1.0)])})


@pytest.mark.parametrize("label", ["__reserved", "1x", "with-dash", "a:b", "method\n"])
def test_invalid_label_names_raise(label):
    with pytest.raises(ValueError):
        Registry().counter("c", "C.", [label])
        pytest.fail(f"label name {label!r} was accepted; label names match "
                    "[a-zA-Z_][a-zA-Z0-9_]* and do not start with __")


@pytest.mark.parametrize("second", ["counter", "gauge", "histogram"])
def test_a_name_registered_twice_raises(second):
    registry = Registry()
    registry.counter("jobs", "Jobs.")
    with pytest.raises(ValueError):
        if second == "histogram":
            registry.histogram("jobs", "Jobs.", [1.0])
        else:
            getattr(registry, second)("jobs", "Jobs.")
        pytest.fail(f"registering 'jobs' again as a {second} was accepted; expected ValueError")
