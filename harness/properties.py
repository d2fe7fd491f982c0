"""Contract properties for `kata compare`: where the catalog leaves behaviour free (which
server an ip maps to, a random id), the reference's values are no yardstick, but what the
contract fixes about that behaviour can still be checked on the learner's code alone.

A kata's properties live with its grading material, in `solutions/<slug>/properties.py`:
functions marked `@prop(...)`, each given the learner's instance after a generated
operation sequence (the kata's `[model]`) and generated inputs, returning None or what
came back that the contract forbids; the docstring says what the contract says. The
instance is a stand-in: each call runs in the learner's process (the `Worker` that the
differential view uses), and a call that raised raises `Raised` here. A failing example
is shrunk like a divergence: runs of calls, then list inputs' items, while it still fails.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import inspect
import random
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.catalog import Kata
from harness.differential import (
    Call,
    Case,
    describe,
    encoded,
    runnable,
    sequence_request,
    sequences,
    strategy,
    without,
)
from harness.errors import CatalogError
from harness.model import Model, Operation, check_spec
from harness.sequences import Worker

PROPERTIES_FILE = "properties.py"
HUNG = "<hung>"  # the name a `Raised` carries for a call that did not answer
#: they need a sequence or a side
_NOT_INPUTS = ("new", "known", "result", "clock", "folder", "file", "channel", "recorder")


class Raised(Exception):  # noqa: N818 -- it says what the learner's call did
    """A call on the learner's instance raised `name` (its class name, as the differential
    view names exceptions), or did not answer within the limit."""

    def __init__(self, name: str, call: str) -> None:
        super().__init__(f"{call} did not answer within the limit" if name == HUNG
                         else f"{call} raised {name}")
        self.name = name
        self.call = call


@dataclass(frozen=True)
class Declared:
    """What `@prop` attaches to a property function."""

    constructor_args: tuple[dict[str, Any], ...] | None
    inputs: dict[str, dict[str, Any]]
    max_operations: int | None = None


def prop(*, constructor_args: list[dict[str, Any]] | None = None,
         max_operations: int | None = None,
         **inputs: dict[str, Any]) -> Callable[[Callable[..., str | None]],
                                                Callable[..., str | None]]:
    """Marks a contract property. `constructor_args` replace the model's specs (e.g.
    `[{"just": "ip_hash"}]`) and `max_operations` its longest sequence; each other keyword
    is an input, given as an argument spec of kata.toml (`{"list": {"one_of": [...]},
    "max": 8}`), passed to the function by name."""
    def mark(function: Callable[..., str | None]) -> Callable[..., str | None]:
        where = f"{function.__code__.co_filename}: property {function.__name__}"

        def fail(field_name: str, problem: str, fix: str) -> CatalogError:
            return CatalogError(f"{where}: '{field_name}' {problem}; {fix}")

        for index, spec in enumerate(constructor_args or [], start=1):
            check_spec(spec, f"constructor_args[{index}]", fail)
        for name, spec in inputs.items():
            check_spec(spec, name, fail)
            if any(kind in spec for kind in _NOT_INPUTS):
                raise fail(name, f"is {spec!r}", f"an input takes none of {', '.join(_NOT_INPUTS)}")
        if max_operations is not None and (isinstance(max_operations, bool) or not isinstance(
                max_operations, int) or max_operations < 1):
            raise fail("max_operations", f"is {max_operations!r}", "give a whole number from 1")
        if not function.__doc__:
            raise fail("docstring", "is missing", "say what the contract says, in one line")
        function.__kata_property__ = Declared(  # type: ignore[attr-defined]
            tuple(constructor_args) if constructor_args is not None else None, dict(inputs),
            max_operations)
        return function

    return mark


@dataclass(frozen=True)
class Property:
    name: str
    contract: str  # the docstring's first line: what the contract says
    function: Callable[..., str | None]
    declared: Declared


def load(kata: Kata) -> list[Property]:
    """The properties of `solutions/<slug>/properties.py`, in the file's order; none when
    the kata has no such file. Grading material, so trusted: it runs in the harness."""
    path = kata.solution_path / PROPERTIES_FILE
    if not path.is_file():
        return []
    name = f"_kata_properties_{kata.slug.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CatalogError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    found = [value for value in vars(module).values()
             if inspect.isfunction(value) and hasattr(value, "__kata_property__")]
    return [Property(f.__name__, (f.__doc__ or "").strip().splitlines()[0], f,
                     vars(f)["__kata_property__"]) for f in found]


# -- the learner's instance, through its process -----------------------------------------------

#: one call a property made: the operation, its arguments, and its outcome
Probe = tuple[Operation, tuple[Any, ...], list[Any]]


class Instance:
    """Stands for the learner's instance: `lb.route_request({...})` runs the call in the
    learner's process and gives back the value (rebuilt from its repr where it is a literal,
    else the repr), or raises `Raised`. A model operation marked `property` is read as an
    attribute (`lb.servers`); one marked `advance`, `sent` or `recorded` is called by its
    name, as in the model (`sender.wait(6)` moves the clock, `sender.sent()` counts the
    channel's packets)."""

    def __init__(self, model: Model, worker: Worker, probes: list[Probe]) -> None:
        self._attributes = {op.name for op in model.operations if op.is_property}
        self._sides = {op.name: Operation(op.name, advance=op.advance, sent=op.sent,
                                          recorded=op.recorded)
                       for op in model.operations if op.advance or op.sent or op.recorded}
        self._variable = model.variable
        self._worker = worker
        self._probes = probes

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._attributes:
            return self._call(Operation(name, is_property=True), ())
        if name in self._sides:
            return lambda *args: self._call(self._sides[name], args)

        def method(*args: Any, **keywords: Any) -> Any:
            return self._call(Operation(name, kwargs=bool(keywords)),
                              args + ((keywords,) if keywords else ()))

        return method

    def _call(self, op: Operation, args: tuple[Any, ...]) -> Any:
        answer = self._worker.ask({"call": {
            "name": op.name, "args": [encoded(a) for a in args], "property": op.is_property,
            "kwargs": op.kwargs, "advance": op.advance, "sent": op.sent,
            "recorded": op.recorded}})
        outcome = answer["outcomes"][0] if answer else ["hang", "did not answer within the limit"]
        self._probes.append((op, args, outcome))
        if outcome[0] == "ok":
            try:
                return ast.literal_eval(outcome[1])
            except (ValueError, SyntaxError):
                return outcome[1]
        shown = ", ".join(repr(a) for a in args)
        call = f"{self._variable}.{op.name}" + ("" if op.is_property else f"({shown})")
        raise Raised(outcome[1] if outcome[0] == "raise" else HUNG, call)


# -- checking and shrinking ------------------------------------------------------------------

#: an example: the sequence before the property, and the property's inputs
Example = tuple[Case, dict[str, Any]]


@dataclass
class Counterexample:
    code: str  # the calls, as Python to paste; a property's calls end with what they returned
    came_back: str  # what the property found
    contract: str  # what the contract says

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "came_back": self.came_back, "contract": self.contract}


@dataclass
class PropertyReport:
    name: str
    contract: str
    seed: int
    examples: int = 0
    counterexample: Counterexample | None = None
    unbuilt: str | None = None  # what the constructor raised, when it did in every example

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "contract": self.contract, "seed": self.seed,
                "examples": self.examples, "unbuilt": self.unbuilt,
                "counterexample": self.counterexample and self.counterexample.to_dict()}


@dataclass
class _Failure:
    example: Example
    came_back: str
    start: list[Any] = field(default_factory=list)  # the sequence's outcomes
    probes: list[Probe] = field(default_factory=list)


def check(kata: Kata, model: Model, files: dict[str, Path], *, examples: int = 500,
          seed: int | None = None, isolation: str = "auto") -> list[PropertyReport]:
    """Checks each of the kata's properties on the implementation in `files` (the learner's,
    in a process of its own), over `examples` generated examples each."""
    found = load(kata)
    if not found:
        return []
    seed = random.randrange(2**31) if seed is None else seed
    with Worker(kata, files, isolation=isolation) as worker:
        return [_check(model, prop, worker, examples, seed) for prop in found]


def _check(model: Model, prop: Property, worker: Worker, examples: int,
           seed: int) -> PropertyReport:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as with_seed
    from hypothesis import strategies as st

    report = PropertyReport(prop.name, prop.contract, seed)
    failing: list[_Failure] = []
    unbuilt: list[str] = []  # one per example whose constructor raised
    if prop.declared.max_operations is not None:
        model = dataclasses.replace(model, max_operations=prop.declared.max_operations)
    generated = st.tuples(sequences(model, prop.declared.constructor_args),
                          st.fixed_dictionaries({name: strategy(spec) for name, spec
                                                 in prop.declared.inputs.items()}))

    @with_seed(seed)
    @settings(max_examples=examples, database=None, deadline=None, derandomize=False,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(generated)
    def run(example: Example) -> None:
        report.examples += 1
        failure = _attempt(model, prop, example, worker, unbuilt)
        if failure is not None:
            failing.append(failure)
            raise AssertionError("the property failed")

    try:
        with warnings.catch_warnings():  # a failing example's repr is never shown
            warnings.filterwarnings("ignore", "Generating overly large repr")
            run()
    except Exception:  # the failure, or Hypothesis saying it was flaky
        if failing:
            failure = _shrink(model, prop, failing[-1], worker)
            report.counterexample = Counterexample(_code(model, failure), failure.came_back,
                                                   prop.contract)
    report.examples = min(report.examples, examples)
    if report.counterexample is None and unbuilt and len(unbuilt) == report.examples:
        report.unbuilt = unbuilt[-1]  # nothing was checked: no ✓ for it
    return report


def _attempt(model: Model, prop: Property, example: Example, worker: Worker,
             unbuilt: list[str] | None = None) -> _Failure | None:
    """Runs the sequence, then the property on the instance it leaves; the failure, if any.
    An example whose constructor raised checks nothing (noted in `unbuilt`)."""
    case, inputs = example
    answer = worker.ask({"start": sequence_request(model, case)})
    if answer is None:
        return _Failure(example, "the sequence did not finish within the limit")
    start = answer["outcomes"]
    if model.constructor and start[0][0] != "ok":
        if unbuilt is not None:  # no instance: the behaviour view shows what it raised
            arguments = ", ".join(repr(a) for a in case[0])
            unbuilt.append(f"{model.constructor}({arguments}) raised {start[0][1]}")
        return None
    probes: list[Probe] = []
    try:
        said = prop.function(Instance(model, worker, probes), **inputs)
    except Raised as exc:
        said = str(exc)
    except Exception as exc:  # what came back was not what the property could read
        said = f"the property could not read what came back: {type(exc).__name__}: {exc}"
    return None if said is None else _Failure(example, str(said), start, probes)


def _shrink(model: Model, prop: Property, failure: _Failure, worker: Worker) -> _Failure:
    """Removes runs of calls (halves, quarters, ... single calls), then items of list inputs,
    one at a time, while the property still fails."""
    def again(calls: list[Call], inputs: dict[str, Any]) -> _Failure | None:
        return _attempt(model, prop, ((constructor_args, calls), inputs), worker)

    (constructor_args, calls), inputs = failure.example
    calls = list(calls)
    size = max(1, len(calls) // 2)
    while calls:
        start, removed = len(calls) - size, False
        while start >= 0:
            shorter = without(calls, start, size)
            found = None if shorter is None else again(shorter, inputs)
            if shorter is not None and found is not None:
                calls, failure, removed = shorter, found, True
                start = min(start, len(calls) - size + 1)
            start -= 1
        if not removed:
            if size == 1:
                break
            size //= 2
    for name, value in inputs.items():
        index = len(value) - 1 if isinstance(value, list) else -1
        while index >= 0:
            fewer = {**inputs, name: value[:index] + value[index + 1:]}
            found = again(calls, fewer)
            if found is not None:
                inputs, value, failure = fewer, fewer[name], found
            index -= 1
    return failure


def _code(model: Model, failure: _Failure) -> str:
    """The sequence and the property's calls as Python to paste, each of the property's
    calls followed by what it returned or raised."""
    (constructor_args, calls), _ = failure.example
    offset = 1 if model.constructor else 0
    every = list(calls) + [(op, args) for op, args, _ in failure.probes]
    outcomes = failure.start[offset:] + [outcome for *_, outcome in failure.probes]
    raised = {index: outcome[1] for index, outcome in enumerate(outcomes)
              if outcome[0] == "raise"}
    stop = len(every) if model.constructor else len(every) - 1
    lines = runnable(model, constructor_args, every, stop, raised, open_end=True).splitlines()
    first = len(lines) - len(failure.probes)
    for number, (op, _, outcome) in enumerate(failure.probes):
        if not op.advance:  # `now += 6` moves the clock: it returns nothing to show
            lines[first + number] += f"  # {describe(outcome)}"
    return "\n".join(lines)
