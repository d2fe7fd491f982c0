"""Spans that nest: a span started inside another's block is its child, and leaving a
block, however it is left, makes the span that was current before current again."""

import pytest
from _support import Boom, ids, only, raising, span, tracer
from tracing import current_span

pytestmark = pytest.mark.nesting


def test_no_span_is_current_outside_any_block():
    got = current_span()
    assert got is None, f"current_span() outside any block returned {got!r}, expected None"


def test_the_span_is_current_inside_its_block_and_not_after():
    t, _, _ = tracer()
    inside, current = span(t, "work", body=lambda s: (s, current_span()))
    assert current is not None and current.span_id == inside.span_id, (
        f"inside the block of {ids(inside)}, current_span() returned "
        f"{'None' if current is None else ids(current)}; expected that span")
    after = current_span()
    assert after is None, f"after the block, current_span() returned {ids(after)}, expected None"


def test_a_span_started_inside_another_is_its_child():
    t, exporter, _ = tracer()
    span(t, "parent", body=lambda p: span(t, "child"))
    parent, child = only(exporter, "parent"), only(exporter, "child")
    assert child.trace_id == parent.trace_id, (
        f"child {ids(child)} started inside parent {ids(parent)}: expected the same trace id")
    assert child.parent_id == parent.span_id, (
        f"child {ids(child)} started inside parent {ids(parent)}: expected parent_id "
        f"{parent.span_id:x}")
    assert child.span_id != parent.span_id, f"child and parent share a span id: {ids(child)}"


def test_a_chain_of_three_keeps_one_trace():
    t, exporter, _ = tracer()
    span(t, "a", body=lambda a: span(t, "b", body=lambda b: span(t, "c")))
    a, b, c = (only(exporter, n) for n in "abc")
    assert a.parent_id is None and b.parent_id == a.span_id and c.parent_id == b.span_id, (
        f"a > b > c nested: got {ids(a)}, {ids(b)}, {ids(c)}")
    assert a.trace_id == b.trace_id == c.trace_id, (
        f"a > b > c nested: got {ids(a)}, {ids(b)}, {ids(c)}; expected one trace id")


def test_children_end_and_are_exported_before_their_parent():
    t, exporter, clock = tracer(start=0.0)

    def step(then=None):
        def body(s):
            clock.advance(1.0)
            if then:
                then()
            clock.advance(1.0)
        return body

    span(t, "root", body=step(lambda: span(t, "child", body=step())))
    assert exporter.names() == ["child", "root"], (
        f"root > child: exporter.export() got {exporter.names()}; expected the child first "
        "(it ends first), each once")
    root, child = exporter.spans[1], exporter.spans[0]
    got = [(root.start_time, root.end_time), (child.start_time, child.end_time)]
    assert got == [(0.0, 4.0), (1.0, 3.0)], (
        f"root from 0 to 4 s, the child from 1 to 3 s: got (start_time, end_time) {got}")


def test_the_next_sibling_gets_the_same_parent():
    t, exporter, _ = tracer()

    def body(root):
        span(t, "a")
        current = current_span()
        span(t, "b")
        return current

    current = span(t, "root", body=body)
    root, a, b = (only(exporter, n) for n in ("root", "a", "b"))
    assert current is not None and current.span_id == root.span_id, (
        f"inside root's block, after the child 'a' ended, current_span() returned "
        f"{'None' if current is None else ids(current)}; expected {ids(root)} again")
    assert a.parent_id == root.span_id and b.parent_id == root.span_id, (
        f"root's block started a, then (after a ended) b: got {ids(a)} and {ids(b)}; "
        f"both are children of {ids(root)}")


def test_after_a_trace_ends_the_next_span_starts_a_new_trace():
    t, exporter, _ = tracer()
    span(t, "first", body=lambda s: span(t, "inner"))
    span(t, "second")
    first, second = only(exporter, "first"), only(exporter, "second")
    assert second.parent_id is None and second.trace_id != first.trace_id, (
        f"{ids(second)} started after {ids(first)} ended: expected a new root (parent None, "
        "another trace id)")


def test_a_child_that_raised_leaves_its_parent_current():
    t, exporter, _ = tracer()

    def body(root):
        with pytest.raises(Boom):
            span(t, "failing", body=raising(Boom("no stock")))
        current = current_span()
        span(t, "next")
        return current

    current = span(t, "root", body=body)
    root, failing, after = (only(exporter, n) for n in ("root", "failing", "next"))
    assert current is not None and current.span_id == root.span_id, (
        f"after the child 'failing' raised, current_span() in root's block returned "
        f"{'None' if current is None else ids(current)}; expected {ids(root)}")
    assert after.parent_id == root.span_id, (
        f"a span started after a child raised: {ids(after)}; expected a child of {ids(root)}")
    assert (failing.status, root.status) == ("error", "ok"), (
        f"the child raised and root's block caught it: statuses {failing.status!r} and "
        f"{root.status!r}, expected 'error' and 'ok'")


def test_an_exception_that_leaves_every_block_leaves_no_span_current():
    t, exporter, _ = tracer()
    with pytest.raises(Boom):
        span(t, "outer", body=lambda s: span(t, "inner", body=raising(Boom("down"))))
    got = current_span()
    assert got is None, f"after an exception left both blocks, current_span() returned " \
                        f"{ids(got)}; expected None"
    statuses = {s.name: s.status for s in exporter.spans}
    assert statuses == {"inner": "error", "outer": "error"}, (
        f"Boom left inner's block and then outer's: statuses {statuses}, expected both 'error'")
