"""Tracing: spans that nest by themselves, and a trace that crosses services in a header.

Ids are ints: a trace id has 128 bits, a span id 64, and neither is ever 0. In the
`traceparent` header they are written as 32 and 16 lowercase hex digits.
"""

from __future__ import annotations

import contextvars
import re
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SpanContext:
    """What another service passed us in its `traceparent` header: the trace we join and
    the span (of the caller) that becomes our span's parent."""

    trace_id: int
    span_id: int
    flags: int = 1


@dataclass
class Span:
    """One timed operation (the fields are described in the stub)."""

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


# One variable for the whole module: every thread starts with it unset, and every asyncio
# task runs in a copy of the context it was created in, so a span set here is seen by the
# code (and the tasks it creates) below it, never by a sibling thread or task.
_current: contextvars.ContextVar[Span | None] = contextvars.ContextVar("current_span",
                                                                       default=None)

SAMPLED = 0x01


def _new_id(bits: int) -> int:
    """A random id of `bits` bits; 0 means "no id" in Trace Context, so it is drawn again."""
    value = 0
    while not value:
        value = secrets.randbits(bits)
    return value


def current_span() -> Span | None:
    """The innermost span open in this context (thread, asyncio task), or None."""
    return _current.get()


class Tracer:
    """Starts spans; each finished span goes to `exporter.export(span)`."""

    def __init__(self, exporter: Any, clock: Callable[[], float] = time.time) -> None:
        # Wall-clock seconds by default: spans of many processes and hosts are laid on one
        # time line by the tracing backend, which a per-boot monotonic clock cannot give.
        self._exporter = exporter
        self._clock = clock

    @contextmanager
    def start_span(self, name: str, attributes: dict | None = None,
                   parent: SpanContext | None = None) -> Iterator[Span]:
        """`with tracer.start_span(name) as span:` a new span, current inside the block."""
        if parent is None:
            parent = _current.get()
        if parent is None:
            trace_id, parent_id, flags = _new_id(128), None, SAMPLED
        else:
            trace_id, parent_id, flags = parent.trace_id, parent.span_id, parent.flags
        span = Span(name=name, trace_id=trace_id, span_id=_new_id(64), parent_id=parent_id,
                    flags=flags, attributes=dict(attributes or {}),
                    start_time=self._clock())
        # The token remembers what was current before; reset() puts exactly that back,
        # in this context only, however the block is left.
        token = _current.set(span)
        try:
            yield span
        except BaseException as exc:
            span.status = "error"
            span.exception_type = type(exc).__name__
            span.exception_message = str(exc)
            raise
        else:
            span.status = "ok"
        finally:
            _current.reset(token)
            span.end_time = self._clock()
            self._exporter.export(span)  # only now is the span complete


def inject(headers: dict) -> dict:
    """Writes the current span as `headers["traceparent"]` and returns `headers`."""
    span = _current.get()
    if span is not None:
        headers["traceparent"] = f"00-{span.trace_id:032x}-{span.span_id:016x}-{span.flags:02x}"
    return headers


# version - trace-id - parent-id - flags, then (a later version only) "-" and more.
_TRACEPARENT = re.compile(
    r"(?P<version>[0-9a-f]{2})-(?P<trace>[0-9a-f]{32})-(?P<span>[0-9a-f]{16})"
    r"-(?P<flags>[0-9a-f]{2})(?P<rest>-.*)?", re.DOTALL)


def extract(headers: dict) -> SpanContext | None:
    """The SpanContext in `headers["traceparent"]`, or None when it is missing or invalid."""
    value = headers.get("traceparent")
    if not isinstance(value, str):
        return None
    match = _TRACEPARENT.fullmatch(value)
    if match is None:
        return None
    version = match["version"]
    if version == "ff" or (version == "00" and match["rest"] is not None):
        return None  # ff is forbidden; version 00 has exactly four fields
    trace_id, span_id = int(match["trace"], 16), int(match["span"], 16)
    if trace_id == 0 or span_id == 0:
        return None
    return SpanContext(trace_id=trace_id, span_id=span_id, flags=int(match["flags"], 16))
