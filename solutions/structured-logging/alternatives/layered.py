"""Structured logging with the bound context kept as a tuple of layers.

Each `bind` pushes one more layer (a dict of its own fields) onto a tuple held in a
ContextVar; the layers are merged only when a record is formatted. Binding costs O(1),
formatting pays for the depth. Values are serialised by json.dumps(default=repr) after a
walk that redacts secrets and turns keys json cannot take into text.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
import traceback
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

REDACTED = "[REDACTED]"
SECRET_KEYS = frozenset({"password", "token", "secret", "authorization"})

_RESERVED = set(logging.LogRecord("x", logging.INFO, "x", 1, "x", None, None).__dict__)
_RESERVED |= {"message", "asctime"}

_layers: ContextVar[tuple[dict, ...]] = ContextVar("layers", default=())


@contextlib.contextmanager
def bind(**fields: Any) -> Iterator[None]:
    """Adds `fields` to every record logged inside the block."""
    token = _layers.set(_layers.get() + (dict(fields),))
    try:
        yield
    finally:
        _layers.reset(token)


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                key = repr(key)
            secret = isinstance(key, str) and key.lower() in SECRET_KEYS
            out[key] = REDACTED if secret else _scrub(item)
        return out
    if isinstance(value, (list, tuple)):
        return [_scrub(item) for item in value]
    return value


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        merged: dict[str, Any] = {}
        for layer in _layers.get():
            merged.update(layer)
        for key, value in record.__dict__.items():
            if key not in _RESERVED:
                merged[key] = value
        seconds = int(record.created)
        millis = int((record.created - seconds) * 1000)
        merged["ts"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + \
            f".{millis:03d}Z"
        merged["level"] = record.levelname
        merged["logger"] = record.name
        merged["message"] = record.getMessage()
        if record.exc_info:
            kind, error, tb = record.exc_info
            merged["exc_type"] = kind.__name__
            merged["exc_message"] = str(error)
            merged["traceback"] = "".join(traceback.format_exception(kind, error, tb))
        return json.dumps(_scrub(merged), default=repr)
