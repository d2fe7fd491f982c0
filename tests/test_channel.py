"""The result channel: the parent keeps only messages that follow the schema, as valid UTF-8,
with bounded memory, and never waits on the pipe for good."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from harness import channel

TEST = {"event": "test", "id": "hidden/test_a.py::test_a", "status": "pass", "duration": 0.1,
        "message": "", "output": ""}


def _read(*chunks: bytes, hold_open: bool = False) -> channel.ChannelReader:
    read_fd, write_fd = os.pipe()
    reader = channel.ChannelReader(read_fd)
    reader.start()

    def write() -> None:
        for chunk in chunks:
            os.write(write_fd, chunk)
        if not hold_open:
            os.close(write_fd)

    writer = threading.Thread(target=write)
    writer.start()
    writer.join()
    reader.finish(1.0 if hold_open else 10.0)
    if hold_open:
        os.close(write_fd)
    return reader


def _line(event: dict) -> bytes:
    return json.dumps(event).encode() + b"\n"


@pytest.mark.parametrize("event", [
    {"event": "collected", "tests": 7},
    {"event": "collected", "tests": [{"id": 1, "function": "f", "name": "n", "markers": [],
                                      "visible": False}]},
    {"event": "test", **{k: v for k, v in TEST.items() if k != "event"}, "status": "passed"},
    {"event": "test", **{k: v for k, v in TEST.items() if k != "event"}, "duration": "1"},
    {"event": "test", **{k: v for k, v in TEST.items() if k != "event"}, "message": ["x"]},
    {"event": "done", "exitstatus": "0"},
    {"event": "verdict", "score": 10},
    {"event": "coverage", "files": {"a.py": {"summary": {}, "missing_lines": ["1"],
                                             "missing_branches": []}}},
    ["event", "test"],
])
def test_a_message_off_the_schema_is_kept_out_and_named(event):
    reader = _read(_line(TEST), _line(event), _line({"event": "done", "exitstatus": 0}))
    assert [e["event"] for e in reader.events] == ["test", "done"]
    assert reader.problems and reader.problems[0].startswith("the result channel carried")


def test_text_that_is_not_utf8_is_escaped():
    reader = _read(_line({**TEST, "status": "fail", "message": "caf\udce9", "output": "\udcff"}))
    (event,) = reader.events
    assert event["message"] == "caf\\udce9" and event["output"] == "\\udcff"
    json.dumps(event, ensure_ascii=False).encode("utf-8")
    assert reader.problems == []


def test_a_line_that_never_ends_is_not_kept_in_memory():
    endless = b'{"event": "load_error", "message": "' + b"x" * (1 << 20)
    reader = _read(_line(TEST), *[endless] * 6)
    assert [e["event"] for e in reader.events] == ["test"]
    assert any("longer than" in p for p in reader.problems), reader.problems


def test_a_copy_of_the_pipe_left_open_does_not_hold_the_run():
    began = time.monotonic()
    reader = _read(_line(TEST), hold_open=True)
    assert time.monotonic() - began < 5
    assert not reader.is_alive()
    assert [e["event"] for e in reader.events] == ["test"]
