"""The behaviour view of `kata compare`: differential testing of a submission against the
reference on the same generated operation sequences (Hypothesis, swarm testing), the first
divergence shrunk to a minimal sequence and printed as Python a learner can paste.

The model (`harness.model`, checked when the catalog loads) says which calls to generate;
each implementation runs in a learner process of its own (`Worker`).
"""

from __future__ import annotations

import builtins
import datetime
import random
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.catalog import Kata
from harness.errors import HarnessError
from harness.learner.sequences import FAILS
from harness.model import Model, Operation
from harness.sequences import Worker

#: one call of a sequence: the operation and its arguments (a `Ref` first for an `on` one)
Call = tuple[Operation, tuple[Any, ...]]
#: a generated example: the constructor's arguments and the calls
Case = tuple[tuple[Any, ...], list[Call]]


def strategy(spec: dict[str, Any]) -> Any:
    """Turns a spec from kata.toml (checked by `harness.model.check_spec`) into a Hypothesis
    strategy.

    `{one_of = [...]}` a value from the list, `{integers = [lo, hi]}`, `{floats = [lo, hi]}`,
    `{just = v}`, `{optional = spec}` (None or spec), `{dict = {key = spec}}`,
    `{list = spec, max = n}`, `{text = "alphabet", max = n}`; in operations, `{new = [...]}`
    a name the sequence has not created yet, `{known = [...]}` one it has, and
    `{result = "op", else = v}` what an earlier call of `op` (or of one of a list of operations)
    returned (v when none did yet);
    `{bytes = ["text", ...]}` one of the texts, UTF-8 encoded;
    `{returns = spec}` a function of no arguments returning a value of spec (a loader),
    `{raises = true}` one that raises ZeroDivisionError (a loader that fails),
    `{function = "expression over x"}` a function of one argument, `lambda x: expression`;
    `{sink = true}` one that takes any arguments and does nothing (a `send` that loses all);
    `{fails = [lo, hi], error = [names]}` a function that raises one of those builtin
    exceptions on its first n calls (n from lo to hi), then returns how many calls it took;
    `{exceptions = [[names], ...]}` one of the tuples of builtin exception classes;
    `{recorder = "name"}` the `append` of a list of that name, which operations marked
    `recorded` (named so) read (a `sleep` that records its delays);
    TOML dates and date-times (`2024-12-30T10:00:00`, `...Z`) are values like any other,
    printed as `datetime.datetime(...)`;
    for the constructor, `{clock = t}` a clock starting at t that operations marked `advance`
    move, `{folder = true}` a fresh empty folder, `{file = "name"}` the path of a file
    of that name, not there yet, in a fresh empty folder, `{make = "Name", args = [...]}`
    what the kata's `Name` (a class, say) returns for generated arguments, and
    `{channel = true}` a channel whose `send(packet)` keeps what it is given, counted by
    operations marked `sent`.
    """
    from hypothesis import strategies as st

    kind = next(k for k in spec if k not in ("max", "else", "args", "error"))
    value = spec[kind]
    if kind == "result":  # depends on the sequence (_argument); alone, its fallback
        return st.just(spec.get("else"))
    if kind == "clock":
        return st.just(Clock(float(value)))
    if kind == "folder":
        return st.just(Folder())
    if kind == "file":
        return st.just(File(str(value)))
    if kind == "make":
        return st.tuples(*(strategy(a) for a in spec.get("args", []))).map(
            lambda made: Make(str(value), made))
    if kind == "bytes":
        return st.sampled_from([Data(text) for text in value])
    if kind == "returns":
        return strategy(value).map(Returns)
    if kind == "raises":
        return st.just(Raises())
    if kind == "function":
        return st.just(Function(str(value)))
    if kind == "channel":
        return st.just(Channel())
    if kind == "sink":
        return st.just(Sink())
    if kind == "fails":
        return st.builds(Fails, st.integers(value[0], value[1]),
                         st.sampled_from(tuple(spec["error"])))
    if kind == "exceptions":
        return st.sampled_from(tuple(Exceptions(tuple(names)) for names in value))
    if kind == "recorder":
        return st.just(Recorder(str(value)))
    if kind in ("one_of", "new", "known"):  # new and known depend on the sequence: _argument
        return st.sampled_from(tuple(value))  # a tuple: Hypothesis reuses the strategy
    if kind == "integers":
        return st.integers(min_value=value[0], max_value=value[1])
    if kind == "floats":
        return st.floats(min_value=value[0], max_value=value[1], allow_nan=False)
    if kind == "just":
        return st.just(value)
    if kind == "optional":
        return st.none() | strategy(value)
    if kind == "dict":
        return st.fixed_dictionaries({k: strategy(v) for k, v in value.items()}).map(
            lambda made: {k: made[k] for k in value})  # kata.toml's order: keywords print so
    if kind == "list":
        return st.lists(strategy(value), max_size=int(spec.get("max", 5)))
    if kind == "text":
        return st.text(alphabet=str(value), max_size=int(spec.get("max", 8)))
    raise ValueError(f"unknown argument spec '{kind}' (harness.model lets none through)")


@dataclass(frozen=True)
class Ref:
    """An argument that is what call number `index` of the sequence returned."""

    index: int

    def __repr__(self) -> str:
        return f"r{self.index}"


@dataclass(frozen=True)
class Clock:
    """The injected clock, a function of no arguments; `advance` operations move it."""

    start: float

    def __repr__(self) -> str:
        return "lambda: now"


@dataclass(frozen=True)
class Folder:
    """A fresh empty folder for an implementation that keeps files."""

    def __repr__(self) -> str:
        return "tempfile.mkdtemp()"


@dataclass(frozen=True)
class File:
    """The path of a file, not there yet, in a fresh empty folder (a log, a disk image)."""

    name: str

    def __repr__(self) -> str:
        return f"os.path.join(tempfile.mkdtemp(), {self.name!r})"


@dataclass(frozen=True)
class Make:
    """What a class or function of the kata returns for these arguments (a device)."""

    name: str
    args: tuple[Any, ...]

    def __repr__(self) -> str:
        return f"{self.name}({', '.join(repr(a) for a in self.args)})"


def _within(args: Any) -> list[Any]:
    """The arguments and, inside each `Make`, its own, all the way down."""
    found = []
    for arg in args:
        found.append(arg)
        if isinstance(arg, Make):
            found += _within(arg.args)
    return found


@dataclass(frozen=True)
class Data:
    """Bytes, carried as their UTF-8 text (requests to the workers are JSON)."""

    text: str

    def __repr__(self) -> str:
        return repr(self.text.encode())


@dataclass(frozen=True)
class Returns:
    """A function of no arguments that returns `value` (a loader passed to the code)."""

    value: Any

    def __repr__(self) -> str:
        return f"lambda: {self.value!r}"


@dataclass(frozen=True)
class Sink:
    """A function that takes any arguments and does nothing (a `send` into a network that
    loses every message)."""

    def __repr__(self) -> str:
        return "lambda *args, **kwargs: None"


@dataclass(frozen=True)
class Raises:
    """A function of no arguments that fails, printed as one a learner can paste."""

    def __repr__(self) -> str:
        return "lambda: 1 / 0"


@dataclass(frozen=True)
class Fails:
    """A function that raises `error` (a builtin) on its first `times` calls, then returns
    how many calls it took: printed as a call of the helper `fails` (FAILS), defined above
    the counterexample."""

    times: int
    error: str

    def __repr__(self) -> str:
        return f"fails({self.times}, {self.error})"


@dataclass(frozen=True)
class Exceptions:
    """A tuple of builtin exception classes (what a retry retries on)."""

    names: tuple[str, ...]

    def __repr__(self) -> str:
        return f"({', '.join(self.names)}{',' if len(self.names) == 1 else ''})"


@dataclass(frozen=True)
class Recorder:
    """The `append` of the list `name`: a function that records what it is given."""

    name: str

    def __repr__(self) -> str:
        return f"{self.name}.append"


@dataclass(frozen=True)
class Function:
    """A function of one argument, `lambda x: <expression>` (builtins only)."""

    expression: str

    def __repr__(self) -> str:
        return f"lambda x: {self.expression}"


@dataclass(frozen=True)
class Channel:
    """A datagram channel that keeps every packet given to its `send` in the list `sent`."""

    def __repr__(self) -> str:
        return "SimpleNamespace(send=sent.append)"


def encoded(arg: Any) -> Any:
    if isinstance(arg, Data):
        return {"$bytes": arg.text}
    if isinstance(arg, Ref):
        return {"$result": arg.index}
    if isinstance(arg, Clock):
        return {"$clock": arg.start}
    if isinstance(arg, Folder):
        return {"$folder": True}
    if isinstance(arg, File):
        return {"$file": arg.name}
    if isinstance(arg, Make):
        return {"$make": arg.name, "args": [encoded(a) for a in arg.args]}
    if isinstance(arg, Returns):
        return {"$returns": encoded(arg.value)}
    if isinstance(arg, Raises):
        return {"$raises": True}
    if isinstance(arg, Function):
        return {"$function": arg.expression}
    if isinstance(arg, Channel):
        return {"$channel": True}
    if isinstance(arg, Sink):
        return {"$sink": True}
    if isinstance(arg, Fails):
        return {"$fails": arg.times, "error": arg.error}
    if isinstance(arg, Exceptions):
        return {"$exceptions": list(arg.names)}
    if isinstance(arg, Recorder):
        return {"$recorder": arg.name}
    if isinstance(arg, datetime.date):  # a TOML date or date-time (a datetime is a date)
        kind = "$datetime" if isinstance(arg, datetime.datetime) else "$date"
        return {kind: arg.isoformat()}
    if isinstance(arg, (list, tuple)):
        return [encoded(item) for item in arg]
    if isinstance(arg, dict):
        return {key: encoded(value) for key, value in arg.items()}
    return arg


def _has_dates(value: Any) -> bool:
    """Whether a value holds a date or datetime anywhere (its repr needs `import datetime`)."""
    if isinstance(value, datetime.date):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_dates(item) for item in value)
    if isinstance(value, dict):
        return any(_has_dates(item) for item in value.values())
    return isinstance(value, Returns) and _has_dates(value.value)


def _found(value: Any, kind: type) -> list[Any]:
    """The values of that kind in a value, inside lists, tuples and dicts too."""
    if isinstance(value, kind):
        return [value]
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in _found(item, kind)]
    if isinstance(value, dict):
        return [found for item in value.values() for found in _found(item, kind)]
    return []


# -- differential testing --------------------------------------------------------------------

@dataclass
class Divergence:
    """The first place where the submission and the reference behave differently."""

    seed: int
    code: str
    yours: str
    reference: str
    keep: int = 0  # how many calls it takes, the divergent one included

    def to_dict(self) -> dict[str, Any]:
        return {"seed": self.seed, "code": self.code, "yours": self.yours,
                "reference": self.reference}


@dataclass
class Differential:
    examples: int
    seed: int
    divergence: Divergence | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"examples": self.examples, "seed": self.seed,
                "divergence": self.divergence.to_dict() if self.divergence else None}


def differential(kata: Kata, model: Model, yours: dict[str, Path], reference: dict[str, Path],
                 *, examples: int = 500, seed: int | None = None,
                 isolation: str = "auto") -> Differential:
    """Runs generated operation sequences on both implementations, each in a process of its
    own, and shrinks the first divergence to a minimal sequence."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as with_seed

    seed = random.randrange(2**31) if seed is None else seed
    generated = sequences(model)
    report = Differential(examples=0, seed=seed)
    yours, reference = with_driver(kata, model, yours), with_driver(kata, model, reference)
    failing: list[tuple[Case, Divergence]] = []

    with Worker(kata, yours, isolation=isolation) as mine, \
            Worker(kata, reference, isolation=isolation) as theirs:
        @with_seed(seed)
        @settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                  suppress_health_check=list(HealthCheck),
                  phases=[Phase.generate])
        @given(generated)
        def check(case: Case) -> None:
            report.examples += 1
            found = _diverge(model, case, mine, theirs, seed)
            if found is not None:
                failing.append((case, found))
                raise AssertionError("diverged")

        try:
            with warnings.catch_warnings():  # a failing example's repr is never shown
                warnings.filterwarnings("ignore", "Generating overly large repr")
                check()
        except Exception:  # the shrunk failure, or Hypothesis saying it was flaky
            if failing:
                report.divergence = _minimise(model, *failing[-1], mine, theirs, seed)
    report.examples = min(report.examples, examples)
    return report


def with_driver(kata: Kata, model: Model, files: dict[str, Path]) -> dict[str, Path]:
    """The implementation's files, and the model's driver beside them when it has one (the
    operations are the driver's functions, run in the implementation's process)."""
    if model.driver is None:
        return files
    driver = kata.solution_path / model.driver
    if not driver.is_file():
        raise HarnessError(f"{kata.slug}: the model's driver {driver} is missing; "
                           "it ships with the reference")
    return {**files, model.driver: driver}


def _minimise(model: Model, case: Case, found: Divergence, mine: Worker,
              theirs: Worker, seed: int) -> Divergence:
    """Shrinks a diverging sequence: drops the calls after the divergence, then runs of calls
    (halves, quarters, ... single calls) whose removal keeps the sequences diverging, then a
    call together with the later calls that use what it returned, until no call can go."""
    constructor_args, calls = case
    calls = list(calls[:found.keep])
    size = max(1, len(calls) // 2)
    while True:
        start, removed = len(calls) - size, False
        while start >= 0:
            shorter = without(calls, start, size)
            again = (None if shorter is None else
                     _diverge(model, (constructor_args, shorter), mine, theirs, seed))
            if shorter is not None and again is not None:
                calls, found, removed = shorter[:again.keep], again, True
                start = min(start, len(calls) - size + 1)
            start -= 1
        if not removed:
            if size == 1:
                smaller = _drop_with_users(model, constructor_args, calls, mine, theirs, seed)
                if smaller is None:
                    return found
                calls, found = smaller
                continue
            size //= 2


def _drop_with_users(model: Model, constructor_args: tuple[Any, ...], calls: list[Call],
                     mine: Worker, theirs: Worker,
                     seed: int) -> tuple[list[Call], Divergence] | None:
    """The last resort of shrinking: a call that no run can drop alone, because a later call
    uses what it returned, dropped together with those users (and theirs): the shorter
    calls and their divergence, or None when no such drop keeps the two diverging."""
    for index in reversed(range(len(calls))):
        shorter = without_users(calls, index)
        if len(shorter) == len(calls) - 1:
            continue  # no user: the runs of one call tried it already
        again = _diverge(model, (constructor_args, shorter), mine, theirs, seed)
        if again is not None:
            return shorter[:again.keep], again
    return None


def without_users(calls: list[Call], index: int) -> list[Call]:
    """The calls without call `index` and every later call that uses what a dropped one
    returned, the references of the rest renumbered."""
    gone = {index}
    for later in range(index + 1, len(calls)):
        if any(isinstance(arg, Ref) and arg.index in gone for arg in calls[later][1]):
            gone.add(later)
    kept = [i for i in range(len(calls)) if i not in gone]
    renumbered = {old: new for new, old in enumerate(kept)}
    return [(op, tuple(Ref(renumbered[arg.index]) if isinstance(arg, Ref) else arg
                       for arg in args)) for op, args in (calls[i] for i in kept)]


def without(calls: list[Call], start: int, size: int) -> list[Call] | None:
    """The calls without calls[start:start + size], later references renumbered; None when a
    call that stays uses what a removed one returned."""
    def moved(arg: Any) -> Any:
        if not isinstance(arg, Ref) or arg.index < start:
            return arg
        return Ref(arg.index - size) if arg.index >= start + size else None

    shorter = []
    for op, args in calls[:start] + calls[start + size:]:
        new_args = tuple(moved(arg) for arg in args)
        if any(new is None and isinstance(old, Ref)
               for new, old in zip(new_args, args, strict=True)):
            return None
        shorter.append((op, new_args))
    return shorter


def sequences(model: Model, constructor_args: tuple[dict[str, Any], ...] | None = None) -> Any:
    """Constructor arguments (from `constructor_args`, else the model's specs) and a list of
    calls. Each example first picks which operations it may use (swarm testing) and how long
    it runs: a long sequence of only adds, removals and routes reaches states that a short
    uniform mix of every operation rarely does."""
    from hypothesis import strategies as st

    operations = model.operations
    specs = model.constructor_args if constructor_args is None else constructor_args

    @st.composite
    def sequence(draw: Any) -> Case:
        constructor_args = draw(st.tuples(*(strategy(a) for a in specs)))
        count = draw(st.integers(1, len(operations)))
        enabled = sorted(draw(st.permutations(range(len(operations))))[:count])
        length = draw(st.integers(1, model.max_operations))
        names: list[str] = []  # what `new` arguments have named so far, for `known` ones
        returned: dict[str, list[int]] = {}  # which calls of each operation came before
        chosen: list[Call] = []
        for _ in range(length):
            op = operations[draw(st.sampled_from(tuple(enabled)))]
            target: tuple[Any, ...] = ()
            if op.on:  # the object to call it on: what an earlier call returned
                earlier = sorted(i for name in op.on for i in returned.get(name, []))
                if not earlier:
                    continue
                target = (Ref(draw(st.sampled_from(earlier))),)
            args = tuple(draw(_argument(spec, names, returned)) for spec in op.args)
            returned.setdefault(op.name, []).append(len(chosen))
            chosen.append((op, target + args))
        return constructor_args, chosen

    return sequence()


def _argument(spec: dict[str, Any], names: list[str], returned: dict[str, list[int]]) -> Any:
    """The strategy for one argument, given the sequence so far: `new` prefers a name not used
    yet (and records it), `known` picks one already created, `result` an earlier call's
    value."""
    from hypothesis import strategies as st

    if "result" in spec:
        wanted = spec["result"] if isinstance(spec["result"], list) else [spec["result"]]
        earlier = sorted(i for name in wanted for i in returned.get(name, []))
        return st.sampled_from(earlier).map(Ref) if earlier else st.just(spec.get("else"))
    if "new" in spec:
        def created(name: str) -> str:
            names.append(name)
            return name

        unused = [name for name in spec["new"] if name not in names]
        return st.sampled_from(unused or list(spec["new"])).map(created)
    if "known" in spec:
        return st.sampled_from(names or list(spec["known"]))
    return strategy(spec)


def sequence_request(model: Model, case: Case) -> dict[str, Any]:
    constructor_args, calls = case
    return {"constructor": {"name": model.constructor,
                            "args": [encoded(a) for a in constructor_args]}
            if model.constructor else None,
            "ops": [{"name": op.name, "args": [encoded(a) for a in args],
                     "property": op.is_property, "show": op.show, "advance": op.advance,
                     "on": bool(op.on), "kwargs": op.kwargs, "with": op.block,
                     "sent": op.sent, "reopen": op.reopen, "recorded": op.recorded}
                    for op, args in calls]}


def _diverge(model: Model, case: Case, mine: Worker, theirs: Worker,
             seed: int) -> Divergence | None:
    request = sequence_request(model, case)
    with ThreadPoolExecutor(max_workers=2) as pool:
        a, b = pool.submit(mine.ask, request), pool.submit(theirs.ask, request)
        yours, reference = a.result(), b.result()
    yours_out = yours["outcomes"] if yours else [["hang", "did not answer within the limit"]]
    ref_out = reference["outcomes"] if reference else [["hang", "did not answer"]]
    constructor_args, calls = case
    steps: list[Call | None] = [None, *calls] if model.constructor else list(calls)
    offset = 1 if model.constructor else 0
    # calls that raise on both sides before the divergence: the pasted code must survive them
    raised = {index - offset: want[1] for index, want in enumerate(ref_out)
              if want[0] == "raise" and index >= offset}
    for index, (got, want) in enumerate(zip(yours_out, ref_out, strict=False)):
        step = steps[index]
        op = step[0] if step is not None else None
        if not _same(got, want, op.compare if op else "value"):
            return Divergence(seed, runnable(model, constructor_args, calls, index, raised),
                              describe(got), describe(want), _kept(model, index))
    if len(yours_out) != len(ref_out):
        index = min(len(yours_out), len(ref_out))
        got = yours_out[index] if index < len(yours_out) else ["hang", "stopped"]
        want = ref_out[index] if index < len(ref_out) else ["hang", "stopped"]
        return Divergence(seed, runnable(model, constructor_args, calls, index, raised),
                          describe(got), describe(want), _kept(model, index))
    return None


def _kept(model: Model, outcome: int) -> int:
    """How many calls lead up to outcome number `outcome` (step 0 is the constructor's)."""
    return outcome if model.constructor else outcome + 1


def _same(got: list[Any], want: list[Any], how: str) -> bool:
    if how == "kind" and got[0] == want[0] == "ok":
        return True
    return got == want


def describe(outcome: list[Any]) -> str:
    kind, value = outcome
    if kind == "ok":
        return str(value)
    if kind == "raise":
        return f"raises {value}"
    return str(value)


def runnable(model: Model, constructor_args: tuple[Any, ...], calls: list[Call], stop: int,
             raised: dict[int, str] | None = None, *, open_end: bool = False) -> str:
    """The sequence up to step `stop`, as Python a learner can paste into a shell. A call
    before the last (any call, with `open_end`) that raised in the reference is wrapped so
    the paste carries on; a call whose value a later one uses is bound to `r<number>`."""
    raised = raised or {}
    names = [model.constructor] if model.constructor else sorted(  # what a method is not
        {op.name for op, _ in calls if not op.on and not op.advance and not op.recorded})
    calls = calls[:stop] if model.constructor else calls[:stop + 1]
    reopens = [op.name for op, _ in calls if op.reopen]  # each binds the variable anew
    inside = _within(constructor_args)
    names = [name.split(".")[0] for name in [
        *names, *reopens, *(a.name for a in inside if isinstance(a, Make))]]
    last = -1 if open_end else len(calls) - 1
    wrapped = {raised[i] for i in range(len(calls)) if i in raised and i != last}
    names += sorted(name for name in wrapped if not hasattr(builtins, name))
    used = {arg.index for _, args in calls for arg in args if isinstance(arg, Ref)}
    lines = [f"from {model.module} import {', '.join(dict.fromkeys(names))}"]
    if wrapped:
        lines.insert(0, "from contextlib import suppress")
    if any(isinstance(a, (Folder, File)) for a in inside):
        lines.insert(0, "import tempfile")
    if any(isinstance(a, Channel) for a in constructor_args):
        lines.insert(0, "from types import SimpleNamespace")
        lines.append("sent = []")
    if _has_dates(list(constructor_args)) or any(_has_dates(list(args)) for _, args in calls):
        lines.insert(0, "import datetime")
    if any(isinstance(a, File) for a in inside):
        lines.insert(0, "import os")
    passed = [constructor_args, [args for _, args in calls]]
    if _found(passed, Fails):
        lines += [*FAILS.splitlines(), ""]  # the blank line ends the def in a Python shell
    lines += [f"{name} = []" for name in sorted({r.name for r in _found(passed, Recorder)})]
    lines += [f"now = {a.start!r}" for a in constructor_args if isinstance(a, Clock)]
    if model.constructor:
        arguments = ", ".join(repr(a) for a in constructor_args)
        if reopens:  # a reopen passes the same folder, file or clock: bound once, here
            lines.append(f"args = ({arguments}{',' if len(constructor_args) == 1 else ''})")
            arguments = "*args"
        lines.append(f"{model.variable} = {model.constructor}({arguments})")
    for index, (op, args) in enumerate(calls):
        target = repr(args[0]) if op.on else model.variable
        args = args[1:] if op.on else args
        keywords = args[-1] if op.kwargs and args else {}
        args = args[:-1] if op.kwargs and args else args
        arguments = ", ".join([*(repr(a) for a in args),
                               *(f"{key}={value!r}" for key, value in keywords.items())])
        if op.advance:
            line = f"now += {args[0]!r}"
        elif op.sent:
            line = "len(sent)"
        elif op.recorded:
            line = op.name
        elif op.reopen:
            line = f"{model.variable} = {op.name}(*args)"
        elif model.constructor or op.on:
            target = f"{target}.{op.name}"
            line = target if op.is_property else f"{target}({arguments})"
        else:
            line = f"{op.name}({arguments})"
        if op.block is not None:  # a with statement: the value is what `as` binds
            bound = f" as r{index}" if index in used else ""
            body = "pass" if op.block == "pass" else f"raise {op.block}"
            line = f"{line}{bound}: {body}"
            if index in raised and index != last:  # one with statement, both managers
                line = f"with suppress({raised[index]}), {line}"
            else:
                line = f"with {line}"
        elif index in used:
            line = f"r{index} = {line}"
        if index in raised and index != last and op.block is None:
            line = f"with suppress({raised[index]}): {line}"
        lines.append(line)
    return "\n".join(lines)

