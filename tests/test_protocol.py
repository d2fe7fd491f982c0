"""The protocol's codec, frames and conversations, imported directly: what test_boundary.py
does not already pin (every plain type's round trip, malformed values and frames, the frame
size limit are there): nesting caps, arguments, the frame's bytes, and one conversation
between two peers."""

from __future__ import annotations

import datetime as dt
import json
import socket
import struct
import subprocess
import sys
import threading
import time
import zoneinfo
from pathlib import Path

import pytest

from harness.learner import protocol
from harness.learner.codec import MAX_DEPTH, Codec, Unsupported
from harness.learner.conversations import Peer
from harness.learner.protocol import Deadline, PeerGone, ProtocolError

ROOT = Path(__file__).resolve().parents[1]


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


def test_a_conversation_whose_thread_ended_ends_its_serving_thread_on_the_other_side():
    """Each thread of the tests that calls gets a thread in the learner's process; when the
    test's thread ends (its bye arrives), that thread ends too. Before, the bye was filed in
    an inbox that was then removed, so the serving thread never saw it: every run_threads
    test left its threads waiting in the learner's process for the rest of the run, each
    woken by every later frame."""
    grader, learner = _peers()
    before = {t.ident for t in threading.enumerate()}
    try:
        def ask() -> None:
            assert grader.request({"k": "call", "a": 1}, time.monotonic() + 30)["v"] == 2

        threads = [threading.Thread(target=ask) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            left = [t for t in threading.enumerate() if t.ident not in before
                    and t.name.startswith("kata-conversation")]
            if not left:
                break
            time.sleep(0.01)
        assert not left, (f"{len(left)} serving threads still ran after the 6 threads that "
                          "called had ended and said bye")
        with learner._cv:
            assert learner._foreign == 0 and not learner._inboxes, (
                learner._foreign, learner._inboxes)
        # the conversations that ended do not count against max_foreign any more
        assert grader.request({"k": "call", "a": 4}, time.monotonic() + 30)["v"] == 8
    finally:
        _close(grader, learner)


def test_a_frame_that_cannot_be_filed_closes_the_peer_instead_of_stranding_its_waiters():
    """When filing a frame fails (no thread can be started for a new conversation), the
    peer closes with the reason and every waiting thread hears of it; before, the reader
    gave up its role without waking the others, who then waited for ever."""
    grader, learner = _peers()
    try:
        assert grader.request({"k": "call", "a": 1}, time.monotonic() + 30)["v"] == 2
        learner.max_foreign = learner._foreign  # the next new conversation is one too many
        errors: list[BaseException] = []

        def ask() -> None:
            try:
                grader.request({"k": "call", "a": 1}, time.monotonic() + 30)
            except BaseException as exc:  # noqa: BLE001 -- recorded for the assertion
                errors.append(exc)

        thread = threading.Thread(target=ask)
        thread.start()
        thread.join(timeout=40)
        assert not thread.is_alive() and len(errors) == 1, errors
        assert isinstance(errors[0], PeerGone), errors
        assert learner.closed and "more than" in learner.closed, learner.closed
    finally:
        _close(grader, learner)


_SETTRACE_RACE = '''
import sys, threading
from harness.learner.switching import Switching

# the learner's guard is an audit hook of Python code: inside sys.settrace it lets the
# interpreter switch threads, so two threads installing at once collide (CPython <= 3.11)
sys.addaudithook(lambda event, args: [0 for _ in range(200)] if event == "sys.settrace" else None)
sys.setswitchinterval(1e-5)  # switches as often as a loaded machine's scheduler may
switching = Switching("/nonexistent-work")
errors = []
go = threading.Condition()
rounds = 2000
state = {"round": 0}

def idle(index):
    try:
        for round_ in range(rounds):
            switching.follow()          # as a serving thread does before each call
            with go:                    # then waits in the harness, as _next does
                go.wait_for(lambda: state["round"] > round_, timeout=10)
    except BaseException as exc:
        errors.append(f"{type(exc).__name__}: {exc}")

threads = [threading.Thread(target=idle, args=(i,), daemon=True) for i in range(12)]
for thread in threads:
    thread.start()
try:
    for round_ in range(rounds):
        switching.set(round_, 0.2)
        switching.set(None, None)
        with go:
            state["round"] = round_ + 1
            go.notify_all()             # every idle thread wakes with switching just ended
    for thread in threads:
        thread.join(60)
except BaseException as exc:
    errors.append(f"{type(exc).__name__}: {exc} (in the thread switching it on and off)")
sys.settrace(None)
print(len(errors), errors[:3])
'''


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the sys.settrace race is 3.11's")
def test_threads_leaving_forced_switching_together_never_get_an_exception_from_the_tracer():
    """The tracer of forced switching puts back a thread's former trace function at the
    thread's next call after switching ends; many idle threads woken at once did so
    together, and sys.settrace raised RuntimeError into harness frames (a Condition's wait,
    which then left the conversation lock released): a thread of the conversation layer
    died, and a later call of the tests waited for ever."""
    done = subprocess.run([sys.executable, "-c", _SETTRACE_RACE], capture_output=True,
                          text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("0 "), done.stdout


def test_a_thread_started_under_forced_switching_is_untraced_once_switching_ends():
    """A serving thread started while switching was on got the tracer from
    threading.settrace; follow() took that tracer for "what traced the thread before", so
    once switching ended the thread put the tracer back at each of its calls (a
    sys.settrace per call, for the rest of the run)."""
    from harness.learner.switching import Switching

    switching = Switching("/nonexistent-work")
    seen: dict = {}
    resume = threading.Lock()  # acquired in C: no Python call while the thread waits
    resume.acquire()
    followed = threading.Event()

    def body() -> None:
        switching.follow()  # as a serving thread does before its call
        followed.set()
        resume.acquire(timeout=30)
        seen["during"] = sys.gettrace()

        def nothing() -> None:
            pass

        nothing()  # a call after switching ended: the tracer takes itself out here
        seen["after"] = sys.gettrace()

    switching.set(1, 0.2)
    try:
        thread = threading.Thread(target=body)
        thread.start()
        followed.wait(30)
    finally:
        switching.set(None, None)
    resume.release()
    thread.join(30)
    assert seen["during"] is not None, "the thread was never traced: the test proves nothing"
    assert seen["after"] is None, seen
