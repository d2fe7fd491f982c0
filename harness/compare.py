"""`kata compare`: a submission beside the reference solution.

Five views: the hidden suite's verdicts side by side; behaviour on the same
generated inputs (differential testing with Hypothesis, shrunk to a minimal
sequence printed as runnable Python); speed on the kata's workload; the lines of
the submission the suite never ran; and, once passed or revealed, the reference
with its notes and a diff.
"""

from __future__ import annotations

import builtins
import difflib
import random
import statistics
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import runner
from harness.catalog import Kata, require_hidden_suite, require_reference
from harness.errors import CatalogError
from harness.result import RunResult, Status
from harness.sequences import Worker

# -- the operation model ---------------------------------------------------------------------

@dataclass(frozen=True)
class Operation:
    name: str
    args: tuple[dict, ...] = ()
    is_property: bool = False
    compare: str = "value"  # "value": results must be equal; "kind": only ok/raise and which
    show: str | None = None  # an expression over `value`: what of the result is compared
    advance: bool = False  # not a method: moves the injected clock by its argument
    on: tuple[str, ...] = ()  # a method of what an earlier call of one of these returned
    kwargs: bool = False  # the last argument is a dict passed as keyword arguments


@dataclass(frozen=True)
class Model:
    """What `[model]` in kata.toml declares: how to build an instance and drive it."""

    module: str
    constructor: str | None
    constructor_args: tuple[dict, ...]
    variable: str
    operations: tuple[Operation, ...]
    max_operations: int = 12


def load_model(kata: Kata) -> Model | None:
    """Reads the kata's model; None when it declares none. Errors name the field."""
    raw = kata.model
    if not raw:
        return None
    where = kata.path / "kata.toml"

    def fail(field_name: str, problem: str) -> CatalogError:
        return CatalogError(f"{where}: field 'model.{field_name}' {problem}")

    operations = []
    for number, entry in enumerate(raw.get("operations", []), start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise fail(f"operations[{number}]", "needs a name")
        args = entry.get("args", [])
        for spec in args:
            strategy(spec, f"model.operations[{number}]")  # validates the spec
        show = entry.get("show")
        if show is not None:
            try:
                compile(show, where, "eval")
            except SyntaxError as exc:
                raise fail(f"operations[{number}].show",
                           f"is not an expression: {exc.msg}") from exc
        on = entry.get("on", [])
        operations.append(Operation(entry["name"], tuple(args), bool(entry.get("property")),
                                    str(entry.get("compare", "value")), show,
                                    bool(entry.get("advance")),
                                    tuple([on] if isinstance(on, str) else on),
                                    bool(entry.get("kwargs"))))
    if not operations:
        raise fail("operations", "is empty: list the calls to generate")
    python_files = [f[:-3] for f in kata.files if f.endswith(".py")]
    if not python_files:
        raise fail("", "needs a Python kata")
    constructor_args = tuple(raw.get("constructor_args", []))
    for spec in constructor_args:
        strategy(spec, "model.constructor_args")
    return Model(module=python_files[0], constructor=raw.get("constructor"),
                 constructor_args=constructor_args, variable=str(raw.get("variable", "obj")),
                 operations=tuple(operations), max_operations=int(raw.get("max_operations", 12)))


def strategy(spec: Any, where: str = "model"):
    """Turns a spec from kata.toml into a Hypothesis strategy.

    `{one_of = [...]}` a value from the list, `{integers = [lo, hi]}`, `{floats = [lo, hi]}`,
    `{just = v}`, `{optional = spec}` (None or spec), `{dict = {key = spec}}`,
    `{list = spec, max = n}`, `{text = "alphabet", max = n}`; in operations, `{new = [...]}`
    a name the sequence has not created yet, `{known = [...]}` one it has, and
    `{result = "op", else = v}` what an earlier call of `op` (or of one of a list of operations)
    returned (v when none did yet);
    `{bytes = ["text", ...]}` one of the texts, UTF-8 encoded;
    for the constructor, `{clock = t}` a clock starting at t that operations marked `advance`
    move, and `{folder = true}` a fresh empty folder.
    """
    from hypothesis import strategies as st

    if not isinstance(spec, dict) or len(set(spec) - {"max", "else"}) != 1:
        raise CatalogError(f"{where}: {spec!r} is not an argument spec (e.g. {{one_of = [1, 2]}})")
    kind = next(k for k in spec if k not in ("max", "else"))
    value = spec[kind]
    if kind == "result":  # depends on the sequence (_argument); alone, its fallback
        return st.just(spec.get("else"))
    if kind == "clock":
        return st.just(Clock(float(value)))
    if kind == "folder":
        return st.just(Folder())
    if kind == "bytes":
        return st.sampled_from([Data(text) for text in value])
    if kind in ("one_of", "new", "known"):  # new and known depend on the sequence: _argument
        return st.sampled_from(list(value))
    if kind == "integers":
        return st.integers(min_value=value[0], max_value=value[1])
    if kind == "floats":
        return st.floats(min_value=value[0], max_value=value[1], allow_nan=False)
    if kind == "just":
        return st.just(value)
    if kind == "optional":
        return st.none() | strategy(value, where)
    if kind == "dict":
        return st.fixed_dictionaries({k: strategy(v, where) for k, v in value.items()})
    if kind == "list":
        return st.lists(strategy(value, where), max_size=int(spec.get("max", 5)))
    if kind == "text":
        return st.text(alphabet=str(value), max_size=int(spec.get("max", 8)))
    raise CatalogError(f"{where}: unknown argument spec '{kind}'")


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
class Data:
    """Bytes, carried as their UTF-8 text (requests to the workers are JSON)."""

    text: str

    def __repr__(self) -> str:
        return repr(self.text.encode())


def _encoded(arg: Any) -> Any:
    if isinstance(arg, Data):
        return {"$bytes": arg.text}
    if isinstance(arg, Ref):
        return {"$result": arg.index}
    if isinstance(arg, Clock):
        return {"$clock": arg.start}
    if isinstance(arg, Folder):
        return {"$folder": True}
    return arg


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
    sequences = _sequences(model)
    report = Differential(examples=0, seed=seed)
    failing: list[tuple[Any, Divergence]] = []

    with Worker(kata, yours, isolation=isolation) as mine, \
            Worker(kata, reference, isolation=isolation) as theirs:
        @with_seed(seed)
        @settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                  suppress_health_check=list(HealthCheck),
                  phases=[Phase.generate])
        @given(sequences)
        def check(case):
            report.examples += 1
            found = _diverge(model, case, mine, theirs, seed)
            if found is not None:
                failing.append((case, found))
                raise AssertionError("diverged")

        try:
            check()
        except Exception:  # the shrunk failure, or Hypothesis saying it was flaky
            if failing:
                report.divergence = _minimise(model, *failing[-1], mine, theirs, seed)
    report.examples = min(report.examples, examples)
    return report


def _minimise(model: Model, case, found: Divergence, mine: Worker,
              theirs: Worker, seed: int) -> Divergence:
    """Shrinks a diverging sequence: drops the calls after the divergence, then runs of calls
    (halves, quarters, ... single calls) whose removal keeps the sequences diverging, until
    no single call can go."""
    constructor_args, calls = case
    calls = list(calls[:found.keep])
    size = max(1, len(calls) // 2)
    while True:
        start, removed = len(calls) - size, False
        while start >= 0:
            shorter = _without(calls, start, size)
            again = (None if shorter is None else
                     _diverge(model, (constructor_args, shorter), mine, theirs, seed))
            if again is not None:
                calls, found, removed = shorter[:again.keep], again, True
                start = min(start, len(calls) - size + 1)
            start -= 1
        if not removed:
            if size == 1:
                return found
            size //= 2


def _without(calls: list, start: int, size: int) -> list | None:
    """The calls without calls[start:start + size], later references renumbered; None when a
    call that stays uses what a removed one returned."""
    def moved(arg):
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


def _sequences(model: Model):
    """Constructor arguments and a list of calls. Each example first picks which operations
    it may use (swarm testing) and how long it runs: a long sequence of only adds, removals
    and routes reaches states that a short uniform mix of every operation rarely does."""
    from hypothesis import strategies as st

    operations = model.operations

    @st.composite
    def sequence(draw):
        constructor_args = draw(st.tuples(*(strategy(a) for a in model.constructor_args)))
        count = draw(st.integers(1, len(operations)))
        enabled = sorted(draw(st.permutations(range(len(operations))))[:count])
        length = draw(st.integers(1, model.max_operations))
        names: list = []  # what `new` arguments have named so far, for `known` ones
        returned: dict[str, list[int]] = {}  # which calls of each operation came before
        chosen = []
        for _ in range(length):
            op = operations[draw(st.sampled_from(enabled))]
            target = ()
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


def _argument(spec: dict, names: list, returned: dict[str, list[int]]):
    """The strategy for one argument, given the sequence so far: `new` prefers a name not used
    yet (and records it), `known` picks one already created, `result` an earlier call's
    value."""
    from hypothesis import strategies as st

    if "result" in spec:
        wanted = spec["result"] if isinstance(spec["result"], list) else [spec["result"]]
        earlier = sorted(i for name in wanted for i in returned.get(name, []))
        return st.sampled_from(earlier).map(Ref) if earlier else st.just(spec.get("else"))
    if "new" in spec:
        unused = [name for name in spec["new"] if name not in names]
        return st.sampled_from(unused or list(spec["new"])).map(
            lambda name: names.append(name) or name)
    if "known" in spec:
        return st.sampled_from(names or list(spec["known"]))
    return strategy(spec)


def _request(model: Model, case) -> dict:
    constructor_args, calls = case
    return {"constructor": {"name": model.constructor,
                            "args": [_encoded(a) for a in constructor_args]}
            if model.constructor else None,
            "ops": [{"name": op.name, "args": [_encoded(a) for a in args],
                     "property": op.is_property, "show": op.show, "advance": op.advance,
                     "on": bool(op.on), "kwargs": op.kwargs}
                    for op, args in calls]}


def _diverge(model: Model, case, mine: Worker, theirs: Worker,
             seed: int) -> Divergence | None:
    request = _request(model, case)
    with ThreadPoolExecutor(max_workers=2) as pool:
        a, b = pool.submit(mine.ask, request), pool.submit(theirs.ask, request)
        yours, reference = a.result(), b.result()
    yours_out = yours["outcomes"] if yours else [["hang", "did not answer within the limit"]]
    ref_out = reference["outcomes"] if reference else [["hang", "did not answer"]]
    constructor_args, calls = case
    steps = [None, *calls] if model.constructor else list(calls)
    offset = 1 if model.constructor else 0
    # calls that raise on both sides before the divergence: the pasted code must survive them
    raised = {index - offset: want[1] for index, want in enumerate(ref_out)
              if want[0] == "raise" and index >= offset}
    for index, (got, want) in enumerate(zip(yours_out, ref_out, strict=False)):
        op = steps[index][0] if steps[index] is not None else None
        if not _same(got, want, op.compare if op else "value"):
            return Divergence(seed, runnable(model, constructor_args, calls, index, raised),
                              _describe(got), _describe(want), _kept(model, index))
    if len(yours_out) != len(ref_out):
        index = min(len(yours_out), len(ref_out))
        got = yours_out[index] if index < len(yours_out) else ["hang", "stopped"]
        want = ref_out[index] if index < len(ref_out) else ["hang", "stopped"]
        return Divergence(seed, runnable(model, constructor_args, calls, index, raised),
                          _describe(got), _describe(want), _kept(model, index))
    return None


def _kept(model: Model, outcome: int) -> int:
    """How many calls lead up to outcome number `outcome` (step 0 is the constructor's)."""
    return outcome if model.constructor else outcome + 1


def _same(got: list, want: list, how: str) -> bool:
    if how == "kind" and got[0] == want[0] == "ok":
        return True
    return got == want


def _describe(outcome: list) -> str:
    kind, value = outcome
    if kind == "ok":
        return value
    if kind == "raise":
        return f"raises {value}"
    return str(value)


def runnable(model: Model, constructor_args, calls, stop: int,
             raised: dict[int, str] | None = None) -> str:
    """The sequence up to step `stop`, as Python a learner can paste into a shell. A call
    before the last that raised in the reference is wrapped so the paste carries on; a call
    whose value a later one uses is bound to `r<number>`."""
    raised = raised or {}
    names = [model.constructor] if model.constructor else sorted({op.name for op, _ in calls})
    calls = calls[:stop] if model.constructor else calls[:stop + 1]
    last = len(calls) - 1
    wrapped = {raised[i] for i in range(len(calls)) if i in raised and i != last}
    names += sorted(name for name in wrapped if not hasattr(builtins, name))
    used = {arg.index for _, args in calls for arg in args if isinstance(arg, Ref)}
    lines = [f"from {model.module} import {', '.join(dict.fromkeys(names))}"]
    if wrapped:
        lines.insert(0, "from contextlib import suppress")
    if any(isinstance(a, Folder) for a in constructor_args):
        lines.insert(0, "import tempfile")
    lines += [f"now = {a.start!r}" for a in constructor_args if isinstance(a, Clock)]
    if model.constructor:
        arguments = ", ".join(repr(a) for a in constructor_args)
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
        elif model.constructor or op.on:
            target = f"{target}.{op.name}"
            line = target if op.is_property else f"{target}({arguments})"
        else:
            line = f"{op.name}({arguments})"
        if index in used:
            line = f"r{index} = {line}"
        if index in raised and index != last:
            line = f"with suppress({raised[index]}): {line}"
        lines.append(line)
    return "\n".join(lines)


# -- speed -----------------------------------------------------------------------------------

def speed(kata: Kata, yours: dict[str, Path], reference: dict[str, Path],
          isolation: str = "auto") -> dict[str, Any]:
    """Times the kata's declared workload on both, in the same run; reports the ratio."""
    spec = dict(kata.benchmark)
    if not spec.get("code"):
        return {"declared": False}
    timings = {}
    for label, files in (("yours", yours), ("reference", reference)):
        with Worker(kata, files, timeout=float(spec.get("timeout", 60)),
                           isolation=isolation) as worker:
            answer = worker.ask({"benchmark": spec})
        if answer is None or "error" in answer:
            return {"declared": True, "error": f"{label}: " + (answer or {}).get(
                "error", "did not finish within the limit")}
        timings[label] = answer["times"]
    mine, theirs = min(timings["yours"]), min(timings["reference"])
    ratios = [a / b for a, b in zip(sorted(timings["yours"]), sorted(timings["reference"]),
                                          strict=False)]
    return {"declared": True, "workload": spec.get("description", spec["code"]),
            "yours": mine, "reference": theirs, "ratio": mine / theirs if theirs else None,
            "spread": [min(ratios), max(ratios)], "median_ratio": statistics.median(ratios)}


# -- verdicts, coverage, code ----------------------------------------------------------------

@dataclass
class Comparison:
    """All views of one comparison, as data."""

    kata: str
    submission: str
    yours: RunResult
    reference: RunResult
    differential: Differential | None = None
    speed: dict[str, Any] = field(default_factory=dict)
    uncovered: dict[str, list[int]] = field(default_factory=dict)
    code: dict[str, Any] | None = None

    def rows(self) -> list[dict[str, Any]]:
        theirs = {t.id: t for t in self.reference.tests}
        rows = []
        for test in self.yours.tests:
            ref = theirs.get(test.id)
            rows.append({"name": test.name, "yours": test.status.value,
                         "yours_time": round(test.duration, 4),
                         "reference": ref.status.value if ref else "-",
                         "reference_time": round(ref.duration, 4) if ref else None})
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "kata": self.kata, "submission": self.submission,
            "verdicts": {"yours": {"status": self.yours.status.value, "score": self.yours.score,
                                   "message": self.yours.message},
                         "reference": {"status": self.reference.status.value,
                                       "score": self.reference.score},
                         "tests": self.rows()},
            "differential": self.differential.to_dict() if self.differential else None,
            "speed": self.speed,
            "coverage": {"uncovered": self.uncovered},
            "code": self.code,
        }


def compare(kata: Kata, submission: runner.Submission, yours: dict[str, Path], *,
            examples: int = 500, seed: int | None = None, reveal: bool = False,
            isolation: str = "auto", env: dict[str, str] | None = None) -> Comparison:
    """Builds every view; the code view only when `reveal` (passed, or asked for)."""
    require_reference(kata, "kata compare")
    require_hidden_suite(kata, "kata compare")
    reference = {name: kata.solution_path / name for name in kata.files}
    ref_submission = runner.Submission(name="reference", files=reference)
    with ThreadPoolExecutor(max_workers=2) as pool:
        mine = pool.submit(runner.run, kata, submission, suites=("hidden",), coverage=True,
                           isolation=isolation, env=env)
        theirs = pool.submit(runner.run, kata, ref_submission, suites=("hidden",),
                             isolation=isolation, env=env)
        result = Comparison(kata.slug, submission.name, mine.result(), theirs.result())
    model = load_model(kata)
    if model is not None and result.yours.status is not Status.ERROR:
        result.differential = differential(kata, model, yours, reference, examples=examples,
                                           seed=seed, isolation=isolation)
    if result.yours.status is not Status.ERROR:
        result.speed = speed(kata, yours, reference, isolation=isolation)
    for name, data in (result.yours.coverage or {}).items():
        result.uncovered[name] = data.get("missing_lines", [])
    if reveal:
        result.code = code_view(kata, yours)
    return result


def code_view(kata: Kata, yours: dict[str, Path]) -> dict[str, Any]:
    """The reference, its notes, and a diff from the learner's files to it."""
    files = {}
    for name in kata.files:
        mine = yours[name].read_text(encoding="utf-8").splitlines(keepends=True)
        theirs = (kata.solution_path / name).read_text(encoding="utf-8")
        diff = "".join(difflib.unified_diff(mine, theirs.splitlines(keepends=True),
                                            f"yours/{name}", f"reference/{name}"))
        files[name] = {"reference": theirs, "diff": diff}
    notes = kata.notes.read_text(encoding="utf-8") if kata.notes.is_file() else ""
    return {"files": files, "notes": notes}
