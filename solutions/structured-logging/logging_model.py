"""The driver of structured-logging's `[model]` for `kata compare`: the implementation's
`JsonFormatter` and `bind` (imported from the current folder) driven by plain operations,
each returning plain data, and only what the contract fixes of each line.

The kata's API cannot be called as a model's operations directly: a record is made by a
logger, a line is text whose key order, extra keys, `ts` precision and traceback layout are
free, and a `bind` block spans the calls made inside it. `Logs` holds a logger whose one
handler formats with the implementation's formatter; `enter` opens a `with bind(...)` block
that stays open across calls (a real with statement, suspended in a generator) and `leave`
/ `leave_raising` end the innermost one; `log_in_thread` and `log_beside_task` log from a
new thread, and from an asyncio task while another task holds a block of its own.

Grading material, beside the reference: `kata compare` copies it next to the implementation
in the implementation's own process; the printed counterexample is calls on `Logs`.

A line comes back as a dict, its keys sorted (at every depth): `ts` as "UTC, the record's
time" when it is RFC 3339 in UTC within a second of the record's creation (else what is wrong
with it), `level`, `logger`, `message`, the fields of the calls' `extra` and of `bind`
(keys of the implementation's own are left out), and, for a record with an exception,
`exc_type`, `exc_message` and `traceback` as "a traceback of it" when it is text holding
"Traceback" and the exception's last line. A line that is not one line of JSON holding an
object, or a format() that raised, comes back as a sentence saying so.

Values a TOML spec cannot hold are named in angle brackets and made here: "<Widget(7)>" is
an object whose repr is Widget(7) and str "a widget"; "<{(1, 2): 'x'}>" a dict with a tuple
key, whose field only has to be written (how its key becomes text is free).
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import json
import logging
import os
import re
import threading
import time
import traceback
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from structured_logging import JsonFormatter, bind

RFC3339 = re.compile(r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?P<fraction>\.\d+)?"
                     r"(?P<zone>[Zz]|[+-]\d\d:\d\d)")
CORE = ("ts", "level", "logger", "message")
EXCEPTION = ("exc_type", "exc_message", "traceback")
PAIRS = "<{(1, 2): 'x'}>"


class Widget:
    """A value json cannot serialise, whose repr and str differ."""

    def __repr__(self) -> str:
        return "Widget(7)"

    def __str__(self) -> str:
        return "a widget"


def _made(value: Any) -> Any:
    """The value with its angle-bracket names made into the objects they stand for."""
    if value == "<Widget(7)>":
        return Widget()
    if value == PAIRS:
        return {(1, 2): "x"}
    if isinstance(value, dict):
        return {key: _made(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_made(item) for item in value]
    return value


def _sorted(value: Any) -> Any:
    """The value with every dict's keys in order: the order of keys is free."""
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


class _Keep(logging.Handler):
    """Formats each record with the implementation's formatter and keeps the outcome."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.kept: list[tuple[logging.LogRecord, str | None, str | None]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text, error = self.format(record), None
        except Exception as exc:  # the formatter failed: the line says so
            text, error = None, type(exc).__name__
        self.kept.append((record, text, error))


def _held(fields: dict) -> Iterator[None]:
    """`with bind(**fields):` held open at its yield until the generator goes on."""
    with bind(**fields):
        yield


class Logs:
    """A logger named `logger` formatting with the implementation's JsonFormatter, in a
    process whose local time zone is `zone` (a POSIX TZ: "KATA-3" is three hours east of
    UTC, so local time written as UTC shows)."""

    def __init__(self, zone: str = "UTC0", logger: str = "app") -> None:
        os.environ["TZ"] = zone
        time.tzset()
        self.handler = _Keep()
        self.logger = logging.Logger(logger)  # not registered: no global state is touched
        self.logger.setLevel(logging.DEBUG)
        self.logger.propagate = False
        self.logger.addHandler(self.handler)
        self.names: set[str] = set()  # every field name given: the others are free keys
        self.pairs: set[str] = set()  # the fields given a dict with a tuple key
        self.blocks: list[Iterator[None]] = []  # the open bind blocks, innermost last

    # -- the main thread ----------------------------------------------------------------

    def log(self, level: str, message: str | list, extra: dict | None = None,
            error: list | None = None) -> Any:
        """`logger.log(level, ...)` here; `message` is the text, or [format, arguments];
        `error` is [builtin exception, text] to log inside its `except` with exc_info."""
        return self._line(lambda: self._log(level, message, extra, error), error)

    def enter(self, fields: dict) -> str:
        """Opens `with bind(**fields):` and stays inside it."""
        self._given(fields)
        block = _held(_made(fields))
        next(block)
        self.blocks.append(block)
        return "entered"

    def leave(self) -> str:
        """Leaves the innermost open block as its end is reached."""
        if not self.blocks:
            return "no block open"
        with contextlib.suppress(StopIteration):  # the generator ends with its block
            next(self.blocks.pop())
        return "left"

    def leave_raising(self) -> str:
        """Leaves the innermost open block by a ValueError raised inside it: the exception
        must go on out of the block."""
        if not self.blocks:
            return "no block open"
        try:
            self.blocks.pop().throw(ValueError("raised inside the block"))
        except ValueError:
            return "the exception went on"
        except StopIteration:  # the block ended and the generator after it
            pass
        return "the exception was swallowed"

    # -- other threads and tasks --------------------------------------------------------

    def log_in_thread(self, message: str, extra: dict | None = None) -> Any:
        """A record logged from a new thread (which starts with a context of its own)."""
        def run() -> None:
            thread = threading.Thread(target=self._log, args=("INFO", message, extra, None))
            thread.start()
            thread.join()
        return self._line(run, None)

    def log_beside_task(self, fields: dict, message: str, extra: dict | None = None) -> Any:
        """Two asyncio tasks of one event loop, created here: the first enters
        `with bind(**fields):` and waits inside it while the second logs `message`; then
        the first leaves. The second's record."""
        self._given(fields)

        async def holder(entered: asyncio.Event, done: asyncio.Event) -> None:
            with bind(**_made(fields)):
                entered.set()
                await done.wait()

        async def logger(entered: asyncio.Event, done: asyncio.Event) -> None:
            await entered.wait()
            try:
                self._log("INFO", message, extra, None)
            finally:
                done.set()

        async def both() -> None:
            entered, done = asyncio.Event(), asyncio.Event()
            await asyncio.gather(holder(entered, done), logger(entered, done))

        return self._line(lambda: asyncio.run(both()), None)

    # -- what is compared ---------------------------------------------------------------

    def _log(self, level: str, message: str | list, extra: dict | None,
             error: list | None) -> None:
        text, args = (message, []) if isinstance(message, str) else message
        extra = extra or {}
        self._given(extra)
        number = logging.getLevelName(level)
        if error is None:
            self.logger.log(number, text, *args, extra=_made(extra))
            return
        try:
            raise getattr(builtins, error[0])(error[1])
        except Exception:
            self.logger.log(number, text, *args, extra=_made(extra), exc_info=True)

    def _given(self, fields: dict) -> None:
        self.names.update(fields)
        self.pairs.update(key for key, value in fields.items() if value == PAIRS)

    def _line(self, run: Any, error: list | None) -> Any:
        """Runs the call that logs one record; what the contract fixes of its line."""
        before = len(self.handler.kept)
        run()
        made = self.handler.kept[before:]
        if len(made) != 1:
            return f"{len(made)} records"
        record, text, failed = made[0]
        if failed is not None:
            return f"format() raised {failed}"
        if not isinstance(text, str):
            return f"format() returned {type(text).__name__}, not text"
        if "\n" in text or "\r" in text:
            return f"not one line: {len(text.splitlines())} lines"
        try:
            value = json.loads(text)
        except ValueError:
            return "not JSON"
        if not isinstance(value, dict):
            return f"JSON, but a {type(value).__name__}, not an object"
        shown = {key: value[key] for key in value if key in self.names or key in CORE
                 or (error is not None and key in EXCEPTION)}
        if "ts" in shown:
            shown["ts"] = _ts(shown["ts"], record.created)
        if "traceback" in shown:
            shown["traceback"] = _traceback(shown["traceback"], record)
        for key in self.pairs & shown.keys():
            shown[key] = "<written>"
        return _sorted(shown)

    def __del__(self) -> None:
        """Blocks a sequence left open are left, innermost first."""
        while getattr(self, "blocks", None):
            with contextlib.suppress(Exception):
                self.blocks.pop().close()


def _ts(ts: Any, created: float) -> str:
    """"UTC, the record's time" for RFC 3339 in UTC within a second of `created`; else
    what is wrong, in words that do not change from run to run (no clock reading)."""
    if not isinstance(ts, str):
        return f"ts is a {type(ts).__name__}, not text"
    found = RFC3339.fullmatch(ts)
    if found is None:
        return f"ts is not RFC 3339: shaped {re.sub(r'[0-9]', '9', ts)!r}"
    if found["zone"] not in ("Z", "z", "+00:00", "-00:00"):
        return f"ts is not in UTC: its offset is {found['zone']}"
    try:
        moment = datetime(*(int(part) for part in found.groups()[:6]), tzinfo=timezone.utc)
    except ValueError:
        return f"ts is not a date: shaped {re.sub(r'[0-9]', '9', ts)!r}"
    off = moment.timestamp() + float(found["fraction"] or 0) - created
    if abs(off) > 1.0:
        return f"ts is {off:+.0f} s from the record's time"
    return "UTC, the record's time"


def _traceback(text: Any, record: logging.LogRecord) -> str:
    """"a traceback of it" for text holding "Traceback" and the exception's last line."""
    assert record.exc_info is not None and record.exc_info[1] is not None
    last = traceback.format_exception_only(record.exc_info[1])[-1].strip()
    if not isinstance(text, str):
        return f"traceback is a {type(text).__name__}, not text"
    if "Traceback" in text and last in text:
        return "a traceback of it"
    return f"traceback is text without 'Traceback' and {last!r}"
