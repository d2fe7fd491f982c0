"""The boundary of one run: its learner processes (the default one, replaced after one is
stopped, and fresh ones for a test), their mirror modules, the running test's
deadline, forced switching, and how the stub's dataclasses and exceptions cross."""

from __future__ import annotations

import builtins
import contextlib
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from typing import Any

from harness.boundary.failures import BoundaryFailure, LearnerError
from harness.boundary.mirror import Mirror, Stub
from harness.boundary.peer import LazyText, Learner
from harness.boundary.zygote import Zygote
from harness.learner.codec import Codec
from harness.learner.protocol import Deadline, PeerGone, ProtocolError

# what every exception has (args, with_traceback, add_note): never set from the learner's side
_EXCEPTION_NAMES = frozenset(dir(BaseException))


class Boundary:
    """Everything the grader knows about the learner's side during one run."""

    def __init__(self, zygote: Zygote | None, stubs: dict[str, Stub], limit: float,
                 alarm: Callable[[str], None] = lambda reason: None) -> None:
        #: None while a grader prepared for many runs collects: no learner exists yet
        self._zygote = zygote
        self.stubs = stubs
        self.limit = limit
        #: how long the learner's files may take to load in a new process
        self.load_seconds = max(limit, 10.0)
        self.alarm = alarm
        self._deadline: float | None = None
        self.printed = 0  # characters of the learner's output the current test has shown
        self._lock = threading.Lock()
        self._current: Learner | None = None
        self.load_problem: dict | None = None
        #: the seed of the forced switching in the learner's process, while it is on
        self.switching_seed: int | None = None
        self.default_mirror = Mirror(self, self.current)

    def attach(self, zygote: Zygote) -> None:
        """Connects a boundary made before its run (a prepared grader) to the run's learner
        side; the mirror modules the suites imported stay the same objects."""
        self._zygote = zygote

    @property
    def zygote(self) -> Zygote:
        """The run's learner side, which forks its learner processes."""
        if self._zygote is None:  # a suite calling the learner's code while it is collected
            raise BoundaryFailure("the learner's code was called while the tests were being "
                                  "collected: call it inside a test or a fixture")
        return self._zygote

    # -- deadlines ---------------------------------------------------------------------------

    def begin_test(self) -> None:
        self._deadline = time.monotonic() + self.limit
        self.printed = 0  # characters of the learner's output this test has shown

    def end_test(self) -> None:
        self._deadline = None

    def deadline(self) -> float:
        return self._deadline if self._deadline is not None else time.monotonic() + self.limit

    # -- processes ---------------------------------------------------------------------------

    def current(self) -> Learner:
        """The default learner process, started afresh after one was stopped."""
        with self._lock:
            learner = self._current
            if learner is None or learner.ended is not None or learner.closed:
                learner = self._current = self.start(self.default_mirror)
            return learner

    def running(self) -> Learner | None:
        """The default learner process if one is running (none is started)."""
        learner = self._current
        return learner if learner is not None and learner.ended is None else None

    def start(self, mirror: Mirror | None = None, **options: Any) -> Learner:
        pid, sock = self.zygote.fork(**options)
        learner = Learner(self, pid, sock, mirror)
        seconds = self.load_seconds
        try:
            answer = learner.control("load", deadline=time.monotonic() + seconds,
                                     modules={n: s.describe() for n, s in self.stubs.items()})
        except Deadline:
            answer = {"timeout": seconds}
        except PeerGone:
            answer = {"crash": learner.ending()}
        if not (isinstance(answer, dict) and "loaded" in answer):
            self.load_problem = answer if isinstance(answer, dict) else {"error": {}}
            self.stop(learner, "its files did not load")
            raise BoundaryFailure("your code did not load: " + _load_summary(self.load_problem))
        return learner

    def stop(self, learner: Learner, why: str) -> None:
        if learner.ended is None:
            learner.ended = why
        self.zygote.kill(learner.pid)
        learner.close(why)

    @contextlib.contextmanager
    def fresh(self, **options: Any) -> Iterator[types.SimpleNamespace]:
        """Another learner process for one test: its mirror modules, by module name.
        Options: `env`, `file_size`, `die_on_file_size` (see harness.testing)."""
        holder: list[Learner] = []
        mirror = Mirror(self, lambda: holder[0])
        holder.append(self.start(mirror, **options))
        try:
            yield types.SimpleNamespace(**mirror.modules, process=holder[0])
        finally:
            self.stop(holder[0], "the test was done with it")

    def kill(self, process: Learner) -> None:
        self.stop(process, "killed by the test")

    @contextlib.contextmanager
    def switching(self, seed: int, probability: float) -> Iterator[None]:
        """Forced thread switches in the learner's process, on its own frames, while active."""
        learner = self.current()
        learner.control("switching", seed=int(seed), probability=float(probability))
        self.switching_seed = int(seed)  # named by a deadlock report (harness.testkit)
        try:
            yield
        finally:
            self.switching_seed = None
            if learner.ended is None and not learner.closed:
                with contextlib.suppress(BoundaryFailure, Deadline, PeerGone):
                    learner.control("switching", seed=None, probability=None)

    # -- what crosses ------------------------------------------------------------------------

    def stub_dataclass(self, kind: type) -> tuple[str, str] | None:
        stub = self.stubs.get(getattr(kind, "__module__", ""))
        if stub is not None and stub.namespace.get(kind.__name__) is kind \
                and kind.__name__ in stub.dataclasses:
            return stub.name, kind.__name__
        return None

    def rebuild(self, name: str, fields: Any) -> Any:
        module, _, class_name = name.partition(".")
        stub = self.stubs.get(module)
        if stub is None or class_name not in stub.dataclasses or type(fields) is not dict:
            raise ProtocolError(f"no dataclass {name}")
        missing = [f for f in stub.dataclasses[class_name] if f not in fields]
        if missing:
            raise ProtocolError(f"a {class_name} without {', '.join(missing)}")
        cls = stub.namespace[class_name]
        value = object.__new__(cls)
        for field in stub.dataclasses[class_name]:
            object.__setattr__(value, field, fields[field])
        return value

    def exception_class_name(self, kind: type, codec: Codec) -> list:
        for base in kind.__mro__:
            stub = self.stubs.get(base.__module__)
            if stub is not None and stub.namespace.get(base.__name__) is base:
                return ["stub", f"{stub.name}.{base.__name__}"]
        if kind.__module__ == "builtins":
            return ["builtin", kind.__name__]
        nearest = next(b for b in kind.__mro__ if b.__module__ == "builtins")
        return ["class", codec.export(kind), kind.__name__, nearest.__name__]

    def exception_class(self, items: list, codec: Codec) -> type:
        kind = items[0] if items else None
        if kind == "stub" and len(items) == 2 and type(items[1]) is str:
            module, _, name = items[1].partition(".")
            stub = self.stubs.get(module)
            if stub is not None and name in stub.exceptions:
                return stub.namespace[name]
        elif kind == "builtin" and len(items) == 2 and type(items[1]) is str:
            found = getattr(builtins, items[1], None)
            if isinstance(found, type) and issubclass(found, Exception):
                return found
        elif kind == "class" and len(items) >= 2:
            found = codec.exported(items[1])
            if isinstance(found, type) and issubclass(found, BaseException):
                return found
        raise ProtocolError(f"unknown exception class {items!r}")

    def error(self, payload: Any, learner: Learner, what: str | LazyText) -> BaseException:
        """The exception to raise in the test for what the learner's code raised."""
        if type(payload) is not dict:
            return BoundaryFailure(f"{what} sent back a malformed error")
        if "ref" in payload:
            with contextlib.suppress(ProtocolError):
                original = learner.codec.exported(payload["ref"])
                if isinstance(original, BaseException):
                    return original
            return BoundaryFailure(f"{what} sent back a malformed error")
        if "unsupported" in payload:
            return BoundaryFailure(
                f"{what} returned {_article(str(payload['unsupported'])[:80])}, which cannot "
                "cross to the tests: return plain data (str, int, float, bool, None, list, "
                "tuple, dict, set, bytes) or the kata's own classes")
        text = str(payload.get("text", ""))[:2000]
        learner_type = str(payload.get("type", "Exception"))[:100]
        try:
            cls = self.exception_class(payload.get("class") or [], learner.codec)
            args = payload.get("args")
            args = learner.codec.decode(args) if args is not None else [text]
            if type(args) is not list:
                args = [text]
            exc = cls.__new__(cls, *args)
            exc.args = tuple(args)
        except (ProtocolError, TypeError):
            exc = LearnerError(f"{learner_type}: {text}")
        attrs = payload.get("attrs")
        for name, value in (attrs.items() if type(attrs) is dict else ()):
            if type(name) is str and name.isidentifier() and not name.startswith("_") \
                    and name not in _EXCEPTION_NAMES:
                with contextlib.suppress(Exception):  # a read-only attribute of the stub's class
                    setattr(exc, name, learner.codec.decode(value))
        frames = payload.get("frames")
        exc.__kata_remote__ = {
            "type": learner_type, "call": str(what),
            "frames": [f for f in frames if _is_frame(f)] if type(frames) is list else [],
        }
        return exc


def _is_frame(frame: Any) -> bool:
    return (type(frame) is list and len(frame) == 4 and type(frame[0]) is str
            and type(frame[1]) is int and type(frame[2]) is str and type(frame[3]) is str)


def _article(kind: str) -> str:
    return f"an {kind}" if kind[:1].lower() in "aeiou" else f"a {kind}"


def _load_summary(problem: dict) -> str:
    if "timeout" in problem:
        return f"it did not finish loading within {problem['timeout']:g} s"
    if "crash" in problem:
        return str(problem["crash"])
    if "missing" in problem:
        missing = ", ".join(map(str, problem["missing"]))
        return f"{problem.get('module')}.py does not define {missing}"
    error = problem.get("error") or {}
    return f"{error.get('type', 'an error')}: {error.get('text') or error.get('msg', '')}"


#: the run's boundary, once the grader process has started it
active: Boundary | None = None


def install(boundary: Boundary) -> None:
    """Makes `import MODULE` in the suites give the mirror modules."""
    global active
    active = boundary
    for name, module in boundary.default_mirror.modules.items():
        sys.modules[name] = module
