"""The grader's side of the boundary: suites call the learner's code through mirrors.

In a grading run, `import load_balancer` in a suite gives a *mirror* module built
from the kata's stub (the trusted statement of the API), never from anything the
learner's process says. Its classes and functions forward each call as a message
to the learner's process (`harness.learner`); what comes back is plain data, a
stub dataclass rebuilt here from its fields, or a handle to one of the learner's
objects whose methods are forwarded in turn. Exceptions arrive as the stub's
exception class of that name, else the built-in of that name. A callable the test
passes in crosses as a callback the learner's code can call.

Each call waits at most until the running test's deadline; a call that does not
come back, or a learner process that dies, fails that test only: the process is
killed and a fresh one serves the next test.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import dataclasses
import json
import socket
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from harness import busy
from harness.learner.protocol import (
    PROTOCOL_BROKEN,
    Codec,
    Deadline,
    Peer,
    PeerGone,
    ProtocolError,
    Unsupported,
)

OUTPUT_LIMIT = 256 * 1024
_FORWARDED_DUNDERS = ("__len__", "__contains__", "__getitem__", "__setitem__", "__delitem__",
                      "__call__", "__enter__", "__exit__", "__bool__")
_SNAPSHOT = ("__name__", "__qualname__", "__doc__", "__module__")


class BoundaryFailure(BaseException):
    """A call across the boundary that failed for a reason of the learner's making: it hung,
    its process died, or it returned something that cannot cross. A BaseException, so that
    a suite's `except Exception` or `pytest.raises(Exception)` cannot take it for an answer."""


class LearnerDied(BoundaryFailure):
    """The learner's process ended (or was killed) while a call was running."""


class LearnerError(Exception):
    """The learner's code raised an exception of a type the tests cannot receive."""


# -- the stub: the trusted statement of the API ----------------------------------------------

@dataclasses.dataclass
class Stub:
    """One module of the kata as its stub declares it."""

    name: str
    namespace: dict[str, Any]
    classes: list[str]  # every class, private ones too, in definition order
    functions: list[str]
    exceptions: list[str]
    dataclasses: dict[str, list[str]]
    public: list[str]

    @classmethod
    def load(cls, name: str, path: Path) -> Stub:
        source = Path(path).read_text(encoding="utf-8")
        tree = ast.parse(source)
        module = types.ModuleType(name)
        module.__file__ = str(path)
        namespace = module.__dict__
        previous = sys.modules.get(name)
        sys.modules[name] = module  # dataclasses look their module up while being made
        try:
            exec(compile(tree, str(path), "exec"), namespace)  # the kata's own file, trusted
        finally:
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous
        classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
        functions = [n.name for n in tree.body
                     if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        exceptions, shapes = [], {}
        for class_name in classes:
            value = namespace[class_name]
            value.__module__ = name
            if isinstance(value, type) and issubclass(value, BaseException):
                exceptions.append(class_name)
            elif dataclasses.is_dataclass(value):
                shapes[class_name] = [f.name for f in dataclasses.fields(value)]
        public = [n for n in classes + functions if not n.startswith("_")]
        return cls(name, namespace, classes, functions, exceptions, shapes, public)

    def describe(self) -> dict:
        """What the learner's process needs to know: names, never code."""
        return {"names": self.public, "classes": self.classes, "exceptions": self.exceptions,
                "dataclasses": self.dataclasses}


def kata_stubs(kata_files: list[str], stub_dir: Path) -> dict[str, Stub]:
    stubs = {}
    for file in kata_files:
        if file.endswith(".py") and (Path(stub_dir) / file).is_file():
            stubs[file[:-3]] = Stub.load(file[:-3], Path(stub_dir) / file)
    return stubs


# -- handles: the learner's objects, seen from here -------------------------------------------

class Handle:
    """One of the learner's objects. Methods and attributes are forwarded; equality and
    hashing are by identity, whatever the learner's class says."""

    __slots__ = ("_kata_learner", "_kata_id", "__weakref__")
    __kata_mirror__ = True

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        mirror = cls.__dict__.get("_kata_mirror")
        if mirror is None:
            raise TypeError(f"{cls.__name__} objects come from the learner's code only")
        return mirror.construct(cls.__name__, args, kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_kata") or name in ("__deepcopy__", "__copy__", "__reduce_ex__",
                                                "__getstate__", "__length_hint__"):
            raise AttributeError(name)
        return _learner_of(self).remote("get", self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_kata"):
            object.__setattr__(self, name, value)
        else:
            _learner_of(self).remote("set", self, name, value)

    def __repr__(self) -> str:
        try:
            text = _learner_of(self).call(self, "__repr__", (), {})
        except (Exception, BoundaryFailure):
            text = None
        return text if type(text) is str else f"<{type(self).__name__} of your code>"

    def __iter__(self) -> Iterator[Any]:
        return iter(_learner_of(self).remote("iter", self))


def _learner_of(handle: Handle) -> Learner:
    learner = object.__getattribute__(handle, "_kata_learner")
    learner.check_alive(f"this {type(handle).__name__} object")
    return learner


def _forward(name: str) -> Callable:
    def method(self: Handle, *args: Any, **kwargs: Any) -> Any:
        return _learner_of(self).call(self, name, args, kwargs)

    method.__name__ = name
    return method


def _forward_property(name: str, settable: bool) -> property:
    def getter(self: Handle) -> Any:
        return _learner_of(self).remote("get", self, name)

    def setter(self: Handle, value: Any) -> None:
        _learner_of(self).remote("set", self, name, value)

    return property(getter, setter if settable else None)


class Callable_(Handle):
    """A function or other callable of the learner's (a decorator, a wrapped function)."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _learner_of(self).call(self, None, args, kwargs)

    @property
    def __doc__(self) -> Any:  # type: ignore[override]
        return _learner_of(self).remote("get", self, "__doc__")


class Mirror:
    """The mirror modules of one learner process (or of whichever process is current)."""

    def __init__(self, boundary: Boundary, learner: Callable[[], Learner]) -> None:
        self.boundary = boundary
        self.learner = learner
        self.classes: dict[str, type] = {}
        self.modules: dict[str, types.ModuleType] = {}
        for stub in boundary.stubs.values():
            self.modules[stub.name] = self._module(stub)

    def _module(self, stub: Stub) -> types.ModuleType:
        module = types.ModuleType(stub.name, stub.namespace.get("__doc__"))
        for key, value in stub.namespace.items():
            if key not in ("__builtins__", "__name__", "__loader__", "__spec__"):
                setattr(module, key, value)
        module.__kata_mirror__ = True
        module.__file__ = f"<{stub.name}.py in the learner's process>"
        for name in stub.classes:
            if name in stub.exceptions or name in stub.dataclasses:
                continue
            mirrored = self._class(stub, stub.namespace[name])
            self.classes[f"{stub.name}.{name}"] = mirrored
            setattr(module, name, mirrored)
        for name in stub.functions:
            setattr(module, name, self._function(stub, name))
        return module

    def _class(self, stub: Stub, original: type) -> type:
        namespace: dict[str, Any] = {"__slots__": (), "__module__": stub.name,
                                     "__doc__": original.__doc__, "_kata_mirror": self}
        for key, value in vars(original).items():
            if isinstance(value, property):
                namespace[key] = _forward_property(key, value.fset is not None)
            elif isinstance(value, (staticmethod, classmethod)):
                namespace[key] = staticmethod(self._function(stub, f"{original.__name__}.{key}"))
            elif callable(value) and (not key.startswith("_") or key in _FORWARDED_DUNDERS):
                namespace[key] = _forward(key)
            elif not key.startswith("__") and not callable(value):
                namespace[key] = value  # a class constant, as the stub states it
        bases = tuple(self.classes.get(f"{stub.name}.{b.__name__}", None) or Handle
                      for b in original.__bases__ if b is not object) or (Handle,)
        bases = tuple(dict.fromkeys(bases))
        return type(original.__name__, bases, namespace)

    def _function(self, stub: Stub, name: str) -> Callable:
        mirror = self

        def function(*args: Any, **kwargs: Any) -> Any:
            return mirror.learner().call(("M", stub.name), name, args, kwargs)

        original = stub.namespace.get(name)
        function.__name__ = name.rpartition(".")[2]
        function.__qualname__ = name
        function.__module__ = stub.name
        function.__doc__ = getattr(original, "__doc__", None)
        function.__kata_mirror__ = True  # type: ignore[attr-defined]
        return function

    def construct(self, class_name: str, args: tuple, kwargs: dict) -> Any:
        for key, cls in self.classes.items():
            if cls.__name__ == class_name and cls.__dict__.get("_kata_mirror") is self:
                return self.learner().call(("M", key.partition(".")[0]), class_name, args, kwargs)
        raise TypeError(class_name)

    def handle(self, learner: Learner, key: int, stub_class: str, is_callable: bool) -> Handle:
        cls = self.classes.get(stub_class) or (Callable_ if is_callable else Handle)
        handle = object.__new__(cls)
        object.__setattr__(handle, "_kata_learner", learner)
        object.__setattr__(handle, "_kata_id", key)
        return handle


# -- one learner process ---------------------------------------------------------------------

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
        for name in _SNAPSHOT:
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
        self._printed = 0
        self.start()

    # -- calls -------------------------------------------------------------------------------

    def call(self, target: Any, name: str | None, args: tuple, kwargs: dict) -> Any:
        message = {"k": "call", "t": self._target(target), "n": name}
        message.update(self._encode(lambda: self.codec.encode_args(args, kwargs),
                                    target, name))
        return self._exchange(message, _Lazy(lambda: self.describe(target, name, args, kwargs)))

    def remote(self, kind: str, target: Any, name: str | None = None, value: Any = None) -> Any:
        message = {"k": kind, "t": self._target(target), "n": name}
        if kind == "set":
            message["v"] = self._encode(lambda: self.codec.encode(value), target, name)
        if kind == "iter":
            return self._exchange(message, _Lazy(
                lambda: f"iterating over {self.describe(target, None)}"))
        return self._exchange(message, _Lazy(lambda: self.describe(target, name)))

    def batch(self, target: Handle, name: str, calls: list) -> dict:
        """Calls `target.name(*args)` for each args of `calls` in the learner's process."""
        message = {"k": "ctl", "op": "batch", "t": self._target(target), "n": name,
                   "calls": self._encode(lambda: self.codec.encode([list(c) for c in calls]),
                                         target, name)}
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
        return self._exchange(message, f"{name}{_short_repr(args)}")

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

    def _exchange(self, message: dict, what: str) -> Any:
        self.check_alive(what)
        try:
            reply = self._answer_to(message)
        except Deadline:
            limit = self.boundary.limit
            self.boundary.stop(self, f"{what} did not return within {limit:g} s")
            raise BoundaryFailure(
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

    def _result(self, reply: dict, what: str) -> Any:
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

    def check_alive(self, what: str) -> None:
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
        if type(printed) is str and self._printed < OUTPUT_LIMIT:
            self._printed += len(printed)
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
                                 and name not in _SNAPSHOT):
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


class _Lazy:
    """A call's description, worked out only if a message needs it (most calls succeed)."""

    __slots__ = ("_make", "_text")

    def __init__(self, make: Callable[[], str]) -> None:
        self._make, self._text = make, None

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


# -- the zygote: forks learner processes --------------------------------------------------------

class Zygote:
    """The grader's end of the control socket to the learner side's zygote."""

    def __init__(self, fd: int) -> None:
        self.socket = socket.socket(fileno=fd)
        self._lock = threading.Lock()
        self.socket.settimeout(30)
        ready = json.loads(self.socket.recv(65536) or b"{}")
        if "ready" not in ready:
            raise OSError("the learner's zygote did not start")

    def fork(self, **options: Any) -> tuple[int, socket.socket]:
        with self._lock:
            self.socket.send(json.dumps({"fork": options}).encode())
            data, fds, _flags, _addr = socket.recv_fds(self.socket, 65536, 1)
        if not data or not fds:
            raise OSError("the learner's zygote did not fork")
        return json.loads(data)["pid"], socket.socket(fileno=fds[0])

    def kill(self, pid: int) -> int | None:
        return self._ask({"kill": pid})

    def status(self, pid: int, wait: float = 0.0) -> int | None:
        return self._ask({"status": pid, "wait": wait})

    def cpu(self, pid: int) -> int | None:
        """Clock ticks of CPU the learner process has used (None: it is gone)."""
        return self._ask({"cpu": pid})

    def _ask(self, request: dict) -> int | None:
        try:
            with self._lock:
                self.socket.send(json.dumps(request).encode())
                return json.loads(self.socket.recv(65536) or b"{}").get("status")
        except (OSError, ValueError):
            return None


# -- the boundary: the run's learner processes and their mirrors ----------------------------------


class Boundary:
    """Everything the grader knows about the learner's side during one run."""

    def __init__(self, zygote: Zygote | None, stubs: dict[str, Stub], limit: float,
                 alarm: Callable[[str], None] = lambda reason: None) -> None:
        #: None while a grader prepared for many runs collects: no learner exists yet
        self.zygote = zygote
        self.stubs = stubs
        self.limit = limit
        #: how long the learner's files may take to load in a new process
        self.load_seconds = max(limit, 10.0)
        self.alarm = alarm
        self._deadline: float | None = None
        self._lock = threading.Lock()
        self._current: Learner | None = None
        self.load_problem: dict | None = None
        self.default_mirror = Mirror(self, self.current)

    def attach(self, zygote: Zygote) -> None:
        """Connects a boundary made before its run (a prepared grader) to the run's learner
        side; the mirror modules the suites imported stay the same objects."""
        self.zygote = zygote

    # -- deadlines ---------------------------------------------------------------------------

    def begin_test(self) -> None:
        self._deadline = time.monotonic() + self.limit

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

    def start(self, mirror: Mirror | None = None, **options: Any) -> Learner:
        if self.zygote is None:  # a suite calling the learner's code while it is collected
            raise BoundaryFailure("the learner's code was called while the tests were being "
                                  "collected: call it inside a test or a fixture")
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
        try:
            yield
        finally:
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

    def error(self, payload: Any, learner: Learner, what: str) -> BaseException:
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
        frames = payload.get("frames")
        exc.__kata_remote__ = {  # type: ignore[attr-defined]
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
