"""Tracing: spans that nest by themselves, and a trace that crosses services in a header.

Fill in every function and method marked TODO. The docstrings are the contract. The tests
drive the tracer with a fake clock, from several threads and from asyncio tasks at once.

Ids are ints: a trace id has 128 bits, a span id 64, and neither is ever 0. In the
`traceparent` header they are written as 32 and 16 lowercase hex digits
(`f"{trace_id:032x}"`).
"""

from __future__ import annotations

import contextvars  # noqa: F401 -- for the ContextVar of the current span
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SpanContext:
    """What another service passed us in its `traceparent` header: the trace we join and
    the span (of the caller) that becomes our span's parent."""

    trace_id: int   # 128 bits, never 0
    span_id: int    # 64 bits, never 0: the caller's span
    flags: int = 1  # trace-flags, 0..255 (bit 0: sampled)


@dataclass
class Span:
    """One timed operation.

    trace_id:  shared by every span of one trace (128 bits, never 0)
    span_id:   this span's own id (64 bits, never 0), unique
    parent_id: the parent span's span_id, None for the root of a trace
    flags:     trace-flags: the parent's (local or extracted); 1 (sampled) for a root
    attributes: a dict, {} when start_span got none
    start_time / end_time: clock() when the span started / ended (end_time None while open)
    status:    "ok" or "error" once ended (free while the span is open)
    exception_type / exception_message: for an "error" span, the name of the exception's
               class (`type(exc).__name__`) and `str(exc)`; None otherwise
    """

    name: str
    trace_id: int
    span_id: int
    parent_id: int | None
    flags: int = 1
    attributes: dict = field(default_factory=dict)
    start_time: float = 0.0
    end_time: float | None = None
    status: str = "unset"
    exception_type: str | None = None
    exception_message: str | None = None


# TODO: the span that is current here (this thread, this asyncio task) lives in a ContextVar.


def current_span() -> Span | None:
    """The innermost span open in this context (thread, asyncio task), or None."""
    # TODO
    raise NotImplementedError


class Tracer:
    """Starts spans; each finished span goes to `exporter.export(span)`."""

    def __init__(self, exporter: Any, clock: Callable[[], float] = time.time) -> None:
        """`exporter` has a method `export(span)`; `clock` returns seconds (the tests pass
        a fake one)."""
        # TODO
        raise NotImplementedError

    @contextmanager
    def start_span(self, name: str, attributes: dict | None = None,
                   parent: SpanContext | None = None) -> Iterator[Span]:
        """`with tracer.start_span("GET /cart") as span:` a new span, current inside the block.

        Its parent is `parent` when given (a context `extract` returned: same trace id,
        parent_id = its span_id, flags copied), else the current span (same trace id,
        parent_id = its span_id), else none: a new trace (new trace id, parent_id None).
        On leaving the block: end_time = clock(), status "ok", or "error" with the
        exception recorded when the block raised (the exception goes on, unchanged); then
        the span goes to `exporter.export(span)`, and the span that was current before
        is current again.
        """
        # TODO
        raise NotImplementedError


def inject(headers: dict) -> dict:
    """Writes the current span as `headers["traceparent"]` and returns `headers`.

    The value is `00-{trace_id:032x}-{span_id:016x}-{flags:02x}` (version 00, lowercase
    hex). Without a current span, headers are returned unchanged.
    """
    # TODO
    raise NotImplementedError


def extract(headers: dict) -> SpanContext | None:
    """The SpanContext in `headers["traceparent"]`, or None when it is missing or invalid.

    Valid (W3C Trace Context): `version-traceid-parentid-flags`, each lowercase hex of
    exactly 2, 32, 16 and 2 digits, separated by single dashes; the trace id and the
    parent id are not all zeros; version `ff` is invalid. Version 00 has exactly these
    four fields (55 characters). A later version (not 00, not ff) may carry more fields
    after them: the first four are read as for 00, and what follows must start with a
    dash ("...-01-anything" is valid, "...-01x" is not).
    """
    # TODO
    raise NotImplementedError
