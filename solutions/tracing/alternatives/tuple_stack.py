"""Tracing with the whole stack of open spans in a ContextVar, as a tuple, a class-based
context manager instead of a generator, and a traceparent parser that splits on dashes
and checks each field by hand instead of a regular expression.

The tuple is immutable: entering a span sets a new, longer tuple; leaving sets back the
shorter one it replaced. Every thread and asyncio task so holds its own stack, and no
task can change another's by appending to a shared list.
"""

from __future__ import annotations

import contextvars
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SpanContext:
    """What another service passed us in its `traceparent` header."""

    trace_id: int
    span_id: int
    flags: int = 1


@dataclass
class Span:
    """One timed operation."""

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


_stack: contextvars.ContextVar[tuple[Span, ...]] = contextvars.ContextVar("spans", default=())

_HEX = frozenset("0123456789abcdef")


def _random_id(bits: int) -> int:
    value = 0
    while value == 0:
        value = secrets.randbits(bits)
    return value


def current_span() -> Span | None:
    stack = _stack.get()
    return stack[-1] if stack else None


class _SpanScope:
    """The `with` of one span: pushes it on enter, pops it and exports it on exit."""

    def __init__(self, tracer: Tracer, span: Span) -> None:
        self._tracer = tracer
        self._span = span
        self._before: tuple[Span, ...] = ()

    def __enter__(self) -> Span:
        self._before = _stack.get()
        _stack.set((*self._before, self._span))
        return self._span

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> bool:
        span = self._span
        _stack.set(self._before)
        if exc is None:
            span.status = "ok"
        else:
            span.status = "error"
            span.exception_type = type(exc).__name__
            span.exception_message = str(exc)
        span.end_time = self._tracer.clock()
        self._tracer.exporter.export(span)
        return False  # never swallow the exception


class Tracer:
    """Starts spans; each finished span goes to `exporter.export(span)`."""

    def __init__(self, exporter: Any, clock: Callable[[], float] = time.time) -> None:
        self.exporter = exporter
        self.clock = clock

    def start_span(self, name: str, attributes: dict | None = None,
                   parent: SpanContext | None = None) -> _SpanScope:
        above = parent if parent is not None else current_span()
        if above is None:
            trace_id, parent_id, flags = _random_id(128), None, 1
        else:
            trace_id, parent_id, flags = above.trace_id, above.span_id, above.flags
        span = Span(name, trace_id, _random_id(64), parent_id, flags,
                    dict(attributes) if attributes else {}, self.clock())
        return _SpanScope(self, span)


def inject(headers: dict) -> dict:
    span = current_span()
    if span is not None:
        headers["traceparent"] = "-".join(
            ("00", format(span.trace_id, "032x"), format(span.span_id, "016x"),
             format(span.flags, "02x")))
    return headers


def _hex(text: str, digits: int) -> int | None:
    """The value of exactly `digits` lowercase hex digits, else None."""
    if len(text) != digits or not set(text) <= _HEX:
        return None
    return int(text, 16)


def extract(headers: dict) -> SpanContext | None:
    value = headers.get("traceparent")
    if not isinstance(value, str):
        return None
    parts = value.split("-")
    if len(parts) < 4:
        return None
    version = _hex(parts[0], 2)
    if version is None or version == 0xFF:
        return None
    if version == 0 and len(parts) != 4:
        return None  # 00 has exactly four fields; later versions may add more after a dash
    trace_id, span_id, flags = _hex(parts[1], 32), _hex(parts[2], 16), _hex(parts[3], 2)
    if not trace_id or not span_id or flags is None:
        return None  # malformed, or all zeros
    return SpanContext(trace_id, span_id, flags)
