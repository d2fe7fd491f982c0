"""A learner process for `kata compare`: holds one implementation and runs operation
sequences and the kata's benchmark on it.

Requests and answers are JSON lines on stdin/stdout. Each sequence runs on a fresh
instance; a `start` one keeps its instance for the `call` requests that follow (a contract
property's calls, one at a time). An outcome is ("ok", repr of the value) or ("raise",
exception name).
"""

from __future__ import annotations

import builtins
import contextlib
import gc
import importlib.util
import json
import os
import sys
import tempfile
import timeit
from typing import Any

from harness.learner import guard, limits


def main(config_json: str) -> None:
    config = json.loads(config_json)
    # Limits and the guard come first: nothing of the learner's runs before them.
    limits.apply(config["limits"])
    work = config["work"]
    os.chdir(work)
    sys.path.append(work)
    guard.install(guard.Guard(work=work, run_dir=config["run_dir"], hidden=config["hidden"],
                              allow_processes=config["allow_processes"],
                              report=lambda reason: None))
    modules = {}
    for name in config["modules"]:
        path = os.path.join(work, name + ".py")
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"no loader for {path}", name=name, path=path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        modules[name] = module
    namespace = {name: module for name, module in modules.items()}
    for module in modules.values():
        namespace.update({k: v for k, v in vars(module).items() if not k.startswith("_")})
    kept = Session(namespace)
    out = sys.stdout
    sys.stdout = sys.stderr  # the learner's prints must not corrupt the answers
    for line in sys.stdin:
        request = json.loads(line)
        if "benchmark" in request:
            answer = _benchmark(request["benchmark"], namespace)
        elif "start" in request:  # a sequence whose instance stays for the calls that follow
            kept = Session(namespace)
            answer = {"outcomes": kept.start(request["start"])}
        elif "call" in request:  # one more call on the kept instance (a contract property)
            answer = {"outcomes": [kept.call(request["call"])]}
        else:
            answer = {"outcomes": run_sequence(request, namespace)}
        out.write(json.dumps(answer) + "\n")
        out.flush()


def run_sequence(request: dict, namespace: dict) -> list[list]:
    """Runs the operations on a fresh instance (`Session.start`), then closes the files the
    sequence left open: a store that keeps a raw descriptor is closed by its close(), which
    a model may never call, and thousands of sequences in one process would otherwise run
    out of the open-files limit (a file object closes itself when the instance goes)."""
    before = _open_descriptors()
    outcomes = Session(namespace).start(request)
    gc.collect()
    for fd in _open_descriptors() - before:
        with contextlib.suppress(OSError):
            os.close(fd)
    return outcomes


def _open_descriptors() -> set[int]:
    """The process's open descriptors (not the one that listed them, closed by then)."""
    try:
        listed = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # pragma: no cover -- no /proc: nothing is closed
        return set()
    return {fd for fd in listed if _is_open(fd)}


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


class Session:
    """One instance and what its calls returned: a sequence of operations, then, for a
    contract property, more calls one at a time."""

    def __init__(self, namespace: dict) -> None:
        self.namespace = namespace
        self.target: object = None
        self.broken = False  # the constructor raised: no instance to call
        self.results: list[object] = []
        self.arguments: list[object] = []  # the constructor's, for a `reopen` operation
        self.now = [0.0]

    def start(self, request: dict) -> list[list]:
        """Runs the operations on a fresh instance. The constructor is step 0 of the outcomes;
        an exception there ends the sequence, one from an operation is an outcome like any
        other.

        Arguments may be markers: `{"$result": k}` the value call k returned (each side its
        own, e.g. a random session id), `{"$clock": t}` a clock starting at t that `advance`
        operations move, `{"$folder": true}` a fresh empty folder, `{"$file": name}` a
        path of that name in one, `{"$make": name, "args": [...]}` what the kata's `name`
        returns for those arguments, `{"$bytes": text}` the text encoded, `{"$returns": v}`
        a function returning v, `{"$raises": true}` one that raises ZeroDivisionError."""
        outcomes: list[list] = []
        constructor = request.get("constructor")
        if constructor:
            try:
                self.arguments = [self._resolve(arg) for arg in constructor["args"]]
                self.target = self._named(constructor["name"])(*self.arguments)
            except Exception as exc:
                self.broken = True
                return [["raise", _name(exc)]]
            outcomes.append(["ok", "<constructed>"])  # step 0 is the constructor, both sides
        outcomes += [self.call(op) for op in request["ops"]]
        return outcomes

    def call(self, op: dict) -> list:
        """One operation on the instance: ("ok", what it returned as compared) or ("raise",
        the exception's name)."""
        if self.broken:
            return ["raise", "the constructor raised"]
        value = None
        try:
            args = [self._resolve(arg) for arg in op["args"]]
            on = args.pop(0) if op.get("on") else self.target  # a method of an earlier result
            keywords = args.pop() if op.get("kwargs") and args else {}
            if op.get("advance"):
                self.now[0] += args[0]
            elif op.get("reopen"):  # a new instance on the same folder, file or clock
                value = self.target = self._named(op["name"])(*self.arguments)
                self.results.append(value)
                return ["ok", "<constructed>"]  # as the constructor's step 0
            elif on is None:
                value = self.namespace[op["name"]](*args, **keywords)
            elif op.get("property"):
                value = getattr(on, op["name"])
            else:
                value = getattr(on, op["name"])(*args, **keywords)
            outcome = ["ok", _shown(value, op.get("show"))]
        except Exception as exc:
            outcome = ["raise", _name(exc)]
        self.results.append(value)
        return outcome

    def _named(self, name: str) -> Any:
        """A name of the kata's module, or an attribute of one (`TinyFS.mount`)."""
        first, *rest = name.split(".")
        found = self.namespace[first]
        for part in rest:
            found = getattr(found, part)
        return found

    def _resolve(self, arg: Any) -> Any:
        if isinstance(arg, dict) and "$result" in arg:
            return self.results[arg["$result"]]
        if isinstance(arg, dict) and "$clock" in arg:
            self.now[0] = float(arg["$clock"])
            return lambda: self.now[0]
        if isinstance(arg, dict) and "$bytes" in arg:
            return arg["$bytes"].encode()
        if isinstance(arg, dict) and "$returns" in arg:
            value = self._resolve(arg["$returns"])
            return lambda: value
        if isinstance(arg, dict) and "$raises" in arg:
            return lambda: 1 / 0
        if isinstance(arg, dict) and "$folder" in arg:
            return tempfile.mkdtemp(prefix="compare-", dir=os.getcwd())
        if isinstance(arg, dict) and "$make" in arg:
            return self._named(arg["$make"])(*map(self._resolve, arg["args"]))
        if isinstance(arg, dict) and "$file" in arg:
            return os.path.join(tempfile.mkdtemp(prefix="compare-", dir=os.getcwd()),
                                arg["$file"])
        return arg


def _shown(value: object, show: str | None = None) -> str:
    """The value as compared: its repr, or the repr of the kata's `show` expression over it
    (e.g. the fields the catalog fixes, leaving out a random id)."""
    try:
        if show:
            # kata.toml's own text, over builtins only: a learner's module-level `sorted` or
            # `type` must not change what is compared
            value = eval(show, {"__builtins__": builtins, "value": value})
        return repr(value)
    except Exception as exc:  # a broken __repr__ or a value without the shown fields
        return f"<{'show' if show else 'repr'} raised {_name(exc)}>"


def _name(exc: BaseException) -> str:
    """The exception's class name: one the kata names, or else the builtin it derives from."""
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins" or _is_kata_module(cls.__module__):
            return cls.__name__
    return type(exc).__name__


def _is_kata_module(name: str) -> bool:
    module = sys.modules.get(name)
    path = getattr(module, "__file__", "") or ""
    return path.startswith(os.getcwd() + os.sep)


def _benchmark(spec: dict, namespace: dict) -> dict:
    """Times the kata's workload: the best of each repeat, in seconds per run."""
    scope = dict(namespace)
    try:
        times = timeit.repeat(spec["code"], setup=spec.get("setup", "pass"),
                              repeat=int(spec.get("repeat", 5)), number=int(spec.get("number", 1)),
                              globals=scope)
    except Exception as exc:
        return {"error": f"{_name(exc)}: {exc}"}
    return {"times": times}
