"""Across services: inject writes the current span as a W3C traceparent header; extract
reads one back, or gives None for anything invalid (the vectors follow the W3C Trace
Context spec and its test suite), and a span started with the extracted context as its
parent joins the caller's trace."""

import pytest
from _support import EXAMPLE, TRACEPARENT, ids, only, span, tracer
from tracing import SpanContext, extract, inject

pytestmark = pytest.mark.propagation

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"


def header(version="00", trace=TRACE, parent=PARENT, flags="01", rest=""):
    return f"{version}-{trace}-{parent}-{flags}{rest}"


def test_inject_outside_any_span_leaves_the_headers_alone():
    got = inject({"accept": "text/html"})
    assert got == {"accept": "text/html"}, (
        f"inject({{'accept': 'text/html'}}) with no span open returned {got!r}; expected the "
        "headers unchanged (there is no trace to pass on)")


def test_inject_writes_the_current_span():
    t, _, _ = tracer()
    inside, got = span(t, "call", body=lambda s: (s, inject({"accept": "text/html"})))
    expected = f"00-{inside.trace_id:032x}-{inside.span_id:016x}-01"
    assert got == {"accept": "text/html", "traceparent": expected}, (
        f"inject({{'accept': 'text/html'}}) inside the block of {ids(inside)} returned "
        f"{got!r}; expected the other headers kept and traceparent {expected!r}")


def test_inject_replaces_an_old_traceparent_with_the_innermost_span():
    t, _, _ = tracer()
    old = {"traceparent": EXAMPLE}
    child, got = span(t, "outer", body=lambda o: span(t, "inner", body=lambda s: (s, inject(old))))
    value = got.get("traceparent", "")
    match = TRACEPARENT.fullmatch(value)
    assert match and int(match[2], 16) == child.span_id, (
        f"inject({old!r}) inside inner's block ({ids(child)}) wrote traceparent {value!r}; "
        f"expected the innermost span's id {child.span_id:016x} in it")


def test_extract_reads_the_specs_example():
    got = extract({"traceparent": EXAMPLE})
    assert isinstance(got, SpanContext), f"extract({{'traceparent': {EXAMPLE!r}}}) returned " \
                                         f"{got!r}, expected a SpanContext"
    assert (got.trace_id, got.span_id, got.flags) == (int(TRACE, 16), int(PARENT, 16), 1), (
        f"extract of {EXAMPLE!r} returned trace_id {got.trace_id:#x}, span_id "
        f"{got.span_id:#x}, flags {got.flags!r}; expected 0x{TRACE}, 0x{PARENT}, 1")


def test_extract_reads_the_flags():
    got = extract({"traceparent": header(flags="00")})
    assert got is not None and got.flags == 0, (
        f"extract of {header(flags='00')!r} returned {got!r}; expected flags 0 (not sampled)")


def test_extract_without_a_traceparent_gives_none():
    for headers in ({}, {"accept": "text/html"}, {"trace-parent": EXAMPLE}):
        got = extract(headers)
        assert got is None, f"extract({headers!r}) returned {got!r}, expected None"


INVALID = {
    "version ff": header(version="ff"),
    "version of one digit": "0-" + header()[3:],
    "version of three digits": "000-" + header()[3:],
    "version not hex": header(version="0g"),
    "version uppercase": header(version="0A"),
    "trace id uppercase": header(trace=TRACE.upper()),
    "parent id uppercase": header(parent=PARENT.upper()),
    "flags uppercase": header(flags="0A"),
    "trace id all zeros": header(trace="0" * 32),
    "parent id all zeros": header(parent="0" * 16),
    "trace id too short": header(trace=TRACE[:-1]),
    "trace id too long": header(trace=TRACE + "a"),
    "parent id too short": header(parent=PARENT[:-1]),
    "parent id too long": header(parent=PARENT + "a"),
    "flags too short": header(flags="1"),
    "flags too long": header(flags="001"),
    "trace id not hex": header(trace=TRACE[:-1] + "g"),
    "trace id with a dot": header(trace="." + TRACE[1:]),
    "parent id with a dot": header(parent=PARENT[:-1] + "."),
    "flags with a dot": header(flags=".0"),
    "trace id with a sign": header(trace="+" + TRACE[1:]),
    "trace id with an underscore": header(trace=TRACE[:8] + "_" + TRACE[9:]),
    "parent id with a space": header(parent=PARENT[:8] + " " + PARENT[9:]),
    "flags with a sign": header(flags="+1"),
    "underscores for dashes": header().replace("-", "_"),
    "a separator missing": header().replace("-", "", 1) + "0",
    "fields swapped": f"00-{PARENT}-{TRACE}-01",
    "version 00 with more fields": header(rest="-what-the-future-will-be-like"),
    "version 00 with a trailing dot": header(rest="."),
    "later version with a bad separator": header(version="cc", rest=".what-the-future"),
    "later version too short": header(version="cc")[:-1],
    "empty": "",
}


@pytest.mark.parametrize("value", list(INVALID.values()), ids=list(INVALID))
def test_extract_refuses_an_invalid_traceparent(value):
    got = extract({"traceparent": value})
    assert got is None, f"extract({{'traceparent': {value!r}}}) returned {got!r}; expected " \
                        "None (invalid: a new trace starts)"


VALID = {
    "the spec's example": header(),
    "not sampled": header(flags="00"),
    "a later version": header(version="cc"),
    "a later version with more fields": header(version="cc", rest="-what-the-future-will-be-like"),
    "version 01 with an empty field": header(version="01", rest="-"),
    "ids with leading zeros": header(trace="0" * 31 + "1", parent="0" * 15 + "1"),
}


@pytest.mark.parametrize("value", list(VALID.values()), ids=list(VALID))
def test_extract_accepts_a_valid_traceparent(value):
    got = extract({"traceparent": value})
    _, trace, parent, flags = value.split("-")[:4]
    expected = (int(trace, 16), int(parent, 16), int(flags, 16))
    assert got is not None and (got.trace_id, got.span_id, got.flags) == expected, (
        f"extract({{'traceparent': {value!r}}}) returned {got!r}; expected trace_id "
        f"{expected[0]:#x}, span_id {expected[1]:#x}, flags {expected[2]}")


def test_a_span_with_an_extracted_parent_joins_the_callers_trace():
    t, exporter, _ = tracer()
    context = extract({"traceparent": EXAMPLE})
    inside, sent = span(t, "GET /cart", parent=context, body=lambda s: (s, inject({})))
    got = only(exporter, "GET /cart")
    assert (got.trace_id, got.parent_id) == (int(TRACE, 16), int(PARENT, 16)), (
        f"start_span('GET /cart', parent=extract({{'traceparent': {EXAMPLE!r}}})) gave "
        f"{ids(got)}; expected trace 0x{TRACE} and parent 0x{PARENT}")
    assert got.span_id != int(PARENT, 16), f"{ids(got)} reuses the caller's span id"
    expected = f"00-{TRACE}-{inside.span_id:016x}-01"
    assert sent.get("traceparent") == expected, (
        f"inject({{}}) inside that span wrote {sent!r}; expected traceparent {expected!r} "
        "(the same trace, this span's id)")


def test_an_unsampled_callers_flags_are_passed_on():
    t, _, _ = tracer()
    context = extract({"traceparent": header(flags="00")})
    inside, sent = span(t, "job", parent=context, body=lambda s: (s, inject({})))
    expected = f"00-{TRACE}-{inside.span_id:016x}-00"
    assert sent.get("traceparent") == expected, (
        f"in a span whose extracted parent had flags 00, inject({{}}) wrote {sent!r}; "
        f"expected {expected!r}: the flags are the parent's, two hex digits")


def test_small_ids_are_padded_to_their_width():
    t, _, _ = tracer()
    small = header(trace="0" * 31 + "7", parent="0" * 15 + "9")
    sent = span(t, "job", parent=extract({"traceparent": small}), body=lambda s: inject({}))
    value = sent.get("traceparent", "")
    assert value.startswith("00-" + "0" * 31 + "7-") and TRACEPARENT.fullmatch(value), (
        f"in a span of the trace 0x7 (extracted from {small!r}), inject({{}}) wrote "
        f"{value!r}; expected 00-{'0' * 31}7-<16 hex digits>-01")


def test_the_extracted_parent_wins_over_the_current_span():
    t, exporter, _ = tracer()
    span(t, "local", body=lambda s: span(t, "remote child",
                                        parent=extract({"traceparent": EXAMPLE})))
    got = only(exporter, "remote child")
    assert (got.trace_id, got.parent_id) == (int(TRACE, 16), int(PARENT, 16)), (
        f"start_span('remote child', parent=<extracted {EXAMPLE}>) inside another span gave "
        f"{ids(got)}; expected the extracted trace and parent")


def test_children_of_a_remote_parented_span_stay_in_the_trace():
    t, exporter, _ = tracer()
    span(t, "server", parent=extract({"traceparent": EXAMPLE}),
         body=lambda s: span(t, "db query"))
    server, query = only(exporter, "server"), only(exporter, "db query")
    assert query.trace_id == int(TRACE, 16) and query.parent_id == server.span_id, (
        f"'db query' started inside 'server' ({ids(server)}): got {ids(query)}")


def test_round_trip_through_the_header():
    t, _, _ = tracer()
    inside, context = span(t, "client", body=lambda s: (s, extract(inject({}))))
    assert context is not None and (context.trace_id, context.span_id) == (
        inside.trace_id, inside.span_id), (
        f"extract(inject({{}})) inside {ids(inside)} returned {context!r}; expected that "
        "span's trace and span ids")
