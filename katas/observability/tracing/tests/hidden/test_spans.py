"""One span: it is timed by the injected clock, carries its attributes and random ids, and
goes to the exporter once it has ended, "ok", or "error" with the exception recorded."""

import pytest
from _support import Boom, ids, only, raising, span, tracer

pytestmark = pytest.mark.spans


def test_a_finished_span_goes_to_the_exporter():
    t, exporter, _ = tracer()
    span(t, "GET /cart")
    assert exporter.names() == ["GET /cart"], (
        f"after one `with tracer.start_span('GET /cart'):` block, exporter.export() got "
        f"{exporter.names()}; expected the one span, once")
    got = exporter.spans[0]
    assert got.status == "ok", f"the span of a block that returned has status {got.status!r}, " \
                               "expected 'ok'"
    assert got.parent_id is None, f"a span started outside any other has parent_id " \
                                  f"{got.parent_id!r}, expected None (it is a root)"


def test_the_span_is_exported_only_when_it_ends():
    t, exporter, _ = tracer()
    seen = span(t, "work", body=lambda s: list(exporter.spans))
    assert seen == [], (f"while the block of start_span('work') still ran, exporter.export() "
                        f"had already got {seen}; a span goes to the exporter when it ends")
    assert exporter.names() == ["work"], f"after the block, exported: {exporter.names()}"


def test_start_and_end_times_come_from_the_clock():
    t, exporter, clock = tracer(start=100.0)

    def body(s):
        clock.advance(2.5)
        return (s.start_time, s.end_time)

    start, end = span(t, "query", body=body)
    assert start == 100.0, f"inside the block span.start_time is {start!r}, expected 100.0 " \
                           "(clock() when the span started)"
    assert end is None, f"inside the block span.end_time is {end!r}, expected None (open)"
    got = exporter.spans[0]
    assert (got.start_time, got.end_time) == (100.0, 102.5), (
        f"the exported span has start_time {got.start_time!r} and end_time {got.end_time!r}; "
        "the block started at clock() == 100.0 and ended 2.5 s later: expected 100.0, 102.5")


def test_attributes_are_kept():
    t, exporter, _ = tracer()
    span(t, "GET /cart", attributes={"http.method": "GET", "http.status_code": 200})
    span(t, "plain")
    got = only(exporter, "GET /cart").attributes
    assert got == {"http.method": "GET", "http.status_code": 200}, (
        f"start_span('GET /cart', {{'http.method': 'GET', 'http.status_code': 200}}) exported "
        f"attributes {got!r}")
    plain = only(exporter, "plain").attributes
    assert plain == {}, f"start_span('plain') without attributes exported {plain!r}, expected {{}}"


def test_the_block_gets_the_span_that_is_exported():
    t, exporter, _ = tracer()
    inside = span(t, "checkout", attributes={"user": "ana"})
    got = exporter.spans[0]
    assert (inside.name, inside.trace_id, inside.span_id, inside.parent_id, inside.attributes) \
        == (got.name, got.trace_id, got.span_id, got.parent_id, got.attributes), (
        f"the block got {ids(inside)} {inside.attributes}, the exporter {ids(got)} "
        f"{got.attributes}: expected the same span")


def test_an_exception_marks_the_span_as_error_and_goes_on():
    t, exporter, clock = tracer(start=5.0)

    def body(s):
        clock.advance(1.0)
        raise Boom("card declined")

    with pytest.raises(Boom) as caught:
        span(t, "pay", body=body)
    assert caught.value.args == ("card declined",), (
        f"the block raised Boom('card declined'); the caller got {caught.value!r}")
    assert exporter.names() == ["pay"], (f"a block that raised: exporter.export() got "
                                         f"{exporter.names()}, expected the span 'pay'")
    got = exporter.spans[0]
    assert got.status == "error", f"the span of a block that raised has status {got.status!r}, " \
                                  "expected 'error'"
    assert (got.exception_type, got.exception_message) == ("Boom", "card declined"), (
        f"the block raised Boom('card declined'); the span recorded exception_type "
        f"{got.exception_type!r}, exception_message {got.exception_message!r}")
    assert got.end_time == 6.0, f"the failed span's end_time is {got.end_time!r}, expected 6.0"


def test_built_in_exceptions_are_recorded_by_their_class_name():
    t, exporter, _ = tracer()
    with pytest.raises(KeyError):
        span(t, "lookup", body=raising(KeyError("sku-1")))
    with pytest.raises(ZeroDivisionError):
        span(t, "divide", body=raising(ZeroDivisionError("by zero")))
    got = [(s.status, s.exception_type, s.exception_message) for s in exporter.spans]
    assert got == [("error", "KeyError", str(KeyError("sku-1"))),
                   ("error", "ZeroDivisionError", "by zero")], (
        f"blocks raising KeyError('sku-1') and ZeroDivisionError('by zero') exported "
        f"(status, exception_type, exception_message) {got}")


def test_an_ok_span_records_no_exception():
    t, exporter, _ = tracer()
    span(t, "fine")
    got = exporter.spans[0]
    assert (got.exception_type, got.exception_message) == (None, None), (
        f"a span whose block returned has exception_type {got.exception_type!r} and "
        f"exception_message {got.exception_message!r}, expected None and None")


def test_ids_are_random_fit_their_widths_and_are_never_zero():
    t, exporter, _ = tracer()
    for n in range(24):
        span(t, f"s{n}")
    for got in exporter.spans:
        assert 0 < got.trace_id < 2**128, f"{ids(got)}: a trace id is 1 .. 2**128 - 1"
        assert 0 < got.span_id < 2**64, f"{ids(got)}: a span id is 1 .. 2**64 - 1"
    traces = [s.trace_id for s in exporter.spans]
    spans = [s.span_id for s in exporter.spans]
    assert len(set(traces)) == 24 and len(set(spans)) == 24, (
        f"24 root spans got {len(set(traces))} different trace ids and {len(set(spans))} "
        "different span ids; expected 24 of each")
    # 24 random draws all below 2**(bits - 8): a chance of 2**-192
    assert max(traces) >= 2**120 and max(spans) >= 2**56, (
        f"the largest of 24 trace ids is {max(traces):#x} and of 24 span ids "
        f"{max(spans):#x}: ids are drawn at random over all 128 and 64 bits "
        "(secrets.randbits), not counted up")
