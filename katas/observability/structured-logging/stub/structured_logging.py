"""Structured logging: one JSON object per line, with context bound per request.

Use it with the standard `logging` module:

    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logging.getLogger("app").addHandler(handler)

    with bind(request_id="r-42"):
        logging.getLogger("app").info("paid", extra={"amount": 12})
    # {"ts": "2024-05-01T12:00:00.123Z", "level": "INFO", "logger": "app",
    #  "message": "paid", "request_id": "r-42", "amount": 12}
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

REDACTED = "[REDACTED]"
SECRET_KEYS = frozenset({"password", "token", "secret", "authorization"})


@contextlib.contextmanager
def bind(**fields: Any) -> Iterator[None]:
    """Adds `fields` to every record formatted inside the `with` block.

    - Backed by `contextvars`: what one thread or asyncio task binds never shows in the
      records of another (a task started inside a block sees the fields bound when it
      was created).
    - Blocks nest: an inner block adds to the outer one's fields, and for a key both bind,
      the inner value shows until the inner block ends; then the outer one is back.
    - Leaving the block, also by an exception (which goes on out of it), removes what it
      added.
    """
    # TODO: keep the bound fields in a contextvars.ContextVar; set it on entry, reset it on exit
    raise NotImplementedError
    yield  # (a generator, for contextlib.contextmanager)


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object on one line.

    The object has:
    - `ts`: when the record was created (`record.created`), RFC 3339 in UTC, e.g.
      "2024-05-01T12:00:00.123Z" or "2024-05-01T12:00:00.123+00:00";
    - `level` (the level's name, "INFO"), `logger` (the logger's name), `message` (the
      message with its arguments filled in: `record.getMessage()`);
    - every field passed with `extra=` and every field bound with `bind`; when both give
      the same key, the call's `extra` value wins;
    - for a record with an exception (`logger.exception(...)`, `exc_info=True`):
      `exc_type` (the exception class's name, "ValueError"), `exc_message` (`str()` of
      the exception) and `traceback` (the formatted traceback, one string).

    Rules:
    - the result is one line: no newline in it, whatever the message holds;
    - a value json cannot serialise (at any depth) is written as its `repr()`; formatting
      never raises, whatever the record carries;
    - a key named like a secret (`password`, `token`, `secret`, `authorization`, in any
      case: "Password", "TOKEN"), at any depth (inside dicts and lists of dicts), has its
      value replaced by "[REDACTED]".
    """

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        # TODO: build a dict of the fields above, make it JSON-safe, redact, json.dumps it
        raise NotImplementedError
