"""Structured logging: one JSON object per line, with context bound per request.

The formatter turns a `logging.LogRecord` into a flat JSON object: the four fields every
line has (`ts`, `level`, `logger`, `message`), then the context bound with `bind`, then the
fields of the call's `extra=` (the call is more specific than its surroundings, so its
fields win), then the exception, if any. Values are made JSON-safe by one walk that also
redacts secrets, so no value can make the log call fail.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

REDACTED = "[REDACTED]"
SECRET_KEYS = frozenset({"password", "token", "secret", "authorization"})

# Every attribute a plain record has; what else a record carries came from `extra=`.
# Taken from a real record, so that attributes newer Pythons add (taskName) are known.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

# The bound fields, as an immutable mapping: `bind` never changes one in place, it sets a
# new one and resets the variable on exit. A task copies its context when it is created
# and a new thread starts from an empty one, so whatever one binds never reaches another.
_bound: ContextVar[Mapping[str, Any]] = ContextVar("structured_logging_bound",
                                                   default=MappingProxyType({}))


@contextlib.contextmanager
def bind(**fields: Any) -> Iterator[None]:
    """Adds `fields` to every record logged inside the block (in this thread or task)."""
    token = _bound.set(MappingProxyType({**_bound.get(), **fields}))
    try:
        yield
    finally:  # also when the block raises: the outer context comes back
        _bound.reset(token)


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {}
        entry.update(_bound.get())
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        entry.update({
            "ts": _timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        })
        if record.exc_info and record.exc_info[0] is not None:
            kind, error, _ = record.exc_info
            entry["exc_type"] = kind.__name__
            entry["exc_message"] = str(error)
            entry["traceback"] = self.formatException(record.exc_info)
        # json.dumps escapes every control character, "\n" too: the line stays one line
        return json.dumps(_safe(entry))


def _timestamp(created: float) -> str:
    """RFC 3339 in UTC with milliseconds: 2024-05-01T12:00:00.123Z."""
    moment = datetime.fromtimestamp(created, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _safe(value: Any) -> Any:
    """`value` made of JSON types only, secrets redacted at any depth; anything else is
    its repr (a walk of our own, since json.dumps' `default` cannot fix dict keys)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, Mapping):
        safe = {}
        for key, item in value.items():
            name = key if isinstance(key, str) else repr(key)
            safe[name] = REDACTED if name.lower() in SECRET_KEYS else _safe(item)
        return safe
    if isinstance(value, (list, tuple)):
        return [_safe(item) for item in value]
    return repr(value)
