"""The learner's end of the connection: serves the grader's calls on the learner's objects,
and carries what crosses from here (the learner's objects as handles, the stub's
dataclasses and exceptions, the grader's callbacks as `Remote` objects).

Each grader thread gets a thread of its own here, so concurrent calls race for real.
"""

from __future__ import annotations

import builtins
import collections.abc
import hashlib
import importlib.util
import json
import os
import socket
import sys
import threading
import time
from typing import Any

from harness.learner import probes
from harness.learner.codec import ITERATOR, Codec, Unsupported
from harness.learner.conversations import Peer
from harness.learner.output import Output
from harness.learner.protocol import ProtocolError
from harness.learner.switching import Switching
from harness.learner.tracebacks import describe_load_error, learner_frames, text_of


class Remote:
    """A grader object seen from here (a callback, a fake clock): calls and attribute
    reads go back to the grader, with plain-data arguments."""

    __slots__ = ("_kata_peer", "_kata_id", "__dict__", "__weakref__")

    def __init__(self, peer: LearnerPeer, key: int, info: dict) -> None:
        object.__setattr__(self, "_kata_peer", peer)
        object.__setattr__(self, "_kata_id", key)
        for name in ("__name__", "__qualname__", "__doc__", "__module__"):
            if type(info.get(name)) is str or (name == "__doc__" and info.get(name) is None):
                self.__dict__[name] = info.get(name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._kata_peer.call(["R", self._kata_id], None, args, kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_kata") or name in ("__wrapped__", "__signature__"):
            raise AttributeError(name)
        return self._kata_peer.remote("get", ["R", self._kata_id], name)

    def __repr__(self) -> str:
        return f"<{self.__dict__.get('__qualname__', 'object')} from the tests>"


class LearnerCodec(Codec):
    def __init__(self, peer: LearnerPeer) -> None:
        super().__init__()
        self.peer = peer
        self.remotes: dict[int, Remote] = {}
        self.remote_classes: dict[int, type] = {}
        self.remote_class_ids: dict[type, int] = {}

    def encode_other(self, value: Any, depth: int) -> Any:
        kind = type(value)
        if kind is Remote:
            return ["R", object.__getattribute__(value, "_kata_id")]
        if kind is bytearray or kind is memoryview:
            # bytes by value: a slice of a bytearray buffer is a correct payload (compare values)
            return self.encode(bytes(value), depth)
        if isinstance(value, type) and issubclass(value, BaseException):
            return ["X", *self.peer.exception_class_name(value)]
        described = self.peer.dataclass_of(value)
        if described is not None:
            name, fields = described
            return ["D", name, self.encode({f: getattr(value, f) for f in fields}, depth + 1)]
        stub = self.peer.stub_class_of(kind)
        if stub is not None or self.peer.is_learner_type(kind):
            return ["H", self.export(value), stub or "", callable(value)]
        if isinstance(value, collections.abc.Iterator):  # a generator: a catalog's "iterator"
            return ["H", self.export(value), ITERATOR, False]
        if callable(value) or kind.__module__ == "harness.learner.functions":
            return ["H", self.export(value), "", callable(value)]  # the harness's own: trusted
        raise Unsupported(kind.__qualname__)

    def decode_other(self, tag: str, items: list, depth: int) -> Any:
        if tag == "R" and len(items) == 1:
            return self.exported(items[0])
        if tag == "H" and len(items) == 2 and type(items[0]) is int and type(items[1]) is dict:
            remote = self.remotes.get(items[0])
            if remote is None:
                remote = self.remotes[items[0]] = Remote(self.peer, items[0], items[1])
            return remote
        if tag == "X":
            return self.peer.exception_class(items)
        if tag == "D" and len(items) == 2 and type(items[0]) is str:
            module, _, name = items[0].partition(".")
            cls = getattr(self.peer.modules.get(module), name, None)
            if cls is None:
                raise ProtocolError(f"no dataclass {items[0]}")
            return cls(**self.decode(items[1], depth + 1))
        raise ProtocolError(f"unknown tag {tag!r}")


class LearnerPeer(Peer):
    sign = -1

    def __init__(self, sock: socket.socket, config: dict) -> None:
        super().__init__(sock)
        self.codec = LearnerCodec(self)
        self.config = config
        self.work = os.path.realpath(config["work"])
        self.modules: dict[str, Any] = {}
        self.stubs: dict[str, dict] = {}
        self.output = Output()
        self.alarms: list[str] = []
        self.switching = Switching(self.work)
        #: coverage.py's measurement and the file it reports to, under `kata verify` only
        self.coverage: tuple[Any, str] | None = None
        self.done = threading.Event()

    def close(self, reason: str = "closed") -> None:
        super().close(reason)
        self.done.set()

    # -- what crosses ----------------------------------------------------------------------

    def stub_class_of(self, kind: type) -> str | None:
        """The stub's name for a class of the learner's, walking its bases:
        `load_balancer.LoadBalancer`."""
        for base in kind.__mro__:
            module = base.__dict__.get("__module__")
            if type(module) is not str:
                continue
            names = self.stubs.get(module, {}).get("classes", ())
            if (base.__name__ in names
                    and getattr(self.modules[module], base.__name__, None) is base):
                return f"{module}.{base.__name__}"
        return None

    def is_learner_type(self, kind: type) -> bool:
        return kind.__dict__.get("__module__", kind.__module__) in self.modules

    def dataclass_of(self, value: Any) -> tuple[str, list[str]] | None:
        kind = type(value)
        module = kind.__module__
        fields = self.stubs.get(module, {}).get("dataclasses", {}).get(kind.__name__)
        if fields is None or getattr(self.modules.get(module), kind.__name__, None) is not kind:
            return None
        return f"{module}.{kind.__name__}", fields

    def exception_class_name(self, kind: type) -> list:
        for base in kind.__mro__:
            origin = self.codec.remote_class_ids.get(base)
            if origin is not None:
                return ["class", origin]
            module = base.__dict__.get("__module__", base.__module__)
            if module in self.modules and base.__name__ in self.stubs[module]["exceptions"]:
                return ["stub", f"{module}.{base.__name__}"]
            if module == "builtins":
                return ["builtin", base.__name__]
        return ["builtin", "BaseException"]

    def exception_class(self, items: list) -> type:
        kind = items[0] if items else None
        if kind == "builtin" and len(items) == 2:
            found = getattr(builtins, str(items[1]), None)
            if isinstance(found, type) and issubclass(found, BaseException):
                return found
        elif kind == "stub" and len(items) == 2 and type(items[1]) is str:
            module, _, name = items[1].partition(".")
            found = getattr(self.modules.get(module), name, None)
            if isinstance(found, type) and issubclass(found, BaseException):
                return found
        elif kind == "class" and len(items) == 4 and type(items[1]) is int:
            found = self.codec.remote_classes.get(items[1])
            if found is None:
                base = self.exception_class(["builtin", items[3]])
                found = type(str(items[2]), (base,), {"__module__": "tests"})
                self.codec.remote_classes[items[1]] = found
                self.codec.remote_class_ids[found] = items[1]
            return found
        raise ProtocolError(f"unknown exception class {items!r}")

    def encode_error(self, exc: BaseException) -> Any:
        if type(exc) is Unsupported:
            return {"unsupported": exc.kind}
        origin = _ORIGINS.get(id(exc))
        if origin is not None and origin[1] is exc:
            return {"ref": origin[0]}
        try:
            args = self.codec.encode(list(exc.args))
        except Exception:
            args = None
        return {
            "class": self.exception_class_name(type(exc)),
            "type": type(exc).__qualname__,
            "args": args,
            "text": text_of(exc),
            "frames": learner_frames(exc.__traceback__, self.work),
            "attrs": self.error_attributes(exc),
        }

    def error_attributes(self, exc: BaseException) -> dict:
        """The public attributes an exception carries beyond its args (a rule's line number),
        set on it here or read through a property of the learner's class: the test reads them
        as it would on the exception itself. What cannot cross is left out."""
        names = [name for name in getattr(exc, "__dict__", {}) if type(name) is str]
        for base in type(exc).__mro__:
            if self.is_learner_type(base):
                names += [name for name, value in vars(base).items()
                          if isinstance(value, property)]
        found: dict = {}
        for name in names:
            if name.startswith("_") or name == "args" or name in found or len(found) >= 20:
                continue
            try:
                found[name] = self.codec.encode(getattr(exc, name))
            except Exception:  # a property that raises, a value that cannot cross
                continue
        return found

    def raise_error(self, payload: Any) -> None:
        if type(payload) is not dict:
            raise ProtocolError("a malformed error")
        cls = self.exception_class(payload.get("class") or ["builtin", "Exception"])
        args = self.codec.decode(payload["args"]) if payload.get("args") is not None else []
        exc = cls.__new__(cls, *args)
        exc.args = tuple(args)
        if type(payload.get("id")) is int:
            _ORIGINS[id(exc)] = (payload["id"], exc)
        raise exc

    def decorate(self, message: dict) -> dict:
        printed = self.output.drain()
        if printed:
            message["o"] = printed
        if self.alarms:
            message["g"], self.alarms[:] = list(self.alarms), []
        return message

    # -- calls from the learner's side to the grader's objects -----------------------------

    def call(self, target: list, name: str | None, args: tuple, kwargs: dict) -> Any:
        message = {"k": "call", "t": target, "n": name, **self.codec.encode_args(args, kwargs)}
        return self._answer(self.request(self.decorate(message)))

    def remote(self, kind: str, target: list, name: str) -> Any:
        return self._answer(self.request(self.decorate({"k": kind, "t": target, "n": name})))

    def _answer(self, reply: dict) -> Any:
        if reply["k"] == "ok":
            return self.codec.decode(reply.get("v"))
        self.raise_error(reply.get("e"))

    # -- calls from the grader -------------------------------------------------------------

    def serve(self, message: dict) -> Any:
        self.switching.follow()
        kind = message["k"]
        if kind == "ctl":
            return self.control(message)
        target = self.target(message.get("t"))
        name = message.get("n")
        if name is not None and type(name) is not str:
            raise ProtocolError("a malformed name")
        if kind == "call":
            args, kwargs = self.codec.decode_args(message)
            function = target
            for part in name.split(".") if name is not None else ():
                function = getattr(function, part)
            return self.codec.encode(function(*args, **kwargs))
        if kind in ("get", "set"):
            if name is None:
                raise ProtocolError(f"a {kind} request without a name")
            if kind == "get":
                return self.codec.encode(getattr(target, name))
            setattr(target, name, self.codec.decode(message.get("v")))
            return None
        if kind == "iter":
            return self.codec.encode(list(target))
        raise ProtocolError(f"unknown request {kind!r}")

    def target(self, data: Any) -> Any:
        if type(data) is list and len(data) == 2 and data[0] == "M" and data[1] in self.modules:
            return self.modules[data[1]]
        if type(data) is list and len(data) == 2 and data[0] == "R":
            return self.codec.exported(data[1])
        raise ProtocolError(f"unknown target {data!r}")

    def control(self, message: dict) -> Any:
        op = message.get("op")
        if op == "load":
            return self.load(message["modules"])
        if op == "switching":
            self.switching.set(message.get("seed"), message.get("probability"))
            return None
        if op == "coverage":
            return self.stop_coverage()
        if op == "batch":
            return self.batch(message)
        if op == "probe":
            name = message.get("n")
            if name not in probes.__all__:
                raise ProtocolError(f"no probe {name!r}")
            args, kwargs = self.codec.decode_args(message)
            return self.codec.encode(getattr(probes, name)(*args, **kwargs))
        raise ProtocolError(f"unknown control {op!r}")

    def load(self, modules: dict) -> Any:
        """Imports the learner's files by path under their plain names; says what went wrong."""
        self.stubs = modules
        probes.context.update(work=self.work, before_load=frozenset(sys.modules))
        for name, expected in modules.items():
            path = os.path.join(self.work, name + ".py")
            try:
                spec = importlib.util.spec_from_file_location(name, path)
                if spec is None or spec.loader is None:
                    raise ImportError(f"{name}.py cannot be imported from {path}")
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                code = self._verified_code(name, path)
                if code is None:
                    spec.loader.exec_module(module)
                else:  # the bytes checked are the bytes run: nothing can swap the file between
                    exec(code, module.__dict__)
            except BaseException as exc:  # anything at import time is the learner's to fix
                sys.modules.pop(name, None)
                return self.codec.encode({"error": describe_load_error(exc, name, self.work)})
            self.modules[name] = module
            missing = [n for n in expected["names"] if not hasattr(module, n)]
            if missing:
                return self.codec.encode({"missing": missing, "module": name})
        return self.codec.encode({"loaded": sorted(self.modules)})

    def _verified_code(self, name: str, path: str) -> Any:
        """The module's code compiled from its file's bytes, once they are checked against
        the digest taken when the run copied them (None: no digest to check against)."""
        expected = self.config.get("digests", {}).get(name)
        if not expected:
            return None
        with open(path, "rb") as handle:
            source = handle.read()
        if hashlib.sha256(source).hexdigest() != expected:
            raise ImportError(f"{name}.py changed after the harness copied it: something "
                              "other than the harness wrote it during the run")
        return compile(source, path, "exec", dont_inherit=True)

    def batch(self, message: dict) -> Any:
        """Calls one method many times here, in one message: a suite that needs 100,000
        answers (or times a run of operations) pays no round trip per call."""
        method = getattr(self.target(message.get("t")), str(message.get("n")))
        calls = self.codec.decode(message.get("calls"))
        if type(calls) is not list:
            raise ProtocolError("a malformed batch")
        results = []
        started = time.process_time()  # CPU seconds: a busy machine's pauses do not count
        for index, args in enumerate(calls):
            try:
                results.append(method(*args))
            except BaseException as exc:  # the grader names this one call in its message
                return self.codec.encode({"failed": index, "error": self.encode_error(exc)})
        seconds = time.process_time() - started
        if message.get("keep") is False:  # a timing: what the calls returned need not cross
            results = [None] * len(results)
        return self.codec.encode({"results": results, "seconds": seconds})

    def stop_coverage(self) -> Any:
        if self.coverage is None:
            return None
        measure, path = self.coverage
        measure.stop()
        measure.json_report(outfile=path, show_contexts=False)
        with open(path, encoding="utf-8") as handle:
            files = json.load(handle).get("files", {})
        return self.codec.encode({
            os.path.relpath(os.path.realpath(name), self.work): {
                "summary": data["summary"],
                "missing_lines": data.get("missing_lines", []),
                "missing_branches": data.get("missing_branches", []),
            } for name, data in files.items()})


_ORIGINS: dict[int, tuple[int, BaseException]] = {}
