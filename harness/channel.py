"""The result channel: one JSON object per line from the grader process to the parent.

The grader writes events (`Channel`); the parent reads them (`ChannelReader`) and
keeps only messages that follow the schema below, with every string made valid
UTF-8. Anything else (an unknown event, a field of the wrong type or size, a line
that never ends, more bytes than a run may send) is kept out of the result and
named in `problems`, which the verdict treats as tampering. The reader never
holds more than one line's worth of bytes beyond what it keeps.
"""

from __future__ import annotations

import json
import math
import os
import select
import threading
import time
from typing import Any

from harness.result import valid_text

MAX_BYTES = 32 * 1024 * 1024  # all a run may send
MAX_LINE = 4 * 1024 * 1024  # one event (the collected list of a large suite fits)
MAX_TESTS = 20_000
_ID = 20_000  # characters of a test id or name (parametrized ids can be long)
_TEXT = 64_000  # characters of a message or a printout (the plugin cuts them far shorter)
_STATUSES = frozenset({"pass", "fail", "error", "skip"})


class Channel:
    """Writes one JSON object per line to the file descriptor the parent opened."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._lock = threading.Lock()

    def send(self, event: str, **data: Any) -> None:
        line = json.dumps({"event": event, **data}, default=repr) + "\n"
        payload = line.encode("utf-8", "replace")
        with self._lock:
            while payload:
                written = os.write(self._fd, payload)
                payload = payload[written:]


# -- the schema ------------------------------------------------------------------------------

class Invalid(ValueError):
    """A message that does not follow the schema; says which part."""


def text(value: Any, limit: int = _TEXT) -> str:
    """A string made safe to write anywhere: valid UTF-8 (a lone surrogate, which a
    learner's exception can carry, becomes its escape `\\udce9`), at most `limit` long."""
    if type(value) is not str:
        raise Invalid(f"a {type(value).__name__} where text belongs")
    if len(value) > limit:
        raise Invalid(f"a text of {len(value):,} characters (at most {limit:,})")
    return valid_text(value)


def _number(value: Any) -> float:
    if type(value) not in (int, float) or not math.isfinite(value) or value < 0:
        raise Invalid(f"{value!r} where a duration belongs")
    return float(value)


def _collected(event: dict) -> dict:
    tests = event.get("tests")
    if type(tests) is not list or len(tests) > MAX_TESTS:
        raise Invalid("collected: tests is not a list of at most "
                      f"{MAX_TESTS:,} tests")
    checked = []
    for entry in tests:
        if type(entry) is not dict:
            raise Invalid("collected: a test that is not an object")
        markers = entry.get("markers")
        if type(markers) is not list or len(markers) > 20:
            raise Invalid("collected: markers is not a short list")
        if type(entry.get("visible")) is not bool:
            raise Invalid("collected: visible is not true or false")
        checked.append({"id": text(entry.get("id"), _ID),
                        "function": text(entry.get("function"), _ID),
                        "name": text(entry.get("name"), _ID),
                        "markers": [text(m, 200) for m in markers],
                        "visible": entry["visible"]})
    if len({t["id"] for t in checked}) != len(checked):
        raise Invalid("collected: a test id appears twice")
    return {"tests": checked}


def _test(event: dict) -> dict:
    if event.get("status") not in _STATUSES:
        raise Invalid(f"test: status {str(event.get('status'))[:40]!r}")
    return {"id": text(event.get("id"), _ID), "status": event["status"],
            "duration": _number(event.get("duration")),
            "message": text(event.get("message")), "output": text(event.get("output")),
            "timed_out": event.get("timed_out") is True}


def _done(event: dict) -> dict:
    if type(event.get("exitstatus")) is not int:
        raise Invalid("done: exitstatus is not a number")
    return {"exitstatus": event["exitstatus"]}


def _coverage(event: dict) -> dict:
    files = event.get("files")
    if type(files) is not dict or len(files) > 100:
        raise Invalid("coverage: files is not an object")
    checked = {}
    for name, data in files.items():
        if type(data) is not dict or type(data.get("summary")) is not dict:
            raise Invalid("coverage: a file without its summary")
        summary = {text(k, 100): v if type(v) is str and len(v) < 100 else _number(v)
                   for k, v in data["summary"].items()}  # coverage shows "100" as text too
        lines = data.get("missing_lines")
        branches = data.get("missing_branches")
        if type(lines) is not list or not all(type(n) is int for n in lines):
            raise Invalid("coverage: missing_lines is not a list of line numbers")
        if type(branches) is not list or not all(
                type(b) is list and len(b) == 2 and all(type(n) is int for n in b)
                for b in branches):
            raise Invalid("coverage: missing_branches is not a list of pairs")
        checked[text(name, 500)] = {"summary": summary, "missing_lines": lines,
                                    "missing_branches": branches}
    return {"files": checked}


_SCHEMA = {
    "collected": _collected,
    "collect_error": lambda e: {"id": text(e.get("id"), _ID), "message": text(e.get("message"))},
    "test": _test,
    "done": _done,
    "load_error": lambda e: {"message": text(e.get("message")),
                             "timed_out": e.get("timed_out") is True},
    "integrity": lambda e: {"reason": text(e.get("reason"), 2_000)},
    "coverage": _coverage,
}


def parse(line: bytes | bytearray) -> dict:
    """One event from one line, checked against the schema, or Invalid."""
    try:
        event = json.loads(line)
    except (ValueError, RecursionError):
        raise Invalid("a line that is not JSON") from None
    if type(event) is not dict:
        raise Invalid("a line that is not a JSON object")
    kind = event.get("event")
    check = _SCHEMA.get(kind) if type(kind) is str else None
    if check is None:
        raise Invalid(f"an unknown event {str(kind)[:40]!r}")
    return {"event": kind, **check(event)}


# -- the parent's side -----------------------------------------------------------------------

class ChannelReader(threading.Thread):
    """Reads the grader's events until the pipe closes, or until `stop()`: a process that
    kept a copy of the pipe's write end (a learner's escaped daemon) cannot hold the run."""

    def __init__(self, fd: int) -> None:
        super().__init__(daemon=True, name="kata-channel")
        self.fd = fd
        self.events: list[dict] = []
        self.problems: list[str] = []
        self._stopped = threading.Event()

    def run(self) -> None:
        received = 0
        pending = bytearray()
        try:
            while not self._stopped.is_set():
                if not select.select([self.fd], [], [], 0.1)[0]:
                    continue
                chunk = os.read(self.fd, 1 << 16)
                if not chunk:
                    break
                received += len(chunk)
                if received > MAX_BYTES:
                    self._problem(f"the result channel carried more than {MAX_BYTES:,} bytes")
                    pending.clear()
                    continue  # drain, but keep nothing more
                pending += chunk
                *lines, rest = pending.split(b"\n")
                pending = bytearray(rest)
                for line in lines:
                    self._take(line)
                if len(pending) > MAX_LINE:
                    self._problem(f"a result message longer than {MAX_LINE:,} bytes")
                    pending.clear()
                    received = MAX_BYTES + 1  # the rest of that line is not read into memory
        finally:
            os.close(self.fd)
        if pending.strip() and received <= MAX_BYTES:
            self._take(bytes(pending))

    def _take(self, line: bytes | bytearray) -> None:
        if not line.strip():
            return
        try:
            self.events.append(parse(line))
        except Invalid as exc:
            self._problem(f"the result channel carried {exc}")

    def _problem(self, reason: str) -> None:
        if reason not in self.problems and len(self.problems) < 10:
            self.problems.append(reason)

    def finish(self, seconds: float) -> None:
        """Waits for the pipe to close; past `seconds`, stops reading."""
        deadline = time.monotonic() + seconds
        self.join(max(0.0, deadline - time.monotonic()))
        if self.is_alive():
            self._stopped.set()
            self.join(1.0)
