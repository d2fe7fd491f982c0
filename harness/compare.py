"""`kata compare`: a submission beside the reference solution.

Five views: the hidden suite's verdicts side by side; behaviour on the same
generated inputs (differential testing with Hypothesis, shrunk to a minimal
sequence printed as runnable Python); speed on the kata's workload; the lines of
the submission the suite never ran; and, once passed or revealed, the reference
with its notes and a diff.
"""

from __future__ import annotations

import difflib
import random
import statistics
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import runner
from harness.catalog import Kata
from harness.errors import CatalogError
from harness.result import RunResult, Status


# -- the operation model ---------------------------------------------------------------------

@dataclass(frozen=True)
class Operation:
    name: str
    args: tuple[dict, ...] = ()
    is_property: bool = False
    compare: str = "value"  # "value": results must be equal; "kind": only ok/raise and which


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
        operations.append(Operation(entry["name"], tuple(args), bool(entry.get("property")),
                                    str(entry.get("compare", "value"))))
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
    `{list = spec, max = n}`, `{text = "alphabet", max = n}`.
    """
    from hypothesis import strategies as st

    if not isinstance(spec, dict) or len(set(spec) - {"max"}) != 1:
        raise CatalogError(f"{where}: {spec!r} is not an argument spec (e.g. {{one_of = [1, 2]}})")
    kind = next(k for k in spec if k != "max")
    value = spec[kind]
    if kind == "one_of":
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


# -- differential testing --------------------------------------------------------------------

@dataclass
class Divergence:
    """The first place where the submission and the reference behave differently."""

    seed: int
    code: str
    yours: str
    reference: str

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
                 *, examples: int = 500, seed: int | None = None) -> Differential:
    """Runs generated operation sequences on both implementations, each in a process of its
    own, and shrinks the first divergence to a minimal sequence."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as with_seed
    from hypothesis import strategies as st

    seed = random.randrange(2**31) if seed is None else seed
    calls = st.one_of([st.tuples(st.just(op), st.tuples(*(strategy(a) for a in op.args)))
                       for op in model.operations])
    sequences = st.tuples(st.tuples(*(strategy(a) for a in model.constructor_args)),
                          st.lists(calls, min_size=1, max_size=model.max_operations))
    report = Differential(examples=0, seed=seed)
    failing: list[Divergence] = []

    with runner.Worker(kata, yours) as mine, runner.Worker(kata, reference) as theirs:
        @with_seed(seed)
        @settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                  suppress_health_check=list(HealthCheck),
                  phases=[Phase.generate, Phase.shrink])
        @given(sequences)
        def check(case):
            report.examples += 1
            found = _diverge(model, case, mine, theirs, seed)
            if found is not None:
                failing.append(found)
                raise AssertionError("diverged")

        try:
            check()
        except Exception:  # the shrunk failure, or Hypothesis saying it was flaky
            report.divergence = failing[-1] if failing else None
    report.examples = min(report.examples, examples)
    return report


def _request(model: Model, case) -> dict:
    constructor_args, calls = case
    return {"constructor": {"name": model.constructor, "args": list(constructor_args)}
            if model.constructor else None,
            "ops": [[op.name, list(args), op.is_property] for op, args in calls]}


def _diverge(model: Model, case, mine: runner.Worker, theirs: runner.Worker,
             seed: int) -> Divergence | None:
    request = _request(model, case)
    with ThreadPoolExecutor(max_workers=2) as pool:
        a, b = pool.submit(mine.ask, request), pool.submit(theirs.ask, request)
        yours, reference = a.result(), b.result()
    yours_out = yours["outcomes"] if yours else [["hang", "did not answer within the limit"]]
    ref_out = reference["outcomes"] if reference else [["hang", "did not answer"]]
    constructor_args, calls = case
    steps = [None, *calls] if model.constructor else list(calls)
    for index, (got, want) in enumerate(zip(yours_out, ref_out)):
        op = steps[index][0] if steps[index] is not None else None
        if not _same(got, want, op.compare if op else "value"):
            return Divergence(seed, runnable(model, constructor_args, calls, index),
                              _describe(got), _describe(want))
    if len(yours_out) != len(ref_out):
        index = min(len(yours_out), len(ref_out))
        got = yours_out[index] if index < len(yours_out) else ["hang", "stopped"]
        want = ref_out[index] if index < len(ref_out) else ["hang", "stopped"]
        return Divergence(seed, runnable(model, constructor_args, calls, index),
                          _describe(got), _describe(want))
    return None


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


def runnable(model: Model, constructor_args, calls, stop: int) -> str:
    """The sequence up to step `stop`, as Python a learner can paste into a shell."""
    names = [model.constructor] if model.constructor else sorted({op.name for op, _ in calls})
    lines = [f"from {model.module} import {', '.join(dict.fromkeys(names))}"]
    if model.constructor:
        arguments = ", ".join(repr(a) for a in constructor_args)
        lines.append(f"{model.variable} = {model.constructor}({arguments})")
        if stop == 0:
            return "\n".join(lines)
        calls = calls[:stop]
    else:
        calls = calls[:stop + 1]
    for op, args in calls:
        arguments = ", ".join(repr(a) for a in args)
        if model.constructor:
            target = f"{model.variable}.{op.name}"
            lines.append(target if op.is_property else f"{target}({arguments})")
        else:
            lines.append(f"{op.name}({arguments})")
    return "\n".join(lines)


# -- speed -----------------------------------------------------------------------------------

def speed(kata: Kata, yours: dict[str, Path], reference: dict[str, Path]) -> dict[str, Any]:
    """Times the kata's declared workload on both, in the same run; reports the ratio."""
    spec = dict(kata.benchmark)
    if not spec.get("code"):
        return {"declared": False}
    timings = {}
    for label, files in (("yours", yours), ("reference", reference)):
        with runner.Worker(kata, files, timeout=float(spec.get("timeout", 60))) as worker:
            answer = worker.ask({"benchmark": spec})
        if answer is None or "error" in answer:
            return {"declared": True, "error": f"{label}: " + (answer or {}).get(
                "error", "did not finish within the limit")}
        timings[label] = answer["times"]
    mine, theirs = min(timings["yours"]), min(timings["reference"])
    ratios = [a / b for a, b in zip(sorted(timings["yours"]), sorted(timings["reference"]))]
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
                                           seed=seed)
    if result.yours.status is not Status.ERROR:
        result.speed = speed(kata, yours, reference)
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
