"""The grader/learner boundary: what crosses it. What the learner side may import is in
test_layout.py."""

from __future__ import annotations

import json
import pathlib
import shutil
import socket
import struct
import sys
from pathlib import Path

import pytest

from harness.learner import protocol
from harness.learner.codec import Codec, Unsupported
from harness.learner.protocol import ProtocolError

ROOT = Path(__file__).resolve().parent.parent


class _Plain(Codec):
    pass


VALUES = [None, True, False, 0, -5, 2**200, 2**2000, 1.5, float("inf"), "", "café\udce9",
          b"\x00\xff", [1, [2, (3,)]], (), {1: "a", (2, 3): [4]}, {1, 2}, frozenset({"x"}),
          pathlib.Path("/tmp/x"), {"nested": {"deep": [{"k": b"v"}]}}]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_plain_data_comes_back_with_its_exact_type(value):
    codec = _Plain()
    again = codec.decode(json.loads(json.dumps(codec.encode(value))))
    assert again == value and type(again) is type(value), (value, again)


def test_nan_comes_back_as_nan():
    codec = _Plain()
    again = codec.decode(codec.encode(float("nan")))
    assert again != again


class _Text(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


@pytest.mark.parametrize("value", [_Text("x"), [1, _Text("y")], {"k": _Text("z")},
                                   (i for i in range(3)), lambda: 1, object()],
                         ids=["str subclass", "nested", "in a dict", "generator", "lambda",
                              "object"])
def test_what_is_not_plain_data_does_not_cross(value):
    with pytest.raises(Unsupported):
        _Plain().encode(value)


@pytest.mark.parametrize("value", [bytearray(b"\x00ab"), memoryview(b"\x00ab"),
                                   memoryview(bytearray(b"x\x00aby"))[1:4]],
                         ids=["bytearray", "memoryview", "a slice of a view"])
def test_bytes_like_values_of_the_learner_cross_as_bytes(value):
    from harness.learner.peer import LearnerCodec

    again = _Plain().decode(json.loads(json.dumps(LearnerCodec(None).encode(value))))  # type: ignore[arg-type]
    assert again == b"\x00ab" and type(again) is bytes, again


@pytest.mark.parametrize("data", [["x", 1], [], [["l"]], ["d", 1], ["b", "!!"], ["s", ["l"]],
                                  {"a": 1}, ["f", "1e400"], ["i", "z" * 20_000]],
                         ids=repr)
def test_malformed_values_are_refused(data):
    with pytest.raises(ProtocolError):
        _Plain().decode(data)


def _pair():
    ours, theirs = socket.socketpair()
    return ours, theirs


def _read(sock):
    """The next frame, as a Peer reads it."""
    return _next(protocol.FrameReader(sock))


def test_a_frame_over_the_limit_is_refused_before_it_is_read():
    ours, theirs = _pair()
    with ours, theirs:
        ours.sendall(struct.pack(">I", protocol.MAX_FRAME + 1))
        with pytest.raises(ProtocolError, match="over the limit"):
            _read(theirs)


@pytest.mark.parametrize("payload", [b"not json", b"[1, 2]", b'{"c": "one", "k": "ok"}',
                                     b'{"c": 1}'])
def test_a_frame_that_is_not_a_message_is_refused(payload):
    ours, theirs = _pair()
    with ours, theirs:
        ours.sendall(struct.pack(">I", len(payload)) + payload)
        with pytest.raises(ProtocolError):
            _read(theirs)


def test_messages_survive_a_round_trip_even_when_one_read_brings_two():
    ours, theirs = _pair()
    with ours, theirs:
        protocol.send_frame(ours, {"c": 3, "k": "call", "a": ["l", 1]})
        protocol.send_frame(ours, {"c": -1, "k": "ok"})
        reader = protocol.FrameReader(theirs)
        assert [_next(reader), _next(reader)] == [{"c": 3, "k": "call", "a": ["l", 1]},
                                                  {"c": -1, "k": "ok"}]


def _next(reader):
    found = reader.next()
    while found is None:
        reader.fill()
        found = reader.next()
    return found


BATCH_SUITE = '''
import pytest
from harness.testing import call_each, time_calls
from load_balancer import LoadBalancer

pytestmark = pytest.mark.ip_hash


def test_batch():
    lb = LoadBalancer("ip_hash")
    lb.add_server("a")
    assert call_each(lb, "route_request", [({"client_ip": "10.0.0.1"},)] * 3) == ["a"] * 3
    # a timing sends back the seconds only; the results stay in the learner's process
    assert time_calls(lb, "route_request", [({"client_ip": "10.0.0.1"},)] * 3) >= 0
    call_each(lb, "route_request", [({"client_ip": "10.0.0.1"},), ({"ip": "10.0.0.2"},)])
'''


def test_a_batch_that_raises_names_the_one_call_that_did(kata, tmp_path):
    root = tmp_path / "catalog"
    for part in ("katas/networking/load-balancer", "solutions/load-balancer"):
        shutil.copytree(ROOT / part, root / part)
    hidden = root / "katas" / "networking" / "load-balancer" / "tests" / "hidden"
    for path in hidden.glob("test_*.py"):
        path.unlink()
    (hidden / "test_batch.py").write_text(BATCH_SUITE, encoding="utf-8")
    catalog = ("--catalog", str(root))
    assert kata("start", "load-balancer", *catalog, "--dir", str(tmp_path / "ws")).returncode == 0
    shutil.copy(root / "solutions" / "load-balancer" / "load_balancer.py", tmp_path / "ws")
    done = kata("check", str(tmp_path / "ws"), *catalog, "--format", "json")
    test = next(t for t in json.loads(done.stdout)["tests"] if t["name"].endswith("batch"))
    assert test["status"] == "fail"
    assert "ValueError" in test["message"], test["message"]
    assert "(call 2 of 2): LoadBalancer.route_request({'ip': '10.0.0.2'})" in test["message"], \
        test["message"]


ATTRIBUTES_SUITE = '''
import pytest
from firewall import Firewall, RuleSyntaxError

pytestmark = pytest.mark.errors


def test_set_after_construction():
    with pytest.raises(RuleSyntaxError) as caught:
        Firewall("set")
    assert (caught.value.line, caught.value.words) == (3, ["set"])
    assert not hasattr(caught.value, "_private")


def test_read_through_a_property():
    with pytest.raises(RuleSyntaxError) as caught:
        Firewall("late")
    assert caught.value.line == 7
'''

ATTRIBUTES_LEARNER = '''
class RuleSyntaxError(ValueError):
    def __init__(self, message):  # the stub's __init__ replaced: .line is set by the caller
        super().__init__(message)


class _Late(RuleSyntaxError):
    @property
    def line(self):
        return 7


class Firewall:
    def __init__(self, rules):
        if rules == "late":
            raise _Late("late")
        error = RuleSyntaxError("bad rule")
        error.line, error.words, error._private = 3, rules.split(), object()
        raise error

    def allows(self, protocol, src_ip, dst_port):
        return False
'''


def test_an_exception_keeps_its_public_attributes_across_the_boundary(kata, tmp_path):
    """RuleSyntaxError.line (firewall) is an attribute, not an argument: the learner may set it
    after construction or read it through a property, and the suite still sees it."""
    _passes_a_suite_of_its_own(kata, tmp_path, "networking/firewall", ATTRIBUTES_SUITE,
                               "firewall.py", ATTRIBUTES_LEARNER,
                               ("set after construction", "read through a property"))


def _passes_a_suite_of_its_own(kata, tmp_path, kata_folder, suite, file, learner, names):
    """The kata at katas/`kata_folder` with `suite` as its only hidden test file: `learner`
    as its `file` passes each test named."""
    slug = kata_folder.split("/")[1]
    root = tmp_path / "catalog"
    for part in (f"katas/{kata_folder}", f"solutions/{slug}"):
        shutil.copytree(ROOT / part, root / part)
    hidden = root / "katas" / kata_folder / "tests" / "hidden"
    for path in hidden.glob("test_*.py"):
        path.unlink()
    (hidden / "test_own.py").write_text(suite, encoding="utf-8")
    catalog = ("--catalog", str(root))
    started = kata("start", slug, *catalog, "--dir", str(tmp_path / "ws"))
    assert started.returncode == 0, started.stdout + started.stderr
    (tmp_path / "ws" / file).write_text(learner, encoding="utf-8")
    done = kata("check", str(tmp_path / "ws"), *catalog, "--format", "json")
    tests = {t["name"]: t for t in json.loads(done.stdout)["tests"]}
    for name in names:
        test = next((t for n, t in tests.items() if n.endswith(name)), None)
        assert test is not None and test["status"] == "pass", (test, done.stdout, done.stderr)


def test_call_with_large_bytes_makes_the_argument_where_the_code_runs(monkeypatch):
    import dataclasses
    import hashlib
    import types

    from harness.learner import probes

    @dataclasses.dataclass(frozen=True)
    class Box:
        tag: int
        data: bytes

    module = types.ModuleType("boxes")
    module.pack = lambda box: bytearray([box.tag]) + box.data  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "boxes", module)
    got = probes.call_with_large_bytes("boxes", "pack", Box(9, b""), "data", 100, 7)
    assert got == {"length": 101, "head": (b"\x09" + b"\x07" * 100)[:64],
                   "sha256": hashlib.sha256(b"\x09" + b"\x07" * 100).hexdigest()}


ITERATOR_SUITE = '''
import pytest
from chat import ChatService, Subscription

pytestmark = pytest.mark.subscriptions


def test_next_steps_the_learners_iterator():
    chat = ChatService()
    sub = chat.subscribe("lobby", "ann")
    assert isinstance(sub, Subscription) or type(sub).__name__ == "Iterator_"
    assert [next(sub), next(sub)] == ["first", "second"]   # one item per call, in order
    assert next(sub, "ended") == "ended"   # its StopIteration crosses as StopIteration
    with pytest.raises(StopIteration):
        next(sub)


def test_list_runs_the_iteration_where_the_code_runs():
    sub = ChatService().subscribe("lobby", "ann")
    assert list(sub) == ["first", "second"]
'''

ITERATOR_LEARNER = '''
from dataclasses import dataclass

MAX_TEXT = 2000


@dataclass(frozen=True)
class Message:
    id: int
    room: str
    user: str
    text: str
    seq: int
    ts: float


class Subscription:
    def __init__(self):
        self.items = ["first", "second"]

    def __iter__(self):
        return self

    def __next__(self):
        if not self.items:
            raise StopIteration
        return self.items.pop(0)


class ChatService:
    def __init__(self, clock=None):
        pass

    def subscribe(self, room, user):
        return Subscription()
'''


GENERATOR_LEARNER = ITERATOR_LEARNER.replace("        return Subscription()", """\
        return (item for item in ["first", "second"])""")


@pytest.mark.parametrize("learner", [ITERATOR_LEARNER, GENERATOR_LEARNER],
                         ids=["class of the stub", "generator"])
def test_an_iterator_is_stepped_with_next_across_the_boundary(kata, tmp_path, learner):
    """chat-application's Subscription lives in the learner's process: `next(sub)` is one
    call of its `__next__` (forwarded by the mirror), whose StopIteration comes back as
    itself, and `list(sub)` iterates there in one message. A generator the learner returns
    instead (the catalog says "an iterator") is stepped the same way."""
    _passes_a_suite_of_its_own(kata, tmp_path, "interview/chat-application", ITERATOR_SUITE,
                               "chat.py", learner,
                               ("next steps the learners iterator",
                                "list runs the iteration where the code runs"))
