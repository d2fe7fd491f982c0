"""What the hidden tests of tracing share: an exporter that keeps what it is given, spans
opened in the learner's process with the body run here, and the traceparent format."""

import re

from tracing import Tracer

from harness.testing import FakeClock, within

TRACEPARENT = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")
EXAMPLE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"  # the W3C spec's example


class Boom(Exception):
    """What the tests' blocks raise."""


class Exporter:
    """Keeps every span export() is given, in order."""

    def __init__(self):
        self.spans = []

    def export(self, span):
        self.spans.append(span)

    def names(self):
        return [span.name for span in self.spans]


def tracer(start=100.0):
    """A Tracer, its exporter and its fake clock (standing at `start`)."""
    exporter, clock = Exporter(), FakeClock(start)
    return Tracer(exporter, clock=clock), exporter, clock


def span(tracer, name, body=None, attributes=None, parent=None):
    """`with tracer.start_span(name, attributes, parent) as s: return body(s)`, the `with`
    run in the learner's process and `body` here; returns body's value (the span when
    body is None)."""
    return within(tracer, "start_span", name, attributes, parent,
                  body=body or (lambda s: s))


def raising(exc):
    """A body that raises `exc`."""
    def body(s):
        raise exc
    return body


def ids(s):
    """A span's ids, as text for a message."""
    parent = "None" if s.parent_id is None else f"{s.parent_id:x}"
    return f"{s.name!r} (trace {s.trace_id:x}, span {s.span_id:x}, parent {parent})"


def only(exporter, name):
    """The one exported span called `name`."""
    found = [s for s in exporter.spans if s.name == name]
    assert len(found) == 1, (f"exporter.export() got {len(found)} spans named {name!r} "
                             f"(all exported: {exporter.names()}); expected exactly one")
    return found[0]
