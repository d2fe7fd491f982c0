"""Examples of what the hidden tests check. Run them with `pytest`."""

import re

import pytest
from tracing import SpanContext, Tracer, current_span, extract, inject

from harness.testing import FakeClock

EXAMPLE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"  # the W3C spec's example


class Exporter:
    def __init__(self):
        self.spans = []

    def export(self, span):
        self.spans.append(span)


def span(tracer, name, body=lambda s: s, **kwargs):
    """`with tracer.start_span(name, **kwargs) as s: return body(s)`. Under `kata check`
    your tracer lives in a process of its own and its context manager cannot come over
    here, so the `with` runs there (harness.testing.within) and the body here; under plain
    pytest it all runs here."""
    if getattr(tracer, "__kata_mirror__", False):
        from harness.testing import within

        args = (kwargs.get("attributes"), kwargs.get("parent"))
        return within(tracer, "start_span", name, *args, body=body)
    with tracer.start_span(name, **kwargs) as s:
        return body(s)


@pytest.mark.spans
def test_a_span_is_timed_and_exported_when_it_ends():
    exporter, clock = Exporter(), FakeClock(100.0)
    tracer = Tracer(exporter, clock=clock)

    def body(s):
        assert exporter.spans == []  # not yet: the span is still open
        clock.advance(2.5)

    span(tracer, "GET /cart", body, attributes={"user": "ana"})
    [got] = exporter.spans
    assert (got.name, got.status, got.parent_id) == ("GET /cart", "ok", None)
    assert (got.start_time, got.end_time) == (100.0, 102.5)
    assert got.attributes == {"user": "ana"}


@pytest.mark.spans
def test_an_exception_is_recorded_and_goes_on():
    exporter = Exporter()
    tracer = Tracer(exporter, clock=FakeClock())

    def body(s):
        raise ValueError("card declined")

    with pytest.raises(ValueError):
        span(tracer, "pay", body)
    [got] = exporter.spans
    assert (got.status, got.exception_type, got.exception_message) == (
        "error", "ValueError", "card declined")


@pytest.mark.nesting
def test_a_span_inside_another_is_its_child():
    exporter = Exporter()
    tracer = Tracer(exporter, clock=FakeClock())
    span(tracer, "parent", lambda p: (span(tracer, "first"), span(tracer, "second")))
    first, second, parent = exporter.spans  # exported as they end
    assert first.trace_id == second.trace_id == parent.trace_id
    assert first.parent_id == second.parent_id == parent.span_id
    assert current_span() is None


@pytest.mark.propagation
def test_inject_and_extract_a_traceparent():
    tracer = Tracer(Exporter(), clock=FakeClock())
    s, headers = span(tracer, "call", lambda s: (s, inject({})))
    assert headers == {"traceparent": f"00-{s.trace_id:032x}-{s.span_id:016x}-01"}
    assert re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-01", headers["traceparent"])

    context = extract({"traceparent": EXAMPLE})
    assert isinstance(context, SpanContext)
    assert (context.trace_id, context.span_id, context.flags) == (
        0x4bf92f3577b34da6a3ce929d0e0e4736, 0x00f067aa0ba902b7, 1)
    assert extract({"traceparent": EXAMPLE.upper()}) is None
    assert extract({"traceparent": "ff" + EXAMPLE[2:]}) is None


@pytest.mark.propagation
def test_an_extracted_context_is_the_parent():
    exporter = Exporter()
    tracer = Tracer(exporter, clock=FakeClock())
    span(tracer, "GET /cart", parent=extract({"traceparent": EXAMPLE}))
    [got] = exporter.spans
    assert (got.trace_id, got.parent_id) == (0x4bf92f3577b34da6a3ce929d0e0e4736,
                                             0x00f067aa0ba902b7)


@pytest.mark.isolation
def test_threads_do_not_share_spans():
    import threading

    exporter = Exporter()
    tracer = Tracer(exporter, clock=FakeClock())
    both_inside = threading.Barrier(2, timeout=10)
    seen = {}

    def request(n):
        def body(root):
            both_inside.wait()
            seen[n] = (root, span(tracer, f"child{n}"))
        span(tracer, f"root{n}", body)

    threads = [threading.Thread(target=request, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    for root, child in seen.values():
        assert root.parent_id is None
        assert child.parent_id == root.span_id
