"""Structured logging as a chain of processors, in the manner of structlog.

A record becomes an event dict that passes through small functions in turn (core fields,
bound context, extras, exception, redaction) and is then rendered. `bind` is a class
keeping the token of the ContextVar it set; the context is a plain dict copied per bind,
never changed after it is set.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar, Token
from datetime import datetime, timezone
from typing import Any

REDACTED = "[REDACTED]"
SECRET_KEYS = frozenset({"password", "token", "secret", "authorization"})

_context: ContextVar[dict] = ContextVar("log_context")
_PLAIN = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class bind:  # noqa: N801 -- used as a function: `with bind(request_id=...)`
    """Adds `fields` to every record logged inside the `with` block."""

    def __init__(self, **fields: Any) -> None:
        self.fields = fields
        self.token: Token | None = None

    def __enter__(self) -> bind:
        self.token = _context.set({**_context.get({}), **self.fields})
        return self

    def __exit__(self, *exc: Any) -> None:
        _context.reset(self.token)


def _context_fields(event: dict, record: logging.LogRecord) -> dict:
    return {**_context.get({}), **event}


def _extras(event: dict, record: logging.LogRecord) -> dict:
    event.update((k, v) for k, v in record.__dict__.items() if k not in _PLAIN)
    return event


def _core(event: dict, record: logging.LogRecord) -> dict:
    when = datetime.fromtimestamp(record.created, timezone.utc)
    event.update(ts=when.isoformat(), level=record.levelname, logger=record.name,
                 message=record.getMessage())
    return event


def _exception(event: dict, record: logging.LogRecord) -> dict:
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        event.update(exc_type=type(error).__name__, exc_message=str(error),
                     traceback=logging.Formatter().formatException(record.exc_info))
    return event


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {(k if isinstance(k, str) else str(k)):
                (REDACTED if isinstance(k, str) and k.casefold() in SECRET_KEYS
                 else _clean(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def _redact(event: dict, record: logging.LogRecord) -> dict:
    return _clean(event)


PROCESSORS = (_context_fields, _extras, _core, _exception, _redact)


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        event: dict = {}
        for processor in PROCESSORS:
            event = processor(event, record)
        return json.dumps(event, separators=(",", ":"))
