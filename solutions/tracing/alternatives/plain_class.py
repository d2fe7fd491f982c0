"""Tracing with Span as a plain class with __slots__ (no dataclass), the current span in a
ContextVar reset by its token, ids from `random.getrandbits`, and a traceparent parser
that checks each character's class before converting.

Only the fields count: a Span may be any class with these attributes.
"""

from __future__ import annotations

import contextvars
import random
import string
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_LOWER_HEX = set(string.digits + "abcdef")


class SpanContext:
    """What another service passed us in its `traceparent` header."""

    __slots__ = ("trace_id", "span_id", "flags")

    def __init__(self, trace_id: int, span_id: int, flags: int = 1) -> None:
        self.trace_id, self.span_id, self.flags = trace_id, span_id, flags

    def __repr__(self) -> str:
        return f"SpanContext({self.trace_id:032x}, {self.span_id:016x}, {self.flags:02x})"


class Span:
    """One timed operation."""

    __slots__ = ("name", "trace_id", "span_id", "parent_id", "flags", "attributes",
                 "start_time", "end_time", "status", "exception_type", "exception_message")

    def __init__(self, name: str, trace_id: int, span_id: int, parent_id: int | None,
                 flags: int = 1, attributes: dict | None = None, start_time: float = 0.0,
                 end_time: float | None = None, status: str = "unset",
                 exception_type: str | None = None,
                 exception_message: str | None = None) -> None:
        self.name, self.trace_id, self.span_id = name, trace_id, span_id
        self.parent_id, self.flags = parent_id, flags
        self.attributes = {} if attributes is None else attributes
        self.start_time, self.end_time, self.status = start_time, end_time, status
        self.exception_type, self.exception_message = exception_type, exception_message


_active: contextvars.ContextVar[Span | None] = contextvars.ContextVar("active", default=None)


def _nonzero_bits(bits: int) -> int:
    # getrandbits may return 0 once in 2**bits draws; 0 is "invalid" in Trace Context
    return random.getrandbits(bits) or 1


def current_span() -> Span | None:
    return _active.get()


class Tracer:
    def __init__(self, exporter: Any, clock: Callable[[], float] = time.time) -> None:
        self.exporter = exporter
        self.clock = clock

    @contextmanager
    def start_span(self, name: str, attributes: dict | None = None,
                   parent: SpanContext | None = None) -> Iterator[Span]:
        source = parent or _active.get()
        span = Span(name,
                    source.trace_id if source else _nonzero_bits(128),
                    _nonzero_bits(64),
                    source.span_id if source else None,
                    source.flags if source else 1,
                    dict(attributes or {}),
                    self.clock())
        token = _active.set(span)
        failure: BaseException | None = None
        try:
            yield span
        except BaseException as exc:
            failure = exc
            raise
        finally:
            _active.reset(token)
            span.end_time = self.clock()
            if failure is None:
                span.status = "ok"
            else:
                span.status = "error"
                span.exception_type = type(failure).__name__
                span.exception_message = str(failure)
            self.exporter.export(span)


def inject(headers: dict) -> dict:
    span = _active.get()
    if span:
        # to_bytes keeps the leading zeros: 16, 8 and 1 bytes are 32, 16 and 2 hex digits
        fields = (span.trace_id.to_bytes(16, "big"), span.span_id.to_bytes(8, "big"),
                  span.flags.to_bytes(1, "big"))
        headers["traceparent"] = "-".join(["00", *(field.hex() for field in fields)])
    return headers


def extract(headers: dict) -> SpanContext | None:
    value = headers.get("traceparent")
    if not isinstance(value, str) or len(value) < 55:
        return None
    head, rest = value[:55], value[55:]
    if any(head[i] != "-" for i in (2, 35, 52)):
        return None
    if any(c not in _LOWER_HEX for i, c in enumerate(head) if i not in (2, 35, 52)):
        return None
    version = head[:2]
    if version == "ff":
        return None
    if rest and (version == "00" or not rest.startswith("-")):
        return None
    trace_id, span_id = int(head[3:35], 16), int(head[36:52], 16)
    if trace_id == 0 or span_id == 0:
        return None
    return SpanContext(trace_id, span_id, int(head[53:55], 16))
