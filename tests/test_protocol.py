"""The protocol's codec, frames and conversations, imported directly: what test_boundary.py
does not already pin (every plain type's round trip, malformed values and frames, the frame
size limit are there): nesting caps, arguments, the frame's bytes, and one conversation
between two peers."""

from __future__ import annotations

import datetime as dt
import json
import socket
import struct
import threading
import time
import zoneinfo

import pytest

from harness.learner import protocol
from harness.learner.codec import MAX_DEPTH, Codec, Unsupported
from harness.learner.conversations import Peer
from harness.learner.protocol import Deadline, PeerGone, ProtocolError


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def test_a_value_nested_up_to_the_limit_crosses_and_one_deeper_does_not():
    codec = Codec()
    deep = _nested(MAX_DEPTH)
    assert codec.decode(json.loads(json.dumps(codec.encode(deep)))) == deep
    with pytest.raises(Unsupported, match="nested"):
        codec.encode(_nested(MAX_DEPTH + 1))


def test_a_frame_nested_past_the_limit_is_refused_when_decoded():
    data: list = ["l"]
    for _ in range(MAX_DEPTH + 5):
        data = ["l", data]
    with pytest.raises(ProtocolError, match="too deep"):
        Codec().decode(data)


def test_a_json_bomb_of_brackets_is_refused_not_a_crash():
    with pytest.raises(ProtocolError, match="not valid JSON"):
        protocol.parse(b"[" * 1_000_000)


def test_integers_past_a_thousand_bits_cross_tagged_and_come_back_exact():
    codec = Codec()
    for value in (2**999, -(2**1500) - 7):
        encoded = codec.encode(value)
        assert encoded[0] == "i" if abs(value) >= 1 << 1000 else encoded == value
        assert codec.decode(encoded) == value


def test_datetimes_cross_by_value_naive_fixed_offset_or_zoneinfo_with_fold():
    codec = Codec()
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    values = [dt.datetime(2024, 12, 30, 23, 59, 59, 999999),
              dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
              dt.datetime(2024, 1, 1, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5, minutes=-30))),
              dt.datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=berlin)]
    for value in values:
        back = codec.decode(json.loads(json.dumps(codec.encode(value))))
        assert type(back) is dt.datetime and back == value and back.fold == value.fold
        assert back.utcoffset() == value.utcoffset() and back.tzinfo == value.tzinfo
    assert codec.decode(codec.encode({values[0]})) == {values[0]}


class _OddZone(dt.tzinfo):
    def utcoffset(self, when):
        return dt.timedelta(hours=1)


@pytest.mark.parametrize("data", [["T", "2024-01-01"], ["T", "not a date", None, 0],
                                  ["T", "2024-01-01T00:00", "No/Such_Zone", 0],
                                  ["T", "2024-01-01T00:00+01:00", "Europe/Berlin", 0],
                                  ["T", "2024-01-01T00:00", None, 2]])
def test_a_malformed_datetime_is_refused(data):
    with pytest.raises(ProtocolError):
        Codec().decode(data)
    with pytest.raises(Unsupported):
        Codec().encode(dt.datetime(2024, 1, 1, tzinfo=_OddZone()))


def test_arguments_round_trip_and_keyword_names_become_text():
    codec = Codec()
    message = json.loads(json.dumps(codec.encode_args((1, b"x", {2: (3,)}), {"key": {4}})))
    assert codec.decode_args(message) == ([1, b"x", {2: (3,)}], {"key": {4}})
    assert codec.decode_args({}) == ([], {})


@pytest.mark.parametrize("message", [{"a": {"x": 1}}, {"w": [1]}, {"a": [["q", 1]]}],
                         ids=["args not a list", "kwargs not a dict", "an unknown tag"])
def test_malformed_arguments_are_refused(message):
    with pytest.raises(ProtocolError):
        Codec().decode_args(message)


def test_a_frame_is_a_big_endian_length_and_compact_ascii_json():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        protocol.send_frame(ours, {"c": 1, "k": "ok", "v": "é"})
        data = theirs.recv(1024)
    (size,) = struct.unpack(">I", data[:4])
    assert data[4:] == b'{"c":1,"k":"ok","v":"\\u00e9"}' and size == len(data) - 4


def test_a_float_that_json_cannot_hold_is_never_framed_raw():
    ours, theirs = socket.socketpair()
    with ours, theirs, pytest.raises(ValueError):
        protocol.send_frame(ours, {"c": 1, "k": "ok", "v": float("nan")})


def test_handles_are_only_the_ones_this_side_exported():
    codec = Codec()
    thing = object()
    key = codec.export(thing)
    assert codec.export(thing) == key, "one object, one handle"
    assert codec.exported(key) is thing
    for wrong in (key + 1, str(key), None):
        with pytest.raises(ProtocolError, match="no object with handle"):
            codec.exported(wrong)


class _Doubler(Peer):
    """Serves `call` by doubling its one argument; anything else raises."""

    def serve(self, message: dict):
        if message["k"] != "call":
            raise ValueError("only calls")
        return message["a"] * 2


def _close(*peers: Peer) -> None:
    for peer in peers:
        peer.close()  # shuts the connection down; the socket is the test's to close
        peer.sock.close()


def _peers() -> tuple[Peer, Peer]:
    left, right = socket.socketpair()
    grader, learner = Peer(left), _Doubler(right)
    learner.sign = -1
    grader.start()
    learner.start()
    return grader, learner


def test_a_request_gets_its_answer_and_an_exception_crosses_as_an_error():
    grader, learner = _peers()
    try:
        deadline = time.monotonic() + 10
        assert grader.request({"k": "call", "a": 21}, deadline) == {"c": 1, "k": "ok", "v": 42}
        answer = grader.request({"k": "get"}, deadline)
        assert answer["k"] == "err" and answer["e"] == ["?", "ValueError", "only calls"]
    finally:
        _close(grader, learner)


def test_a_request_without_an_answer_ends_at_its_deadline():
    left, right = socket.socketpair()
    grader = Peer(left)  # nobody reads the other end
    try:
        began = time.monotonic()
        with pytest.raises(Deadline):
            grader.request({"k": "call", "a": 1}, time.monotonic() + 0.3)
        assert time.monotonic() - began < 10
    finally:
        _close(grader)
        right.close()


def test_a_peer_that_goes_away_ends_the_wait_of_every_thread():
    left, right = socket.socketpair()
    grader = Peer(left)
    grader.start()
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            grader.request({"k": "call", "a": 1}, time.monotonic() + 30)
        except BaseException as exc:  # noqa: BLE001 -- recorded for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    right.close()
    for thread in threads:
        thread.join(timeout=20)
    assert len(errors) == 3 and all(isinstance(e, PeerGone) for e in errors), errors
    assert grader.closed
    _close(grader)


def test_a_peer_that_breaks_the_protocol_is_closed_with_the_reason():
    left, right = socket.socketpair()
    grader = Peer(left)
    grader.start()
    try:
        right.sendall(struct.pack(">I", 8) + b"not json")
        with pytest.raises(PeerGone, match=protocol.PROTOCOL_BROKEN):
            grader.request({"k": "call", "a": 1}, time.monotonic() + 20)
    finally:
        _close(grader)
        right.close()
