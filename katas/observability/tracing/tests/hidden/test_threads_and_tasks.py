"""Threads and asyncio tasks: requests served at once never see each other's spans. Each
thread of the tests is served by a thread of its own in your process; the asyncio tasks
run there too (harness.testing.learner_function("spans_in_tasks"))."""

import threading

import pytest
from _support import ids, span, tracer
from tracing import current_span

from harness.testing import learner_function

pytestmark = pytest.mark.isolation

THREADS = 4
LONG = 20.0  # seconds a thread of the tests may wait for the others (they come sooner)


def test_threads_serving_requests_at_once_keep_their_own_spans():
    t, exporter, _ = tracer()
    everyone_inside = threading.Barrier(THREADS, timeout=LONG)
    seen, errors = {}, []

    def request(n):
        def body(root):
            everyone_inside.wait()  # every thread's root span is open now
            child = span(t, f"child{n}")
            current = current_span()
            everyone_inside.wait()
            return root, child, current

        try:
            seen[n] = span(t, f"root{n}", body=body)
        except BaseException as exc:  # reported below, with the thread's number
            errors.append(f"thread {n}: {type(exc).__name__}: {exc}")
            everyone_inside.abort()

    threads = [threading.Thread(target=request, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(LONG * 2)
    assert not errors, "; ".join(errors)
    stuck = [n for n, thread in enumerate(threads) if thread.is_alive()]
    assert not stuck, f"threads {stuck} did not finish their two spans in {LONG * 2:.0f} s"
    for n in range(THREADS):
        root, child, current = seen[n]
        assert root.parent_id is None, (
            f"thread {n} started root{n} outside any span of its own while the other threads "
            f"were inside theirs: got {ids(root)}; expected a root (parent None)")
        assert child.parent_id == root.span_id and child.trace_id == root.trace_id, (
            f"thread {n} started child{n} inside root{n} ({ids(root)}) while the other "
            f"threads were inside their roots: got {ids(child)}; expected a child of root{n}")
        assert current is not None and current.span_id == root.span_id, (
            f"in thread {n}, after child{n} ended, current_span() returned "
            f"{'None' if current is None else ids(current)}; expected root{n} {ids(root)}")
    assert len({seen[n][0].trace_id for n in range(THREADS)}) == THREADS, (
        f"{THREADS} threads each started a root span: expected {THREADS} different trace ids")
    assert len(exporter.spans) == 2 * THREADS, f"exported: {exporter.names()}"


def test_asyncio_tasks_keep_their_own_spans():
    t, exporter, _ = tracer()
    names = ["a", "b", "c"]
    pairs = learner_function("spans_in_tasks")(t, names)
    for name, (outer, inner) in zip(names, pairs, strict=True):
        assert outer.parent_id is None, (
            f"asyncio task {name!r} started span {name!r} while the other tasks were inside "
            f"theirs: got {ids(outer)}; expected a root (parent None)")
        assert inner.parent_id == outer.span_id and inner.trace_id == outer.trace_id, (
            f"asyncio task {name!r} started {inner.name!r} inside its span {ids(outer)} "
            f"while the other tasks were inside theirs: got {ids(inner)}; expected a child "
            f"of {name!r}")
    assert len({outer.trace_id for outer, _ in pairs}) == len(names), (
        "three tasks each started a root span: expected three different trace ids")
    assert len(exporter.spans) == 2 * len(names), f"exported: {exporter.names()}"


def test_asyncio_tasks_started_inside_a_span_are_its_children():
    t, exporter, _ = tracer()
    names = ["a", "b", "c"]
    root, pairs = span(t, "request", body=lambda r: (r, learner_function("spans_in_tasks")(
        t, names)))
    for name, (outer, inner) in zip(names, pairs, strict=True):
        assert outer.parent_id == root.span_id and outer.trace_id == root.trace_id, (
            f"asyncio task {name!r}, created inside the block of {ids(root)}, started "
            f"{ids(outer)}; expected a child of 'request' (a task starts in a copy of its "
            "creator's context)")
        assert inner.parent_id == outer.span_id, (
            f"in task {name!r}: {ids(inner)} started inside {ids(outer)}")
    got = current_span()
    assert got is None, f"after the request's block, current_span() returned {ids(got)}"
