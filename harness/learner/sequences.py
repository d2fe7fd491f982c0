"""A learner process for `kata compare`: holds one implementation and runs operation
sequences and the kata's benchmark on it.

Requests and answers are JSON lines on stdin/stdout. Each sequence runs on a fresh
instance of freshly imported modules, as a counterexample pasted into a new Python does; a
`start` one keeps its instance for the `call` requests that follow (a contract property's
calls, one at a time). An outcome is ("ok", repr of the value) or ("raise", exception
name), or ("blocked", why) for a `with` block that did not finish.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime
import gc
import importlib.util
import json
import os
import sys
import tempfile
import threading
import timeit
from types import SimpleNamespace
from typing import Any

from harness.learner import guard, limits

#: seconds a `with` block may take before it counts as blocked: a block of an operations
#: model never waits for another thread, so a correct one takes microseconds
BLOCK_WAIT = 2.0


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
    namespace = load(config["modules"], work)
    kept = Session(namespace)
    out = sys.stdout
    sys.stdout = sys.stderr  # the learner's prints must not corrupt the answers
    for line in sys.stdin:
        request = json.loads(line)
        if "benchmark" in request:
            answer = _benchmark(request["benchmark"], namespace)
        elif "call" in request:  # one more call on the kept instance (a contract property)
            answer = {"outcomes": [kept.call(request["call"])]}
        else:
            # every sequence as in a fresh Python, as its printed counterexample runs: the
            # modules anew, so what one left in a class attribute, a module global or a
            # mutable default cannot make another diverge
            try:
                namespace = load(config["modules"], work)
            except Exception as exc:
                answer = {"outcomes": [["raise", _name(exc)]]}
            else:
                if "start" in request:  # its instance stays for the calls that follow
                    kept = Session(namespace)
                    answer = {"outcomes": kept.start(request["start"])}
                else:
                    answer = {"outcomes": run_sequence(request, namespace)}
        out.write(json.dumps(answer) + "\n")
        out.flush()


def load(names: list[str], work: str) -> dict:
    """Imports the modules (the kata's files, a model's driver) from `work`, replacing any
    earlier import of them; their public names, and the modules by name."""
    modules = {}
    for name in names:
        path = os.path.join(work, name + ".py")
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"no loader for {path}", name=name, path=path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        modules[name] = module
    namespace: dict = dict(modules)
    for module in modules.values():
        namespace.update({k: v for k, v in vars(module).items() if not k.startswith("_")})
    return namespace


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


#: a function the model passes (`{fails = [lo, hi], error = [...]}`): the same text runs here
#: and is printed above a counterexample (harness.differential), so the pasted code does what
#: the compared run did; no blank line inside, so it pastes into an interactive Python too
FAILS = '''\
def fails(times, error):
    """Raises error on its first `times` calls, then returns how many calls it took."""
    calls = []
    def func():
        calls.append(None)
        if len(calls) <= times:
            raise error(f"call {len(calls)}")
        return len(calls)
    return func
'''
_helpers: dict[str, Any] = {}
exec(FAILS, _helpers)  # the constant above: the harness's own text
fails = _helpers["fails"]


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
        self.sent: list[object] = []  # what the injected channel was given
        self.recorded: dict[str, list[object]] = {}  # what each named recorder was given
        self.stuck = False  # a `with` block never finished: the instance is not usable

    def start(self, request: dict) -> list[list]:
        """Runs the operations on a fresh instance. The constructor is step 0 of the outcomes;
        an exception there ends the sequence, one from an operation is an outcome like any
        other.

        Arguments may be markers: `{"$result": k}` the value call k returned (each side its
        own, e.g. a random session id), `{"$clock": t}` a clock starting at t that `advance`
        operations move, `{"$folder": true}` a fresh empty folder, `{"$file": name}` a
        path of that name in one, `{"$make": name, "args": [...]}` what the kata's `name`
        returns for those arguments, `{"$bytes": text}` the text encoded, `{"$returns": v}`
        a function returning v, `{"$raises": true}` one that raises ZeroDivisionError,
        `{"$function": "x * 2"}` a function of one argument, `{"$channel": true}` a channel
        keeping what its `send` is given, `{"$sink": true}` one that takes any arguments and
        does nothing, `{"$fails": n, "error": name}` a function that raises that builtin
        exception on its first n calls, then returns how many calls it took,
        `{"$exceptions": [names]}` a tuple of builtin exception classes,
        `{"$recorder": name}` the `append` of the list of that name (read by an operation
        marked `recorded`), `{"$datetime": iso}` / `{"$date": iso}` a datetime or date; inside
        lists and dicts too."""
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
        if self.stuck:
            return ["blocked", "an earlier with block never finished"]
        value: object = None
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
            elif op.get("sent"):
                value = len(self.sent)
            elif op.get("recorded"):  # a copy: what was recorded up to now
                value = list(self.recorded.get(op["name"], []))
            elif op.get("with"):
                value = self._block(getattr(on, op["name"]), args, keywords, op["with"])
            elif on is None:
                value = self.namespace[op["name"]](*args, **keywords)
            elif op.get("property"):
                value = getattr(on, op["name"])
            else:
                value = getattr(on, op["name"])(*args, **keywords)
            outcome = ["ok", _shown(value, op.get("show"))]
        except Blocked as exc:
            self.stuck = True
            outcome = ["blocked", str(exc)]
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

    @staticmethod
    def _block(method: Any, args: list, keywords: dict, inside: str) -> object:
        """`with method(*args) as value:` an empty block, or one raising the builtin
        `inside`; what `as` bound. It runs in a thread of its own, so that a block that
        waits forever (a lock never released) is reported instead of hanging the process."""
        done: list[tuple[bool, object]] = []

        def run() -> None:
            try:
                with method(*args, **keywords) as value:
                    if inside != "pass":
                        raise getattr(builtins, inside)()
                done.append((True, value))
            except BaseException as exc:  # noqa: BLE001 -- handed to the caller
                done.append((False, exc))

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(BLOCK_WAIT)
        if not done:
            raise Blocked(f"did not finish within {BLOCK_WAIT:g} s: it waits for something "
                          "that never happens")
        ok, value = done[0]
        if not ok:
            raise value  # type: ignore[misc]
        return value

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
        if isinstance(arg, dict) and "$function" in arg:
            return eval(f"lambda x: {arg['$function']}", {"__builtins__": builtins})
        if isinstance(arg, dict) and "$channel" in arg:
            return SimpleNamespace(send=self.sent.append)
        if isinstance(arg, dict) and "$sink" in arg:
            return lambda *args, **kwargs: None
        if isinstance(arg, dict) and "$fails" in arg:
            return fails(int(arg["$fails"]), _builtin(arg["error"]))
        if isinstance(arg, dict) and "$exceptions" in arg:
            return tuple(_builtin(name) for name in arg["$exceptions"])
        if isinstance(arg, dict) and "$recorder" in arg:
            return self.recorded.setdefault(arg["$recorder"], []).append
        if isinstance(arg, dict) and "$folder" in arg:
            return tempfile.mkdtemp(prefix="compare-", dir=os.getcwd())
        if isinstance(arg, dict) and "$make" in arg:
            return self._named(arg["$make"])(*map(self._resolve, arg["args"]))
        if isinstance(arg, dict) and "$file" in arg:
            return os.path.join(tempfile.mkdtemp(prefix="compare-", dir=os.getcwd()),
                                arg["$file"])
        if isinstance(arg, dict) and "$datetime" in arg:
            return datetime.datetime.fromisoformat(arg["$datetime"])
        if isinstance(arg, dict) and "$date" in arg:
            return datetime.date.fromisoformat(arg["$date"])
        if isinstance(arg, list):  # a list or a dict of values: each may be a marker
            return [self._resolve(item) for item in arg]
        if isinstance(arg, dict):
            return {key: self._resolve(value) for key, value in arg.items()}
        return arg


def _builtin(name: str) -> type[BaseException]:
    """A builtin exception class by name (kata.toml names only those: harness.model)."""
    found = getattr(builtins, name)
    if not (isinstance(found, type) and issubclass(found, BaseException)):
        raise TypeError(f"{name} is not a builtin exception")
    return found


class Blocked(Exception):  # noqa: N818 -- what the block did
    """A `with` block did not finish within BLOCK_WAIT."""


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
