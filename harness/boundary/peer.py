"""The grader's connection to one learner process: calls and attribute access on the
learner's objects, each waiting at most until the running test's deadline; what
crosses (handles, the stub's dataclasses and exceptions, the tests' callbacks); and
the callbacks the learner's code makes into the tests' objects."""

from __future__ import annotations

import contextlib
import socket
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from harness import busy
from harness.boundary.failures import BoundaryFailure, CallTimedOut, LearnerDied
from harness.boundary.mirror import Handle, Mirror
from harness.learner.codec import Codec, Unsupported
from harness.learner.conversations import Peer
from harness.learner.protocol import PROTOCOL_BROKEN, Deadline, PeerGone, ProtocolError

if TYPE_CHECKING:
    from harness.boundary.frontier import Boundary

OUTPUT_LIMIT = 256 * 1024
#: what an object of the tests' (a callback) tells the learner's code about itself
SNAPSHOT = ("__name__", "__qualname__", "__doc__", "__module__")


class GraderCodec(Codec):
    def __init__(self, learner: Learner) -> None:
        super().__init__()
        self.learner = learner
        self.handles: dict[int, Handle] = {}

    def encode_other(self, value: Any, depth: int) -> Any:
        if isinstance(value, Handle):
            owner = object.__getattribute__(value, "_kata_learner")
            if owner is not self.learner:
                raise Unsupported(f"{type(value).__name__} from another learner process")
            return ["R", object.__getattribute__(value, "_kata_id")]
        boundary = self.learner.boundary
        if isinstance(value, type) and issubclass(value, BaseException):
            return ["X", *boundary.exception_class_name(value, self)]
        stub = boundary.stub_dataclass(type(value))
        if stub is not None:
            fields = {f: getattr(value, f) for f in boundary.stubs[stub[0]].dataclasses[stub[1]]}
            return ["D", f"{stub[0]}.{stub[1]}", self.encode(fields, depth + 1)]
        if isinstance(value, (types.ModuleType, type)):
            raise Unsupported(type(value).__name__)
        info = {}
        for name in SNAPSHOT:
            try:
                item = getattr(value, name, None)
            except Exception:
                item = None
            if type(item) is str or item is None:
                info[name] = item
        return ["H", self.export(value), info]

    def decode_other(self, tag: str, items: list, depth: int) -> Any:
        if tag == "R" and len(items) == 1:
            return self.exported(items[0])
        if tag == "H" and len(items) == 3 and type(items[0]) is int and type(items[1]) is str:
            handle = self.handles.get(items[0])
            if handle is None:
                handle = self.handles[items[0]] = self.learner.mirror.handle(
                    self.learner, items[0], items[1], bool(items[2]))
            return handle
        if tag == "D" and len(items) == 2 and type(items[0]) is str:
            return self.learner.boundary.rebuild(items[0], self.decode(items[1], depth + 1))
        if tag == "X":
            return self.learner.boundary.exception_class(items, self)
        raise ProtocolError(f"unknown tag {tag!r}")


class Learner(Peer):
    """The grader's connection to one learner process."""

    sign = 1
    max_foreign = 256

    def __init__(self, boundary: Boundary, pid: int, sock: socket.socket,
                 mirror: Mirror | None = None) -> None:
        super().__init__(sock)
        self.boundary = boundary
        self.pid = pid
        self.codec = GraderCodec(self)
        self.mirror = mirror or boundary.default_mirror
        self.ended: str | None = None
        self.start()

    # -- calls -------------------------------------------------------------------------------

    def call(self, target: Any, name: str | None, args: tuple, kwargs: dict) -> Any:
        message = {"k": "call", "t": self._target(target), "n": name}
        message.update(self._encode(lambda: self.codec.encode_args(args, kwargs),
                                    target, name))
        return self._exchange(message, LazyText(lambda: self.describe(target, name, args, kwargs)))

    def remote(self, kind: str, target: Any, name: str | None = None, value: Any = None) -> Any:
        message = {"k": kind, "t": self._target(target), "n": name}
        if kind == "set":
            message["v"] = self._encode(lambda: self.codec.encode(value), target, name)
        if kind == "iter":
            return self._exchange(message, LazyText(
                lambda: f"iterating over {self.describe(target, None)}"))
        return self._exchange(message, LazyText(lambda: self.describe(target, name)))

    def batch(self, target: Handle, name: str, calls: list, keep: bool = True) -> dict:
        """Calls `target.name(*args)` for each args of `calls` in the learner's process;
        without `keep`, the results stay there (None each: a timing needs only the seconds)."""
        message = {"k": "ctl", "op": "batch", "t": self._target(target), "n": name,
                   "calls": self._encode(lambda: self.codec.encode([list(c) for c in calls]),
                                         target, name), "keep": keep}
        answer = self._exchange(message, f"{type(target).__name__}.{name}(...) called "
                                         f"{len(calls):,} times")
        failed = answer.get("failed") if type(answer) is dict else None
        if type(failed) is int and 0 <= failed < len(calls):  # one call raised: that call
            error = self.boundary.error(answer.get("error"), self,
                                        self.describe(target, name, tuple(calls[failed])))
            remote = getattr(error, "__kata_remote__", None)
            if isinstance(remote, dict):
                remote["one_of"] = f"call {failed + 1:,} of {len(calls):,}"
            raise error
        if type(answer) is not dict or type(answer.get("results")) is not list \
                or len(answer["results"]) != len(calls):
            raise BoundaryFailure(f"{type(target).__name__}.{name}(...) called "
                                  f"{len(calls):,} times sent back something malformed")
        return answer

    def probe(self, name: str, args: tuple) -> Any:
        """Runs a function of harness.learner.probes in the learner's process."""
        message = {"k": "ctl", "op": "probe", "n": name}
        message.update(self._encode(lambda: self.codec.encode_args(args, {}), ("M", ""), name))
        # described only if the call fails: the repr of a handle among the arguments is a
        # call of the learner's __repr__, one more round trip per probe
        return self._exchange(message, LazyText(lambda: f"{name}{_short_repr(args)}"))

    def control(self, op: str, deadline: float | None = None, **fields: Any) -> Any:
        reply = self.request({"k": "ctl", "op": op, **fields},
                             deadline if deadline is not None else self.boundary.deadline())
        return self._result(reply, f"the harness's {op}")

    def _encode(self, encode: Callable[[], Any], target: Any, name: str | None) -> Any:
        try:
            return encode()
        except Unsupported as exc:
            raise BoundaryFailure(f"the test passed {exc.kind} to {self.describe(target, name)}, "
                                  "which cannot cross to your code") from None

    def _target(self, target: Any) -> list:
        if isinstance(target, tuple):
            return list(target)
        return ["R", object.__getattribute__(target, "_kata_id")]

    def _exchange(self, message: dict, what: str | LazyText) -> Any:
        self.check_alive(what)
        try:
            reply = self._answer_to(message)
        except Deadline:
            limit = self.boundary.limit
            self.boundary.stop(self, f"{what} did not return within {limit:g} s")
            raise CallTimedOut(
                f"{what} did not return within {limit:g} s: an endless loop, or waiting for "
                "something that never happens (a lock never released, an event never set)?"
            ) from None
        except PeerGone:
            ending = self.ending()
            self.boundary.stop(self, ending)
            raise LearnerDied(f"{what}: {ending}") from None
        return self._result(reply, what)

    def _answer_to(self, message: dict) -> dict:
        """Sends a request and waits for its answer until the test's deadline; past it,
        only as long as the machine is busy and the learner's process still gets CPU
        (harness.busy), never past the backstop. Raises Deadline."""
        number = self.conversation()
        message["c"] = number
        self.send(message)
        patience = busy.Patience(self.boundary.deadline(), self.boundary.limit,
                                 cpu=lambda: self.boundary.zygote.cpu(self.pid))
        while True:
            try:
                return self.wait(number, patience.deadline)
            except Deadline:
                if not patience.extend():
                    raise

    def _result(self, reply: dict, what: str | LazyText) -> Any:
        if reply["k"] == "ok":
            try:
                return self.codec.decode(reply.get("v"))
            except ProtocolError as exc:
                raise BoundaryFailure(f"{what} sent back something malformed: {exc}") from None
        raise self.boundary.error(reply.get("e"), self, what)

    def describe(self, target: Any, name: str | None, args: tuple = (), kwargs: dict | None = None
                 ) -> str:
        if isinstance(target, tuple):
            called = name or "?"
        else:
            called = f"{type(target).__name__}.{name}" if name else type(target).__name__
        if name == "__repr__":
            return f"repr({type(target).__name__})"
        shown = [_short_repr(a) for a in args]
        shown += [f"{k}={_short_repr(v)}" for k, v in (kwargs or {}).items()]
        return f"{called}({', '.join(shown)})"

    # -- liveness ----------------------------------------------------------------------------

    def check_alive(self, what: str | LazyText) -> None:
        if self.ended is not None:
            raise BoundaryFailure(f"{what} belonged to a process of your code that was "
                                  f"stopped earlier ({self.ended}); this test cannot use it")

    def ending(self) -> str:
        if self.ended is None and (self.closed or "").startswith(PROTOCOL_BROKEN):
            self.ended = ("it wrote to the harness's socket something that is not a message "
                          "of the harness")
        if self.ended is None:
            status = self.boundary.zygote.status(self.pid, wait=1.0)
            self.ended = _exit_text(status)
        return f"the process running your code ended during the call ({self.ended})"

    # -- callbacks from the learner's code --------------------------------------------------

    def received(self, message: dict) -> None:
        printed = message.get("o")
        if type(printed) is str and self.boundary.printed < OUTPUT_LIMIT:  # per test
            self.boundary.printed += len(printed)
            sys.stdout.write(printed[:OUTPUT_LIMIT])
        alarms = message.get("g")
        if type(alarms) is list:
            for alarm in alarms[:10]:
                self.boundary.alarm(str(alarm)[:300])

    def serve(self, message: dict) -> Any:
        kind = message["k"]
        target = message.get("t")
        if type(target) is not list or len(target) != 2 or target[0] != "R":
            raise ProtocolError("a callback must name an object the tests passed in")
        obj = self.codec.exported(target[1])
        name = message.get("n")
        if name is not None and (type(name) is not str or name.startswith("_")
                                 and name not in SNAPSHOT):
            raise AttributeError(f"your code may not reach {name!r} of the tests' objects")
        if kind == "call":
            args, kwargs = self.codec.decode_args(message)
            function = obj if name is None else getattr(obj, name)
            return self.codec.encode(function(*args, **kwargs))
        if kind == "get" and name is not None:
            return self.codec.encode(getattr(obj, name))
        raise PermissionError(f"your code may not {kind} the tests' objects")

    def encode_error(self, exc: BaseException) -> Any:
        args = None
        with contextlib.suppress(Unsupported, Exception):
            args = self.codec.encode(list(exc.args))
        return {"class": self.boundary.exception_class_name(type(exc), self.codec),
                "args": args, "id": self.codec.export(exc), "text": str(exc)[:500]}


class LazyText:
    """A call's description, worked out only if a message needs it (most calls succeed)."""

    __slots__ = ("_make", "_text")

    def __init__(self, make: Callable[[], str]) -> None:
        self._make = make
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            self._text = self._make()
        return self._text


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def _exit_text(status: int | None) -> str:
    if status is None:
        return "it stopped answering"
    if status < 0:
        import signal

        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        return f"killed by {name}"
    return f"it exited with code {status}: os._exit() or a crash?"
