"""Proves a kata before learners meet it.

The checks, in order: the files and the manifest are sound (README and hints
render, the stub and the reference expose the same API); the stub fails every
task; the reference passes every test N times in a row; every known-wrong version
in `mutants.toml` applies, loads and fails a hidden test; the hidden suite covers every
line and branch of the reference; every task has tests and every test a task; with
`mutate`, the suite kills enough mechanical mutants of the reference (`generated`); correct
alternatives pass, and behave as the reference on generated calls where the kata
declares a model (kata compare's search); no author TODO is left.

The checks that need no run (`verify_static`) always run; the ones that judge runs
(`verify_runs`) come in parts, each with batches of its own, so that a caller may prove
one part at a time: `runs` (stub, reference repeats, alternatives), `mutants`, `coverage`
(with the tasks, and the generated mutants, which skip the lines no test runs) and
`agreement`. `kata verify` proves them all.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from harness import batch, databases, differential, generated, mutants, properties, runner
from harness.catalog import Kata
from harness.errors import CatalogError
from harness.result import RunResult
from harness.verify_report import NOT_APPLIED, Check, KataVerification, MutantVerdict
from harness.verify_runs import (
    AGREEMENT_EXAMPLES,
    agreement_check,
    alternatives_check,
    coverage_check,
    in_run,
    mutants_check,
    properties_check,
    reference_check,
    stub_check,
    tasks_check,
)
from harness.verify_static import AUTHOR_TODO, api_of, static_checks

__all__ = ["AGREEMENT_EXAMPLES", "AUTHOR_TODO", "NOT_APPLIED", "PARTS", "Check",
           "KataVerification", "MutantVerdict", "api_of", "reference_for", "static_checks",
           "variants", "verify", "whole_suite_runs"]

PARTS = ("runs", "mutants", "coverage", "agreement")
# the order the checks are reported in, whichever part made them
ORDER = ("files", "hints", "renders", "same API", "no author TODOs", "stub fails",
         "reference passes", "mutants fail", "coverage", "tasks", "alternatives pass",
         "generated mutants", "alternatives agree", "properties hold", "databases")


def variants(folder: Path, kata: Kata) -> dict[str, runner.Submission]:
    """Reads `alternatives/`: `NAME.ext` replaces the kata's one file with that extension; a
    folder `NAME/` overlays the reference's files."""
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


def reference_for(kata: Kata, db: str | None = None) -> runner.Submission:
    """The reference solution; a SQL kata may keep a variant per database in `<db>/`."""
    files = {}
    for name in kata.files:
        specific = kata.solution_path / db / name if db else None
        files[name] = specific if specific and specific.is_file() else kata.solution_path / name
    return runner.Submission(name=f"reference ({db})" if db else "reference", files=files)


def verify(kata: Kata, *, repeat: int = 20, jobs: int | None = None,
           alternatives: list[Path] | None = None, isolation: str = "auto",
           mutate: bool = False, mutate_limit: int | None = None,
           parts: Collection[str] = PARTS,
           on_check: Callable[[Check], object] | None = None) -> KataVerification:
    """Runs the checks of `parts` (all of them by default) on one kata and says what held;
    with `mutate` and the `coverage` part, the generated mutants too (at most
    `mutate_limit` of them, a fixed sample). `on_check` hears of each check as it ends."""
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"no such part of kata verify: {', '.join(sorted(unknown))}")
    report = KataVerification(kata.slug, repeat=repeat)
    told = 0

    def tell() -> None:  # the checks added since the last part ended
        nonlocal told
        if on_check is not None:
            for check in report.checks[told:]:
                on_check(check)
        told = len(report.checks)

    report.checks += static_checks(kata)
    tell()
    if not report.checks[0].ok:
        return report  # the runs below need the files that are missing
    alts = variants(kata.solution_path / "alternatives", kata)
    for folder in alternatives or []:
        alts.update({f"{folder.name}/{k}": v for k, v in variants(folder, kata).items()})
    proof = _Proof(kata, report, jobs or os.cpu_count() or 2, isolation)
    if "runs" in parts:  # the run measured for coverage is one of the reference's repeats
        proof.runs(alts, repeat, covered="coverage" in parts)
        tell()
    if "mutants" in parts:
        proof.mutants()
        tell()
    if "coverage" in parts:
        proof.coverage(mutate, mutate_limit)
        tell()
    if "runs" in parts:
        report.checks.append(reference_check(proof.repeats, report))
        tell()
    if "agreement" in parts and alts:
        proof.agreement(alts)
        tell()
    if "agreement" in parts:
        proof.properties(alts)
        tell()
    if kata.databases and len(proof.dbs) < len(kata.databases) and "runs" in parts:
        skipped = ", ".join(d for d in kata.databases if d not in proof.dbs)
        report.checks.append(Check("databases", True, f"{skipped} unreachable here: not run"))
    report.checks.sort(key=lambda check: ORDER.index(check.name))
    return report


class _Proof:
    """The parts of a verification that run the kata, each adding its checks to `report`."""

    def __init__(self, kata: Kata, report: KataVerification, workers: int,
                 isolation: str) -> None:
        self.kata, self.report, self.workers, self.isolation = kata, report, workers, isolation
        self.env = databases.run_env(kata, None)
        self.dbs = _reachable_databases(kata)
        self.repeats: list[RunResult] = []  # the reference's runs, the coverage one too

    def graded(self, subs: list[runner.Submission], **options: Any) -> list[RunResult]:
        """A batch: each worker collects the suites once and forks a grader per run."""
        return batch.grade_batch(self.kata, subs, jobs=self.workers, isolation=self.isolation,
                                 env=options.pop("env", self.env), **options)

    def runs(self, alts: dict[str, runner.Submission], repeat: int, covered: bool) -> None:
        """The stub fails, the reference runs `repeat` times (on every reachable
        database; on the first, one fewer when the coverage part runs it once more), the
        alternatives pass: one batch, as all of them run every suite. That the reference
        passed every time is checked once the coverage part has added its run."""
        kata, stub = self.kata, runner.Submission(
            name="stub", files={n: self.kata.stub_dir / n for n in self.kata.files})
        first = self.graded([stub, *alts.values(),
                             *[reference_for(kata, self.dbs[0])] * (repeat - covered)],
                            env=databases.run_env(kata, self.dbs[0]) if self.dbs[0] else self.env)
        self.repeats += first[1 + len(alts):]
        for db in self.dbs[1:]:
            self.repeats += self.graded([reference_for(kata, db)] * repeat,
                                        env=databases.run_env(kata, db))
        self.report.checks.append(stub_check(first[0]))
        if alts:
            self.report.checks.append(alternatives_check(
                dict(zip(alts, first[1:1 + len(alts)], strict=True))))

    def mutants(self) -> None:
        """Every mutant of mutants.toml applies, loads and fails a hidden test."""
        try:
            known = mutants.load(self.kata)
        except CatalogError as exc:  # a failed check; the other parts still run
            self.report.checks.append(Check("mutants fail", False, str(exc)))
            return
        with tempfile.TemporaryDirectory(prefix="kata-mutants-") as scratch:
            made, not_applied = _materialise(self.kata, known, Path(scratch))
            first = {m.name: (in_run(m.caught_by),) for m in known.mutants if m.caught_by}
            results = self.graded(list(made.values()), suites=("hidden",),
                                  first_failure=True, first=first) if made else []
        self.report.checks.append(mutants_check(
            known, dict(zip(made, results, strict=True)), not_applied, self.report))

    def coverage(self, mutate: bool, mutate_limit: int | None) -> None:
        """The hidden suite runs every line and branch of the reference and every test has a
        task; with `mutate`, generated mutants of the lines it runs are graded too."""
        kata = self.kata
        run = runner.run(kata, reference_for(kata, kata.databases[0] if kata.databases
                                             else None),
                         suites=("hidden",), env=self.env, coverage=True,
                         isolation=self.isolation)
        self.repeats.append(run)
        self.report.checks.append(coverage_check(run, kata, self.report))
        self.report.checks.append(tasks_check(run, kata))
        if mutate:  # after coverage: a mutant on a line no test runs needs no run
            self.report.generated = generated.run(kata, self.graded, run, mutate_limit)
            self.report.checks.append(Check("generated mutants",
                                            *self.report.generated.verdict()))

    def agreement(self, alts: dict[str, runner.Submission]) -> None:
        """Where the kata has a model, each alternative behaves as the reference on
        generated calls; one at a time, as Hypothesis runs one search per thread best."""
        model = self.kata.model
        if model is None:
            return
        reference_files = reference_for(self.kata).files
        self.report.checks.append(agreement_check({
            name: differential.differential(self.kata, model, sub.files, reference_files,
                                            examples=AGREEMENT_EXAMPLES, seed=0)
            for name, sub in alts.items()}))

    def properties(self, alts: dict[str, runner.Submission]) -> None:
        """The contract's properties (`properties.py`) hold for the reference and each
        alternative: one that does not checks what the catalog leaves free, or is wrong."""
        model = self.kata.model
        if model is None or not properties.load(self.kata):
            return
        subjects = {"reference": reference_for(self.kata).files,
                    **{name: sub.files for name, sub in alts.items()}}
        self.report.checks.append(properties_check({
            name: properties.check(self.kata, model, files, examples=AGREEMENT_EXAMPLES,
                                   seed=0, isolation=self.isolation)
            for name, files in subjects.items()}))


def whole_suite_runs(kata: Kata, names: Collection[str], *, jobs: int | None = None,
                     isolation: str = "auto") -> dict[str, RunResult]:
    """The named mutants (those that apply) each run through the whole hidden suite, not
    stopping at the first failure: which tests catch each, and how soon."""
    known = mutants.load(kata)
    chosen = mutants.MutantsFile(known.path, [m for m in known.mutants if m.name in names])
    with tempfile.TemporaryDirectory(prefix="kata-mutants-") as scratch:
        made, _ = _materialise(kata, chosen, Path(scratch))
        results = batch.grade_batch(kata, list(made.values()), jobs=jobs or os.cpu_count() or 2,
                                    isolation=isolation, env=databases.run_env(kata, None),
                                    suites=("hidden",)) if made else []
    return dict(zip(made, results, strict=True))


def _reachable_databases(kata: Kata) -> list[str | None]:
    if not kata.databases:
        return [None]
    reachable: list[str | None] = []
    for db in kata.databases:
        if db == "postgresql":
            try:
                databases.check_postgres(databases.postgres_dsn())
            except Exception:
                continue
        reachable.append(db)
    return reachable


def _materialise(kata: Kata, known: mutants.MutantsFile, scratch: Path
                 ) -> tuple[dict[str, runner.Submission], dict[str, str]]:
    """Each mutant's files in a folder of its own, and why the ones that do not apply don't.
    A mutant changes the default reference, as on SQLite (a per-database one is not used)."""
    made, not_applied = {}, {}
    for mutant in known.mutants:
        try:
            files = mutants.materialise(kata, mutant, scratch / mutant.name)
        except mutants.MutantError as exc:
            not_applied[mutant.name] = str(exc)
            continue
        made[mutant.name] = runner.Submission(name=mutant.name, files=files)
    return made, not_applied
