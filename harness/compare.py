"""`kata compare`: a submission beside the reference solution.

Five views: the hidden suite's verdicts side by side; behaviour on the same
generated inputs (`harness.differential`) and the contract's properties on the submission
alone (`harness.properties`); speed on the kata's workload; the lines of
the submission the suite never ran; and, once passed or revealed (`may_reveal`), the
reference with its notes and a diff.
"""

from __future__ import annotations

import difflib
import statistics
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import properties, runner, workspace
from harness.catalog import Kata, require_hidden_suite, require_reference
from harness.differential import Differential, differential
from harness.errors import UsageError
from harness.result import RunResult, Status
from harness.sequences import Worker

# -- speed -----------------------------------------------------------------------------------

def speed(kata: Kata, yours: dict[str, Path], reference: dict[str, Path],
          isolation: str = "auto") -> dict[str, Any]:
    """Times the kata's declared workload on both, in the same run; reports the ratio."""
    benchmark = kata.benchmark
    if benchmark is None:
        return {"declared": False}
    timings = {}
    for label, files in (("yours", yours), ("reference", reference)):
        with Worker(kata, files, timeout=benchmark.timeout,
                           isolation=isolation) as worker:
            answer = worker.ask({"benchmark": benchmark.request()})
        if answer is None or "error" in answer:
            return {"declared": True, "error": f"{label}: " + (answer or {}).get(
                "error", "did not finish within the limit")}
        timings[label] = answer["times"]
    mine, theirs = min(timings["yours"]), min(timings["reference"])
    ratios = [a / b for a, b in zip(sorted(timings["yours"]), sorted(timings["reference"]),
                                          strict=False)]
    return {"declared": True, "workload": benchmark.workload,
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
    properties: list[properties.PropertyReport] | None = None  # the contract's, if any
    speed: dict[str, Any] = field(default_factory=dict)
    uncovered: dict[str, list[int]] = field(default_factory=dict)
    code: dict[str, Any] | None = None

    def rows(self) -> list[dict[str, Any]]:
        """One row per test, in task order (tests of no task last), each task's tests in the
        order they ran."""
        theirs = {t.id: t for t in self.reference.tests}
        rows = []
        order = sorted(self.yours.tests, key=lambda t: (t.task is None, t.task or 0))
        for test in order:
            ref = theirs.get(test.id)
            rows.append({"name": test.name, "task": test.task, "yours": test.status.value,
                         "yours_time": round(test.duration, 4),
                         "reference": ref.status.value if ref else "-",
                         "reference_time": round(ref.duration, 4) if ref else None})
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "kata": self.kata, "submission": self.submission,
            "verdicts": {"yours": {"status": self.yours.status.value,
                                   "score": round(self.yours.score, 4),  # as a result's
                                   "message": self.yours.message},
                         "reference": {"status": self.reference.status.value,
                                       "score": round(self.reference.score, 4)},
                         "tests": self.rows()},
            "differential": self.differential.to_dict() if self.differential else None,
            "properties": None if self.properties is None else [
                report.to_dict() for report in self.properties],
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
        # the examples and the hidden suite, as kata check runs them: one score everywhere
        mine = pool.submit(runner.run, kata, submission, coverage=True, isolation=isolation,
                           env=env)
        theirs = pool.submit(runner.run, kata, ref_submission, isolation=isolation, env=env)
        result = Comparison(kata.slug, submission.name, mine.result(), theirs.result())
    model = kata.model
    if model is not None and result.yours.status is not Status.ERROR:
        result.differential = differential(kata, model, yours, reference, examples=examples,
                                           seed=seed, isolation=isolation)
        # where the contract leaves values free, what it fixes about them (same seed)
        result.properties = properties.check(kata, model, yours, examples=examples,
                                             seed=result.differential.seed,
                                             isolation=isolation)
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


# -- what is compared, and whether the reference may be shown -------------------------------

@dataclass(frozen=True)
class Subject:
    """What `kata compare` sets beside the reference: a submission, the files that stand for
    the kata's, and whether the reference may be shown."""

    kata: Kata
    submission: runner.Submission
    files: dict[str, Path]
    reveal: bool


def of_workspace(ws: workspace.Workspace, kata: Kata, *, asked: bool = False) -> Subject:
    """A learner's workspace. The reference is theirs to see once they passed, or when they
    ask for it first (`--reveal`), which is recorded in the workspace, once."""
    if asked and not ws.state.get("revealed_at"):
        ws.state["revealed_at"] = workspace.now_iso()
        ws.save()
    submission = runner.Submission(name=ws.path.name, directory=ws.path)
    return Subject(kata, submission, _files(kata, submission),
                   reveal=bool(ws.state.get("passed_at") or ws.state.get("revealed_at")))


def of_submission(kata: Kata, path: Path) -> Subject:
    """An instructor's submission (a folder, or the file of a one-file kata): the reference
    is theirs to see."""
    if not path.exists():
        raise UsageError(f"no such submission: {path}")
    submission = runner.Submission.from_path(path.resolve(), kata)
    return Subject(kata, submission, _files(kata, submission), reveal=True)


def _files(kata: Kata, submission: runner.Submission) -> dict[str, Path]:
    base = submission.directory
    files = {name: submission.files.get(name) or (base or Path()) / name for name in kata.files}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise UsageError(f"missing: {', '.join(missing)}")
    return files
