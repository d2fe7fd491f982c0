"""`[model]` and `[benchmark]` of kata.toml, checked when the catalog loads.

`[model]` says how `kata compare` drives a kata on generated inputs: the constructor, the
operations, and a spec per argument; `[benchmark]` the workload it times. Both become typed,
frozen objects here, so a mistake in them is an error naming the file, the field and the fix
when any command loads the catalog, not when a learner first runs `kata compare`. Argument
specs stay as written (small tables, `{integers = [0, 9]}`); `harness.differential` turns them
into generators.
"""

from __future__ import annotations

import builtins
import keyword
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import CatalogError

#: kinds of argument spec, and the key each may carry beside its own
SPEC_KINDS = ("one_of", "new", "known", "integers", "floats", "just", "optional", "dict", "list",
              "text", "result", "bytes", "clock", "folder", "file", "make", "returns", "raises",
              "function", "channel", "sink", "fails", "exceptions", "recorder")
_SPEC_EXTRAS = {"list": "max", "text": "max", "result": "else", "make": "args", "fails": "error"}
_OPERATION_KEYS = ("name", "args", "property", "compare", "show", "advance", "on", "kwargs",
                   "with", "sent", "reopen", "recorded")
_MODEL_KEYS = ("constructor", "constructor_args", "variable", "operations", "max_operations",
               "driver")
_BENCHMARK_KEYS = ("description", "setup", "code", "repeat", "number", "timeout")
_EXAMPLE = "e.g. {one_of = [1, 2]} or {integers = [0, 9]}"

Fail = Callable[[str, str, str], CatalogError]


@dataclass(frozen=True)
class Operation:
    name: str
    args: tuple[dict[str, Any], ...] = ()
    is_property: bool = False
    compare: str = "value"  # "value": results must be equal; "kind": only ok/raise and which
    show: str | None = None  # an expression over `value`: what of the result is compared
    advance: bool = False  # not a method: moves the injected clock by its argument
    on: tuple[str, ...] = ()  # a method of what an earlier call of one of these returned
    kwargs: bool = False  # the last argument is a dict passed as keyword arguments
    # the call's value is a context manager, entered and left at once: "pass" (an empty
    # block) or the name of a builtin exception the block raises; None: a plain call
    block: str | None = None
    sent: bool = False  # not a method: how many packets the injected channel has taken
    reopen: bool = False  # not a method: `name` called on the constructor's arguments again
    recorded: bool = False  # not a method: what the recorder named `name` was given so far


@dataclass(frozen=True)
class Model:
    """What `[model]` in kata.toml declares: how to build an instance and drive it."""

    module: str
    constructor: str | None
    constructor_args: tuple[dict[str, Any], ...]
    variable: str
    operations: tuple[Operation, ...]
    max_operations: int = 12
    #: a Python file beside the reference (grading material) whose functions are the
    #: operations: it runs the kata's files (SQL, or a Python API that plain calls cannot
    #: drive, as structured-logging's) and returns what the contract fixes
    driver: str | None = None


@dataclass(frozen=True)
class Benchmark:
    """What `[benchmark]` in kata.toml declares: a workload timed on both implementations."""

    code: str
    setup: str = "pass"
    description: str = ""
    repeat: int = 5
    number: int = 1
    timeout: float = 60.0  # seconds for the whole measurement, per implementation

    @property
    def workload(self) -> str:
        return self.description or self.code

    def request(self) -> dict[str, Any]:
        """What the learner process needs to time it (harness.learner.sequences)."""
        return {"code": self.code, "setup": self.setup, "repeat": self.repeat,
                "number": self.number}


def parse_model(raw: dict[str, Any], files: tuple[str, ...], path: Path) -> Model | None:
    """Checks `[model]` of the kata.toml at `path`; None when the kata declares none."""
    if not raw:
        return None
    fail = _failer(path)
    _known_keys(raw, "model", _MODEL_KEYS, fail)
    driver = raw.get("driver")
    if driver is not None and not (isinstance(driver, str) and driver.endswith(".py")
                                   and driver[:-3].isidentifier()):
        raise fail("model.driver", f"is {driver!r}",
                   'name a Python file beside the reference, e.g. driver = "orders_model.py"')
    python_files = [driver[:-3]] if driver else [f[:-3] for f in files if f.endswith(".py")]
    if not python_files:
        raise fail("model", "needs a Python kata (no file of `files` ends in .py)",
                   "list the kata's Python file in files, or give a driver that runs "
                   'its files: driver = "orders_model.py"')
    entries = raw.get("operations")
    if not isinstance(entries, list) or not entries:
        raise fail("model.operations", "is missing or empty",
                   'list the calls to generate: operations = [{ name = "get" }]')
    operations = tuple(_operation(entry, f"model.operations[{number}]", path, fail)
                       for number, entry in enumerate(entries, start=1))
    names = {op.name for op in operations}
    for number, op in enumerate(operations, start=1):  # results are named by operation
        wanted = [(f"model.operations[{number}].on", name) for name in op.on]
        for index, spec in enumerate(op.args, start=1):
            result = spec.get("result", [])
            wanted += [(f"model.operations[{number}].args[{index}].result", name)
                       for name in ([result] if isinstance(result, str) else result)]
        for where, name in wanted:
            if name not in names:
                raise fail(where, f"names '{name}', which is not an operation",
                           f"use one of: {', '.join(sorted(names))}")
    constructor = raw.get("constructor")
    for number, op in enumerate(operations, start=1):
        if op.reopen and constructor is None:
            raise fail(f"model.operations[{number}].reopen", "needs a constructor to repeat",
                       'name the class: constructor = "KVStore"')
    if constructor is not None and not dotted_name(constructor):
        raise fail("model.constructor", f"is {constructor!r}",
                   'name the class (or its factory) to build, e.g. constructor = "LoadBalancer"')
    args = raw.get("constructor_args", [])
    if not isinstance(args, list):
        raise fail("model.constructor_args", f"is {args!r}", f"give a list of specs, {_EXAMPLE}")
    for index, spec in enumerate(args, start=1):
        check_spec(spec, f"model.constructor_args[{index}]", fail)
    recorders = {name for spec in [*args, *(s for op in operations for s in op.args)]
                 for name in recorders_in(spec)}
    for number, op in enumerate(operations, start=1):
        if op.recorded and op.name not in recorders:
            raise fail(f"model.operations[{number}].name", f"is '{op.name}', which no "
                       "{recorder = ...} spec names",
                       f'pass a recorder of that name: {{recorder = "{op.name}"}}')
    variable = raw.get("variable", "obj")
    if not isinstance(variable, str) or not variable.isidentifier():
        raise fail("model.variable", f"is {variable!r}", 'use a Python name, e.g. variable = "lb"')
    return Model(module=python_files[0], constructor=constructor, constructor_args=tuple(args),
                 variable=variable, operations=operations,
                 max_operations=_count(raw, "max_operations", 12, "model", fail), driver=driver)


def parse_benchmark(raw: dict[str, Any], path: Path) -> Benchmark | None:
    """Checks `[benchmark]` of the kata.toml at `path`; None when the kata declares none."""
    if not raw:
        return None
    fail = _failer(path)
    _known_keys(raw, "benchmark", _BENCHMARK_KEYS, fail)
    texts = {}
    for key, default in (("code", None), ("setup", "pass"), ("description", "")):
        value = raw.get(key, default)
        if not isinstance(value, str) or (key == "code" and not value.strip()):
            raise fail(f"benchmark.{key}", "is missing" if value is None else f"is {value!r}",
                       f'give the {"statements to time" if key == "code" else key} as a string')
        if key != "description":
            try:
                compile(value, f"{path} benchmark.{key}", "exec")
            except SyntaxError as exc:
                raise fail(f"benchmark.{key}", f"is not Python: {exc.msg} (line {exc.lineno})",
                           "fix the code") from None
        texts[key] = value
    timeout = raw.get("timeout", 60.0)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise fail("benchmark.timeout", f"must be a positive number, not {timeout!r}",
                   "give the seconds allowed, e.g. timeout = 60")
    return Benchmark(code=texts["code"], setup=texts["setup"], description=texts["description"],
                     repeat=_count(raw, "repeat", 5, "benchmark", fail),
                     number=_count(raw, "number", 1, "benchmark", fail), timeout=float(timeout))


def check_spec(spec: Any, where: str, fail: Fail) -> None:
    """Checks one argument spec (the kinds are described in `harness.differential.strategy`)."""
    kinds = [k for k in spec if k in SPEC_KINDS] if isinstance(spec, dict) else []
    if len(kinds) != 1:
        raise fail(where, f"is {spec!r}, not an argument spec",
                   f"give one of {', '.join(SPEC_KINDS)}, {_EXAMPLE}")
    kind = kinds[0]
    extra = _SPEC_EXTRAS.get(kind)
    for key in spec:
        if key not in (kind, extra):
            raise fail(f"{where}.{key}", f"is not known beside '{kind}'",
                       f"remove it{f' (only {extra} may go with {kind})' if extra else ''}")
    value = spec[kind]
    if kind in ("one_of", "new", "known", "bytes"):
        if not isinstance(value, list) or not value or (
                kind == "bytes" and not all(isinstance(v, str) for v in value)):
            raise fail(f"{where}.{kind}", f"is {value!r}", "give a non-empty list of values"
                       + (" (texts, sent UTF-8 encoded)" if kind == "bytes" else ""))
    elif kind in ("integers", "floats"):
        number = int if kind == "integers" else (int, float)
        if not (isinstance(value, list) and len(value) == 2 and all(
                isinstance(v, number) and not isinstance(v, bool) for v in value)
                and value[0] <= value[1]):
            raise fail(f"{where}.{kind}", f"is {value!r}", "give [lowest, highest], lowest first")
    elif kind in ("optional", "list", "returns"):
        check_spec(value, f"{where}.{kind}", fail)
    elif kind == "dict":
        if not isinstance(value, dict) or not value:
            raise fail(f"{where}.dict", f"is {value!r}", "give a table of specs: {key = spec}")
        for key, inner in value.items():
            check_spec(inner, f"{where}.dict.{key}", fail)
    elif kind == "text" and not (isinstance(value, str) and value):
        raise fail(f"{where}.text", f"is {value!r}", 'give the alphabet: {text = "abc"}')
    elif kind == "result" and not (isinstance(value, str) or isinstance(value, list) and value
                                   and all(isinstance(v, str) for v in value)):
        raise fail(f"{where}.result", f"is {value!r}", "name an operation, or list several")
    elif kind == "clock" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise fail(f"{where}.clock", f"is {value!r}", "give the time it starts at: {clock = 0}")
    elif kind == "file" and not (isinstance(value, str) and value and value not in (".", "..")
                                 and "/" not in value and "\\" not in value):
        raise fail(f"{where}.file", f"is {value!r}", 'give a file name: {file = "data.log"}')
    elif kind == "make":
        if not dotted_name(value):
            raise fail(f"{where}.make", f"is {value!r}",
                       'name a class or function of the kata: {make = "BlockDevice"}')
        made = spec.get("args", [])
        if not isinstance(made, list):
            raise fail(f"{where}.args", f"is {made!r}", f"give a list of specs, {_EXAMPLE}")
        for index, inner in enumerate(made, start=1):
            check_spec(inner, f"{where}.args[{index}]", fail)
    elif kind == "function":
        try:
            compile(f"lambda x: {value}", where, "eval")
        except (SyntaxError, TypeError):
            raise fail(f"{where}.function", f"is {value!r}, not an expression over x",
                       'give what fn(x) returns: {function = "x * 2"}') from None
    elif kind == "fails":
        if not (isinstance(value, list) and len(value) == 2 and all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
                and value[0] <= value[1]):
            raise fail(f"{where}.fails", f"is {value!r}",
                       "give how many calls fail, [fewest, most], from 0: {fails = [0, 6]}")
        errors = spec.get("error")
        if not (isinstance(errors, list) and errors and all(
                _builtin_exception(name, Exception) for name in errors)):
            raise fail(f"{where}.error", "is missing" if errors is None else f"is {errors!r}",
                       "list the builtin exceptions it may raise (subclasses of Exception), "
                       'e.g. error = ["ConnectionError", "ValueError"]')
    elif kind == "exceptions":
        if not (isinstance(value, list) and value and all(
                isinstance(names, list) and all(_builtin_exception(n) for n in names)
                for names in value)):
            raise fail(f"{where}.exceptions", f"is {value!r}",
                       "list tuples of builtin exception names, each a list: "
                       '{exceptions = [["ConnectionError"], ["OSError", "ValueError"], []]}')
    elif kind == "recorder" and not (isinstance(value, str) and value.isidentifier()
                                     and not keyword.iskeyword(value)):
        raise fail(f"{where}.recorder", f"is {value!r}",
                   'name the list it records into, a Python name: {recorder = "slept"}')
    elif kind in ("folder", "raises", "channel", "sink") and value is not True:
        raise fail(f"{where}.{kind}", f"is {value!r}", f"write {{{kind} = true}}")
    if extra == "max" and extra in spec and (isinstance(spec["max"], bool) or not isinstance(
            spec["max"], int) or spec["max"] < 0):
        raise fail(f"{where}.max", f"is {spec['max']!r}", "give a whole number, 0 or more")


def recorders_in(spec: Any) -> list[str]:
    """The names of the `{recorder = ...}` specs in a spec, nested ones included."""
    if not isinstance(spec, dict):
        return []
    if "recorder" in spec:
        return [spec["recorder"]]
    inner = [spec[k] for k in ("optional", "list", "returns") if k in spec]
    inner += list(spec.get("dict", {}).values()) + list(spec.get("args", []))
    return [name for nested in inner for name in recorders_in(nested)]


def _builtin_exception(name: Any, base: type[BaseException] = BaseException) -> bool:
    found = getattr(builtins, name, None) if isinstance(name, str) else None
    return isinstance(found, type) and issubclass(found, base)


def dotted_name(name: Any) -> bool:
    """A name of the kata's module, or an attribute of one: `KVStore`, `TinyFS.mount`."""
    return isinstance(name, str) and all(part.isidentifier() for part in name.split("."))


def _operation(entry: Any, where: str, path: Path, fail: Fail) -> Operation:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not (
            entry["name"].isidentifier() or entry.get("reopen") and dotted_name(entry["name"])):
        raise fail(f"{where}.name", "is missing" if not isinstance(entry, dict) else
                   f"is {entry.get('name')!r}", 'name the method to call: { name = "get" }')
    _known_keys(entry, where, _OPERATION_KEYS, fail)
    args = entry.get("args", [])
    if not isinstance(args, list):
        raise fail(f"{where}.args", f"is {args!r}", f"give a list of specs, {_EXAMPLE}")
    for index, spec in enumerate(args, start=1):
        check_spec(spec, f"{where}.args[{index}]", fail)
    for flag in ("property", "advance", "kwargs", "sent", "reopen", "recorded"):
        if not isinstance(entry.get(flag, False), bool):
            raise fail(f"{where}.{flag}", f"is {entry[flag]!r}", "write true or false")
    how = entry.get("compare", "value")
    if how not in ("value", "kind"):
        raise fail(f"{where}.compare", f"is {how!r}",
                   'use "value" (results equal) or "kind" (only returned or raised, and what)')
    show = entry.get("show")
    if show is not None:
        try:
            compile(show, str(path), "eval")
        except (SyntaxError, TypeError) as exc:
            problem = exc.msg if isinstance(exc, SyntaxError) else "is not a string"
            raise fail(f"{where}.show", f"is not an expression: {problem}",
                       "write a Python expression over `value`") from None
    on = entry.get("on", [])
    on = [on] if isinstance(on, str) else on
    if not isinstance(on, list) or not all(isinstance(name, str) for name in on):
        raise fail(f"{where}.on", f"is {entry['on']!r}",
                   "name the operations whose results it is called on")
    if entry.get("advance") and len(args) != 1:
        raise fail(f"{where}.args", "must hold one spec for an `advance` operation",
                   "give the seconds to move the clock by: args = [{ one_of = [1, 60] }]")
    block = entry.get("with")
    if block is not None and not (block is True or isinstance(block, str) and isinstance(
            getattr(builtins, block, None), type) and issubclass(getattr(builtins, block),
                                                                  BaseException)):
        raise fail(f"{where}.with", f"is {block!r}",
                   'write with = true (an empty block) or the builtin exception the block '
                   'raises, e.g. with = "ValueError"')
    if entry.get("reopen") and (args or on):
        raise fail(f"{where}.args", "must be empty for a `reopen` operation: it is called "
                   "with the constructor's arguments", "remove args and on")
    if entry.get("recorded") and (args or on):
        raise fail(f"{where}.args", "must be empty for a `recorded` operation: it reads what "
                   "the recorder named by its name was given", "remove args and on")
    return Operation(entry["name"], tuple(args), entry.get("property", False), how, show,
                     entry.get("advance", False), tuple(on), entry.get("kwargs", False),
                     None if block is None else "pass" if block is True else block,
                     entry.get("sent", False), entry.get("reopen", False),
                     entry.get("recorded", False))


def _count(raw: dict[str, Any], key: str, default: int, table: str, fail: Fail) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise fail(f"{table}.{key}", f"must be a whole number from 1, not {value!r}",
                   "fix the value")
    return value


def _known_keys(raw: dict[str, Any], where: str, known: tuple[str, ...], fail: Fail) -> None:
    for key in raw:
        if key not in known:
            raise fail(f"{where}.{key}", "is not known", f"use only {', '.join(known)}")


def _failer(path: Path) -> Fail:
    def fail(field_name: str, problem: str, fix: str) -> CatalogError:
        return CatalogError(f"{path}: field '{field_name}' {problem}; {fix}")

    return fail
