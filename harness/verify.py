"""Proves a kata before learners meet it.

The checks, in order: the files and the manifest are sound (README and hints
render, the stub and the reference expose the same API); the stub fails every
task; the reference passes every test N times in a row; every known-wrong version
in `mutants.toml` applies, loads and fails a hidden test; the hidden suite covers every
line and branch of the reference; every task has tests and every test a task; with
`mutate`, the suite kills enough mechanical mutants of the reference (`generated`); correct
alternatives pass, and behave as the reference on generated calls where the kata
declares a model (kata compare's search); no author TODO is left.
"""

from __future__ import annotations

import ast
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from harness import batch, databases, differential, generated, mutants, runner, workspace
from harness.catalog import Kata
from harness.errors import CatalogError
from harness.result import RunResult, Status

AUTHOR_TODO = "TODO(author)"
_PRAGMA = re.compile(r"pragma:\s*no\s*cover(?P<rest>.*)$", re.IGNORECASE)


@dataclass
class Check:
    """One claim about a kata and whether it held."""

    name: str
    ok: bool
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


NOT_APPLIED = "not applied"  # the status of a mutant whose mistake no longer fits the reference


@dataclass
class MutantVerdict:
    """A known-wrong version and the tests that caught it (none: it survived, or never ran)."""

    name: str
    killed_by: list[str]
    status: str  # the run's status, or NOT_APPLIED
    why: str = ""
    problem: str = ""  # why it did not count: it did not apply, or did not load

    @property
    def killed(self) -> bool:
        """The run got to the tests and a hidden test failed; a mutant that does not load
        proves nothing about the suite."""
        return self.status == Status.FAIL.value and bool(self.killed_by)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "why": self.why, "killed": self.killed,
                "killed_by": self.killed_by, "status": self.status, "problem": self.problem}


@dataclass
class KataVerification:
    """Everything `kata verify` found out about one kata."""

    slug: str
    checks: list[Check] = field(default_factory=list)
    mutants: list[MutantVerdict] = field(default_factory=list)
    repeat: int = 0
    reference_time: float = 0.0
    slowest_test: tuple[str, float] | None = None
    coverage: dict[str, Any] = field(default_factory=dict)
    generated: generated.GeneratedMutants | None = None

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        slowest = ({"name": self.slowest_test[0], "duration": round(self.slowest_test[1], 4)}
                   if self.slowest_test else None)
        return {"kata": self.slug, "ok": self.ok, "checks": [c.to_dict() for c in self.checks],
                "mutants": [m.to_dict() for m in self.mutants], "repeat": self.repeat,
                "reference_time": round(self.reference_time, 3), "slowest_test": slowest,
                "coverage": self.coverage,
                "generated": self.generated.to_dict() if self.generated else None}


AGREEMENT_EXAMPLES = 200  # generated sequences per alternative, compared with the reference


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
           mutate: bool = False, mutate_limit: int | None = None) -> KataVerification:
    """Runs every check on one kata and says what held; with `mutate`, the generated
    mutants too (at most `mutate_limit` of them, a fixed sample)."""
    report = KataVerification(kata.slug, repeat=repeat)
    report.checks += static_checks(kata)
    if not report.checks[0].ok:
        return report  # the runs below need the files that are missing
    stub = runner.Submission(name="stub", files={n: kata.stub_dir / n for n in kata.files})
    alts = variants(kata.solution_path / "alternatives", kata)
    for folder in alternatives or []:
        alts.update({f"{folder.name}/{k}": v for k, v in variants(folder, kata).items()})
    env = databases.run_env(kata, None)
    dbs = _reachable_databases(kata)

    try:
        known, unreadable = mutants.load(kata), ""
    except CatalogError as exc:  # reported as a failed check; the other checks still run
        known, unreadable = mutants.MutantsFile(kata.mutants_file), str(exc)

    workers = jobs or os.cpu_count() or 2

    def graded(subs: list[runner.Submission], **options: Any) -> list[RunResult]:
        # a batch: each worker collects the suites once and forks a grader per run
        return batch.grade_batch(kata, subs, jobs=workers, isolation=isolation,
                                 env=options.pop("env", env), **options)

    with tempfile.TemporaryDirectory(prefix="kata-mutants-") as scratch:
        made, not_applied = _materialise(kata, known, Path(scratch))
        first = graded([stub, *alts.values(), *[reference_for(kata, dbs[0])] * repeat],
                       env=databases.run_env(kata, dbs[0]) if dbs[0] else env)
        stub_run, alt_results = first[0], first[1:1 + len(alts)]
        repeats = first[1 + len(alts):]
        for db in dbs[1:]:
            repeats += graded([reference_for(kata, db)] * repeat,
                              env=databases.run_env(kata, db))
        mutant_results = graded(list(made.values()), suites=("hidden",)) if made else []
        coverage_run = runner.run(
            kata, reference_for(kata, kata.databases[0] if kata.databases else None),
            suites=("hidden",), env=env, coverage=True, isolation=isolation)

    report.checks.append(_stub_check(stub_run))
    report.checks.append(_reference_check(repeats, report))
    report.checks.append(_mutants_check(
        known, dict(zip(made, mutant_results, strict=True)), not_applied, report)
        if not unreadable else Check("mutants fail", False, unreadable))
    report.checks.append(_coverage_check(coverage_run, kata, report))
    report.checks.append(_tasks_check(coverage_run, kata))
    if alts:
        report.checks.append(_alternatives_check(dict(zip(alts, alt_results, strict=True))))
    if mutate:  # after coverage: a mutant on a line no test runs needs no run
        report.generated = generated.run(kata, graded, coverage_run, mutate_limit)
        report.checks.append(Check("generated mutants", *report.generated.verdict()))
    model = kata.model if alts else None
    if model is not None:  # one at a time: Hypothesis runs one search per thread best
        reference_files = reference_for(kata).files
        report.checks.append(_agreement_check({
            name: differential.differential(kata, model, sub.files, reference_files,
                                            examples=AGREEMENT_EXAMPLES, seed=0)
            for name, sub in alts.items()}))
    if kata.databases and len(dbs) < len(kata.databases):
        skipped = ", ".join(d for d in kata.databases if d not in dbs)
        report.checks.append(Check("databases", True, f"{skipped} unreachable here: not run"))
    return report


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


# -- the checks that need no run -------------------------------------------------------------

def static_checks(kata: Kata) -> list[Check]:
    """Files exist, the README and hints render, the stub and reference expose the same API,
    and no author TODO is left."""
    checks = [_files_check(kata)]
    if not checks[0].ok:
        return checks
    checks.append(_render_check(kata))
    checks.append(_api_check(kata))
    checks.append(_todo_check(kata))
    return checks


def _files_check(kata: Kata) -> Check:
    needed = [kata.readme_template, kata.notes, kata.hidden_dir]
    needed += [kata.stub_dir / n for n in kata.files]
    needed += [kata.solution_path / n for n in kata.files]
    missing = [str(p) for p in needed if not p.exists()]
    if not list(kata.hidden_dir.glob("test_*.py")) and kata.hidden_dir.is_dir():
        missing.append(f"{kata.hidden_dir}/test_*.py")
    if missing:
        return Check("files", False, "missing: " + ", ".join(missing))
    return Check("files", True, f"kata.toml valid; {len(needed)} files present")


def _render_check(kata: Kata) -> Check:
    try:
        workspace.render_readme(kata)
    except jinja2.TemplateError as exc:
        return Check("renders", False, f"README.md.j2: {exc}")
    for number, hint in enumerate(kata.hints, start=1):
        try:
            workspace.render_text(hint, kata)
        except jinja2.TemplateError as exc:
            return Check("renders", False, f"hint {number}: {exc}")
    return Check("renders", True, f"README.md.j2 and {len(kata.hints)} hints render")


def api_of(path: Path) -> dict[str, str]:
    """The public API a Python file defines: each name with its signature, methods included."""
    api: dict[str, str] = {}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _public(node.name):
            api[node.name] = _signature(node)
        elif isinstance(node, ast.ClassDef) and _public(node.name):
            api[node.name] = "class(" + ", ".join(ast.unparse(b) for b in node.bases) + ")"
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                        _public(item.name) or _dunder(item.name)):
                    api[f"{node.name}.{item.name}"] = _signature(item)
    return api


def _public(name: str) -> bool:
    return not name.startswith("_")


def _dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """Parameter names, kinds and defaults; annotations are left out (they may differ)."""
    args = node.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    parts = [a.arg + (f"={ast.unparse(d)}" if d is not None else "")
             for a, d in zip(positional, defaults, strict=True)]
    if args.vararg:
        parts.append("*" + args.vararg.arg)
    elif args.kwonlyargs:
        parts.append("*")
    parts += [a.arg + (f"={ast.unparse(d)}" if d is not None else "")
              for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)]
    if args.kwarg:
        parts.append("**" + args.kwarg.arg)
    decorators = "".join(f"@{ast.unparse(d)} " for d in node.decorator_list)
    return f"{decorators}({', '.join(parts)})"


def _api_check(kata: Kata) -> Check:
    problems = []
    for name in kata.files:
        if not name.endswith(".py"):
            continue
        stub, reference = api_of(kata.stub_dir / name), api_of(kata.solution_path / name)
        for key in sorted(stub.keys() | reference.keys()):
            if key not in reference:
                problems.append(f"{name}: {key} is in the stub but not in the reference")
            elif key not in stub:
                problems.append(f"{name}: {key} is in the reference but not in the stub")
            elif stub[key] != reference[key]:
                problems.append(f"{name}: {key} is {stub[key]} in the stub, "
                                f"{reference[key]} in the reference")
    if problems:
        return Check("same API", False, "; ".join(problems))
    return Check("same API", True, "the stub and the reference define the same public names")


def _todo_check(kata: Kata) -> Check:
    """Authors' TODOs left by `kata new` (the stub's TODOs are for learners and stay)."""
    places = [p for p in kata.path.rglob("*") if p.is_file() and kata.stub_dir not in p.parents]
    places += [p for p in kata.solution_path.rglob("*") if p.is_file()]
    found = []
    for path in sorted(places):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        found += [f"{path.name}:{n}" for n, line in enumerate(lines, 1) if AUTHOR_TODO in line]
    if found:
        return Check("no author TODOs", False, f"{len(found)} left: " + ", ".join(found[:10]))
    return Check("no author TODOs", True, "none left")


# -- the checks that need runs ---------------------------------------------------------------

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


def _reference_check(results: list[RunResult], report: KataVerification) -> Check:
    failed = [r for r in results if not r.passed]
    durations = [r.duration for r in results]
    report.reference_time = sorted(durations)[len(durations) // 2] if durations else 0.0
    slowest = max((t for r in results for t in r.tests), key=lambda t: t.duration, default=None)
    if slowest is not None:
        report.slowest_test = (slowest.name, slowest.duration)
    if not failed:
        tests = len(results[0].tests) if results else 0
        where = f"; slowest test {slowest.name} ({slowest.duration:.2f} s)" if slowest else ""
        return Check("reference passes", True,
                     f"{tests} tests, {len(results)}/{len(results)} runs, median "
                     f"{report.reference_time:.2f} s{where}")
    first = failed[0]
    failing = first.failures()
    detail = first.message or "; ".join(
        f"{t.name}: {t.message.splitlines()[0] if t.message else t.status.value}"
        for t in failing[:3])
    return Check("reference passes", False,
                 f"failed {len(failed)}/{len(results)} runs ({first.submission}): {detail}")


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


def _mutants_check(known: mutants.MutantsFile, results: dict[str, RunResult],
                   not_applied: dict[str, str], report: KataVerification) -> Check:
    """Every mutant applies to the reference, loads, and fails a hidden test."""
    for mutant in known.mutants:
        if mutant.name in not_applied:
            report.mutants.append(MutantVerdict(mutant.name, [], NOT_APPLIED, mutant.why,
                                                not_applied[mutant.name]))
            continue
        result = results[mutant.name]
        killers = [t.name for t in result.tests if t.status in (Status.FAIL, Status.ERROR)]
        problem = ""
        if result.status is Status.ERROR:
            problem = (f"mutant '{mutant.name}' never got to the tests (it does not load, or "
                       f"the whole run failed), so it proves nothing about the suite: "
                       f"{result.message or 'no test could run'}; make the mistake without "
                       f"breaking the file (kata mutant edit {report.slug} {mutant.name})")
        report.mutants.append(MutantVerdict(mutant.name, killers, result.status.value,
                                            mutant.why, problem))
    if not known.mutants:
        return Check("mutants fail", False, f"no mutants in {known.path}: add known-wrong "
                     "versions, one realistic mistake each (kata mutant new)")
    broken = [m for m in report.mutants if m.problem]
    survivors = [m.name for m in report.mutants if not m.killed and not m.problem]
    caught = sum(m.killed for m in report.mutants)
    detail = f"{caught}/{len(report.mutants)} caught"
    if survivors:
        detail += "; survived: " + ", ".join(survivors)
    if broken:
        detail += "; " + "; ".join(m.problem for m in broken)
    return Check("mutants fail", not survivors and not broken, detail)


def _coverage_check(result: RunResult, kata: Kata, report: KataVerification) -> Check:
    """The hidden suite must run every line and branch of the reference not marked with a
    reason (`# pragma: no cover -- why`)."""
    python_files = [n for n in kata.files if n.endswith(".py")]
    if not python_files:
        return Check("coverage", True, "no Python files (SQL kata): behaviour is what is tested")
    if not result.coverage:
        return Check("coverage", False, "coverage could not be measured: "
                     + (result.message or "the run reported none"))
    problems = []
    for name in python_files:
        data = result.coverage.get(name)
        if data is None:
            problems.append(f"{name}: never imported by the hidden suite")
            continue
        summary = data["summary"]
        report.coverage[name] = {
            "lines": summary["percent_statements_covered"],
            "branches": summary["percent_branches_covered"],
            "missing_lines": data["missing_lines"],
            "missing_branches": data["missing_branches"],
        }
        if data["missing_lines"]:
            problems.append(f"{name}: lines never run: {_ranges(data['missing_lines'])}")
        if data["missing_branches"]:
            branches = ", ".join(f"{a}->{b}" if b > 0 else f"{a}->exit"
                                 for a, b in data["missing_branches"])
            problems.append(f"{name}: branches never taken: {branches}")
        problems += _bare_pragmas(kata.solution_path / name)
    if problems:
        return Check("coverage", False, "; ".join(problems))
    figures = ", ".join(f"{n} {v['lines']:.0f}% lines, {v['branches']:.0f}% branches"
                        for n, v in report.coverage.items())
    return Check("coverage", True, figures)


def _bare_pragmas(path: Path) -> list[str]:
    """A `pragma: no cover` must say why (`# pragma: no cover -- why`)."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _PRAGMA.search(line)
        if match and not match.group("rest").strip(" -—:"):
            found.append(f"{path.name}:{number}: pragma: no cover without a reason")
    return found


def _ranges(numbers: list[int]) -> str:
    spans, start, prev = [], None, None
    for n in sorted(numbers):
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            spans.append((start, prev))
            start = prev = n
    if start is not None:
        spans.append((start, prev))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _tasks_check(result: RunResult, kata: Kata) -> Check:
    """Every task has a hidden test, and every test belongs to exactly one task."""
    if result.status is Status.ERROR and not result.tests:
        return Check("tasks", False, "could not collect the tests: " + result.message)
    orphans = [t.name for t in result.tests if t.task is None]
    empty = [t.title for t in result.tasks if t.total == 0]
    problems = []
    if orphans:
        problems.append(f"{len(orphans)} test(s) carry no task marker (or several): "
                        + ", ".join(orphans[:5]))
    if empty:
        problems.append("task(s) without a hidden test: " + ", ".join(empty))
    if problems:
        return Check("tasks", False, "; ".join(problems))
    counts = ", ".join(f"{t.id}:{t.total}" for t in result.tasks)
    return Check("tasks", True, f"hidden tests per task {counts}")


def _agreement_check(reports: dict[str, differential.Differential]) -> Check:
    """An alternative that passes the suite yet behaves unlike the reference on generated
    calls shows either a gap in the hidden suite or a model comparing what is left free."""
    differing = {name: r.divergence for name, r in reports.items() if r.divergence}
    if not differing:
        return Check("alternatives agree", True, f"{len(reports)}/{len(reports)} behave as the "
                     f"reference on {AGREEMENT_EXAMPLES} generated sequences of calls")
    details = [f"{name}:\n{d.code}  # this alternative: {d.yours}, reference: {d.reference}"
               for name, d in differing.items()]
    return Check("alternatives agree", False,
                 f"{len(differing)}/{len(reports)} behave unlike the reference (a case the "
                 "hidden suite misses, or a model comparing what the catalog leaves free): "
                 + "\n".join(details))


def _alternatives_check(results: dict[str, RunResult]) -> Check:
    failing = {name: r for name, r in results.items() if not r.passed}
    if not failing:
        return Check("alternatives pass", True, f"{len(results)}/{len(results)} pass")
    details = []
    for name, result in failing.items():
        bad = result.failures()
        first = bad[0] if bad else None
        why = result.message or (f"{first.name}: {first.message.splitlines()[0]}" if first
                                 and first.message else "")
        details.append(f"{name} ({why})")
    return Check("alternatives pass", False, f"{len(failing)}/{len(results)} fail: "
                 + "; ".join(details))
