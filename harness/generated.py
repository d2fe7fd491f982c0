"""Generated mutants in `kata verify`: each mechanical mutant of the reference is graded by
the hidden suite as an ordinary submission, and the suite gets a mutation score.

How a run counts: a mutant is **killed** when a hidden test fails or errors on it, including
a run that ended in an error after the tests began (a timeout in the middle of the suite);
it is **not viable** when the run ended before any test ran (it does not load, or loops at
import): it says nothing about the suite, so it is listed apart and left out of the score.
A mutant whose statement the hidden suite never runs (coverage of the reference) survives
by definition and is reported so without a run. The score is killed / (mutants − marked
equivalent − not viable).
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from harness import mutants, mutation, runner
from harness.catalog import Kata
from harness.result import RunResult, Status

SCORE_NEEDED = 0.90
KILLED, SURVIVED, NOT_RUN, NOT_VIABLE = "killed", "survived", "not run", "not viable"

Grade = Callable[..., "list[RunResult]"]  # grades submissions as one batch, in order


@dataclass
class GeneratedVerdict:
    """One generated mutant and what the hidden suite made of it."""

    id: str
    file: str
    line: int
    description: str
    outcome: str
    killed_by: list[str] = field(default_factory=list)
    #: the run ended in an error (after the tests began, when killed)
    errored: bool = False
    message: str = ""
    duration: float = 0.0
    #: the author's reason why no test can tell this mutant from the reference
    equivalent: str = ""

    @property
    def survived(self) -> bool:
        return self.outcome in (SURVIVED, NOT_RUN)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "file": self.file, "line": self.line,
                "description": self.description, "outcome": self.outcome,
                "killed_by": self.killed_by, "errored": self.errored, "message": self.message,
                "duration": round(self.duration, 2), "equivalent": self.equivalent or None}


@dataclass
class GeneratedMutants:
    """The generated-mutant part of a verification: every verdict and the score."""

    files: list[str]
    verdicts: list[GeneratedVerdict] = field(default_factory=list)
    #: `equivalent` entries of mutants.toml whose id is no longer generated
    stale: list[str] = field(default_factory=list)
    #: `equivalent` entries whose mutant the suite kills: the marking is wrong
    contradicted: list[str] = field(default_factory=list)
    #: how many mutants there were before `--generated-limit` took a sample (0: no sample)
    sampled_from: int = 0
    marks_file: str = ""
    duration: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(v.outcome == outcome for v in self.verdicts)

    @property
    def equivalent(self) -> int:
        return sum(v.survived and bool(v.equivalent) for v in self.verdicts)

    @property
    def survivors(self) -> list[GeneratedVerdict]:
        """The survivors nobody has explained: each a gap in the suite or an unmarked twin."""
        return [v for v in self.verdicts if v.survived and not v.equivalent]

    @property
    def scored(self) -> int:
        return len(self.verdicts) - self.equivalent - self.count(NOT_VIABLE)

    @property
    def score(self) -> float:
        return self.count(KILLED) / self.scored if self.scored else 1.0

    def verdict(self) -> tuple[bool, str]:
        """Whether the suite kills enough of the mutants, and the figures that say so."""
        if not self.files:
            return True, "no Python files (SQL kata): nothing to mutate"
        if not self.verdicts:
            return True, "no mutant generated from " + ", ".join(self.files)
        killed, errored = self.count(KILLED), sum(v.errored and v.outcome == KILLED
                                                 for v in self.verdicts)
        detail = (f"score {self.score:.0%}: {killed}/{self.scored} killed"
                  + (f" ({errored} by an error after the tests began)" if errored else ""))
        if self.sampled_from:
            detail += f", a sample of {len(self.verdicts)} of {self.sampled_from} mutants"
        extras = [f"{len(self.survivors)} survived"]
        not_run = sum(v.outcome == NOT_RUN and not v.equivalent for v in self.verdicts)
        if not_run:
            extras.append(f"{not_run} of them on lines the hidden suite never runs (not run)")
        if self.equivalent:
            extras.append(f"{self.equivalent} marked equivalent")
        if self.count(NOT_VIABLE):
            extras.append(f"{self.count(NOT_VIABLE)} not viable (no test ran: left out)")
        if self.stale:
            extras.append(f"stale equivalent in {self.marks_file}: {', '.join(self.stale)} "
                          "no longer generated (remove the entry, or give the mutant's new id)")
        if self.contradicted:
            extras.append(f"marked equivalent in {self.marks_file} yet killed: "
                          f"{', '.join(self.contradicted)} (remove the entry)")
        detail += "; " + "; ".join(extras)
        if self.score < SCORE_NEEDED:
            detail += (f"; below {SCORE_NEEDED:.0%}: kill the survivors with hidden tests, or "
                       f"mark each one `equivalent` with a reason in {self.marks_file}")
        return self.score >= SCORE_NEEDED, detail

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "score": round(self.score, 4), "needed": SCORE_NEEDED,
                "total": len(self.verdicts), "killed": self.count(KILLED),
                "survived": len(self.survivors), "equivalent": self.equivalent,
                "not_viable": self.count(NOT_VIABLE), "sampled_from": self.sampled_from,
                "stale": self.stale, "contradicted": self.contradicted,
                "duration": round(self.duration, 1),
                "mutants": [v.to_dict() for v in self.verdicts]}


def equivalent_marks(kata: Kata) -> dict[str, str]:
    """The `equivalent = [{id, reason}]` entries of `solutions/<slug>/mutants.toml`."""
    if not kata.mutants_file.is_file():
        return {}
    return {entry["id"]: str(entry["reason"]).strip() for entry in mutants.load(kata).equivalent}


def generate(kata: Kata) -> list[mutation.Mutant]:
    """Every mutant of the kata's Python reference files, ids prefixed by the file when the
    kata has several."""
    files = python_files(kata)
    found = []
    for name in files:
        source = (kata.solution_path / name).read_text(encoding="utf-8")
        for mutant in mutation.mutants(source, name):
            if len(files) > 1:
                mutant = replace(mutant, id=f"{name}:{mutant.id}")
            found.append(mutant)
    return found


def python_files(kata: Kata) -> list[str]:
    return [name for name in kata.files if name.endswith(".py")]


def sample(found: list[mutation.Mutant], limit: int | None) -> list[mutation.Mutant]:
    """At most `limit` mutants, chosen by a hash of their ids: the same sample on every run,
    and one that changes little when the reference does."""
    if limit is None or len(found) <= limit:
        return found
    chosen = set(sorted((m.id for m in found),
                        key=lambda i: hashlib.sha256(i.encode()).hexdigest())[:limit])
    return [m for m in found if m.id in chosen]


def run(kata: Kata, grade: Grade, coverage: RunResult | None = None,
        limit: int | None = None) -> GeneratedMutants:
    """Generates, runs and judges the mutants; `grade(submissions, suites=...)` is verify's
    batch, so they share its workers and sandbox with every other run."""
    started = time.perf_counter()
    marks = equivalent_marks(kata)
    report = GeneratedMutants(files=python_files(kata),
                              marks_file=str(kata.solution_path / "mutants.toml"))
    everything = generate(kata)
    chosen = sample(everything, limit)
    report.sampled_from = len(everything) if len(chosen) < len(everything) else 0
    report.stale = sorted(set(marks) - {m.id for m in everything})
    never_run = _never_run(coverage)
    with tempfile.TemporaryDirectory(prefix="kata-mutants-") as folder:
        ran = [m for m in chosen if m.statement_line not in never_run.get(m.file, ())]
        subs = [_submission(kata, m, Path(folder) / str(n)) for n, m in enumerate(ran)]
        graded = grade(subs, suites=("hidden",), first_failure=True) if subs else []
        results = dict(zip((m.id for m in ran), graded, strict=True))
        for mutant in chosen:
            result = results.get(mutant.id)
            verdict = (_judge(mutant, result) if result is not None else
                       GeneratedVerdict(mutant.id, mutant.file, mutant.line, mutant.description,
                                        NOT_RUN, message="the hidden suite never runs this line"))
            verdict.equivalent = marks.get(mutant.id, "")
            if verdict.outcome == KILLED and verdict.equivalent:
                report.contradicted.append(mutant.id)
                verdict.equivalent = ""
            report.verdicts.append(verdict)
    report.duration = time.perf_counter() - started
    return report


def _never_run(coverage: RunResult | None) -> dict[str, set[int]]:
    if coverage is None or not coverage.coverage:
        return {}
    return {name: set(data.get("missing_lines", ())) for name, data in coverage.coverage.items()}


def _submission(kata: Kata, mutant: mutation.Mutant, folder: Path) -> runner.Submission:
    folder.mkdir(parents=True)
    (folder / mutant.file).write_text(mutant.source, encoding="utf-8")
    files = {name: kata.solution_path / name for name in kata.files}
    files[mutant.file] = folder / mutant.file
    return runner.Submission(name=f"generated {mutant.id}", files=files)


def _judge(mutant: mutation.Mutant, result: RunResult) -> GeneratedVerdict:
    killers = [t.name for t in result.tests if t.status in (Status.FAIL, Status.ERROR)]
    errored = result.status is Status.ERROR
    if killers or (errored and result.tests):
        outcome = KILLED
    elif errored:
        outcome = NOT_VIABLE
    else:
        outcome = SURVIVED
    return GeneratedVerdict(mutant.id, mutant.file, mutant.line, mutant.description, outcome,
                            killed_by=killers, errored=errored, duration=result.duration,
                            message=result.message.splitlines()[0] if result.message else "")
