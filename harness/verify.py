"""Proves a kata: the stub fails, the reference passes, every known-wrong version fails."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import runner
from harness.catalog import Kata
from harness.result import RunResult, Status


@dataclass
class Check:
    """One claim about a kata and whether it held."""

    name: str
    ok: bool
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


@dataclass
class MutantVerdict:
    """A known-wrong version and the tests that caught it (none: it survived)."""

    name: str
    killed_by: list[str]
    status: str

    @property
    def killed(self) -> bool:
        return bool(self.killed_by) or self.status == Status.ERROR.value

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "killed": self.killed, "killed_by": self.killed_by,
                "status": self.status}


@dataclass
class KataVerification:
    """Everything `kata verify` found out about one kata."""

    slug: str
    checks: list[Check] = field(default_factory=list)
    mutants: list[MutantVerdict] = field(default_factory=list)
    reference_time: float = 0.0

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {"kata": self.slug, "ok": self.ok, "checks": [c.to_dict() for c in self.checks],
                "mutants": [m.to_dict() for m in self.mutants],
                "reference_time": round(self.reference_time, 3)}


def variants(folder: Path, kata: Kata) -> dict[str, runner.Submission]:
    """Reads `mutants/` or `alternatives/`: `NAME.ext` replaces the kata's one file with that
    extension; a folder `NAME/` overlays the reference's files."""
    found: dict[str, runner.Submission] = {}
    if not folder.is_dir():
        return found
    reference = {name: kata.solution_path / name for name in kata.files}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        files = dict(reference)
        if entry.is_dir():
            files.update({p.name: p for p in entry.iterdir() if p.name in kata.files})
            name = entry.name
        else:
            targets = [f for f in kata.files if Path(f).suffix == entry.suffix]
            if len(targets) != 1:
                continue
            files[targets[0]] = entry
            name = entry.stem
        found[name] = runner.Submission(name=name, files=files)
    return found


def verify(kata: Kata, *, jobs: int | None = None) -> KataVerification:
    """Runs the stub, the reference and every mutant, and says what held."""
    report = KataVerification(kata.slug)
    stub = runner.Submission(name="stub", files={n: kata.stub_dir / n for n in kata.files})
    reference = runner.Submission(name="reference",
                                  files={n: kata.solution_path / n for n in kata.files})
    missing = [str(p) for p in (*stub.files.values(), *reference.files.values()) if not p.is_file()]
    if missing:
        report.checks.append(Check("files", False, "missing: " + ", ".join(missing)))
        return report
    mutants = variants(kata.mutants_dir, kata)
    jobs = jobs or os.cpu_count() or 2
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        stub_run = pool.submit(runner.run, kata, stub)
        ref_run = pool.submit(runner.run, kata, reference)
        mutant_runs = {name: pool.submit(runner.run, kata, sub, suites=("hidden",))
                       for name, sub in mutants.items()}
        stub_result, ref_result = stub_run.result(), ref_run.result()
        mutant_results = {name: future.result() for name, future in mutant_runs.items()}

    report.checks.append(_stub_check(stub_result))
    report.checks.append(_reference_check(ref_result))
    report.reference_time = ref_result.duration
    for name, result in mutant_results.items():
        killers = [t.name for t in result.tests if t.status in (Status.FAIL, Status.ERROR)]
        report.mutants.append(MutantVerdict(name, killers, result.status.value))
    survivors = [m.name for m in report.mutants if not m.killed]
    report.checks.append(Check(
        "mutants fail", bool(mutants) and not survivors,
        f"{len(mutants) - len(survivors)}/{len(mutants)} caught"
        + (f"; survived: {', '.join(survivors)}" if survivors else "")
        + ("" if mutants else f"; no mutants in {kata.mutants_dir}"),
    ))
    return report


def _stub_check(result: RunResult) -> Check:
    """Every task must have a failing test on the stub, else the stub or the suite is weak."""
    if result.status is Status.ERROR:
        return Check("stub fails", False, "the stub cannot be loaded: " + result.message)
    solved = [t.title for t in result.tasks if t.done]
    passing = sum(t.status is Status.PASS for t in result.tests)
    if solved:
        return Check("stub fails", False, "the stub already passes task(s): " + ", ".join(solved))
    return Check("stub fails", True,
                 f"every task fails on the stub ({passing}/{len(result.tests)} tests pass)")


def _reference_check(result: RunResult) -> Check:
    if result.passed:
        return Check("reference passes", True,
                     f"{len(result.tests)} tests in {result.duration:.2f} s")
    failing = result.failures()
    detail = result.message or "; ".join(f"{t.name}: {t.message.splitlines()[0] if t.message else ''}"
                                         for t in failing[:3])
    return Check("reference passes", False, detail)
