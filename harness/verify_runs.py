"""The checks of `kata verify` that judge runs: the stub fails every task, the reference
passes every time, every known-wrong version fails a hidden test, the hidden suite covers
the reference and every test has a task, and the alternatives pass and agree with it."""

from __future__ import annotations

import re
from pathlib import Path

from harness import differential, mutants, properties
from harness.catalog import Kata
from harness.result import RunResult, Status, TestResult
from harness.verify_report import NOT_APPLIED, Check, KataVerification, MutantVerdict

_PRAGMA = re.compile(r"pragma:\s*no\s*cover(?P<rest>.*)$", re.IGNORECASE)
AGREEMENT_EXAMPLES = 200  # generated sequences per alternative, compared with the reference
TOLD_LINES = 40  # lines shown of a failing test of the reference or an alternative


def stub_check(result: RunResult) -> Check:
    """Every task must have a failing test on the stub, else the stub or the suite is weak."""
    if result.status is Status.ERROR:
        return Check("stub fails", False, "the stub cannot be loaded: " + result.message)
    solved = [t.title for t in result.tasks if t.done]
    passing = sum(t.status is Status.PASS for t in result.tests)
    if solved:
        return Check("stub fails", False, "the stub already passes task(s): " + ", ".join(solved))
    return Check("stub fails", True,
                 f"every task fails on the stub ({passing}/{len(result.tests)} tests pass)")


def reference_check(results: list[RunResult], report: KataVerification) -> Check:
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
    detail = first.message or "; ".join(f"{t.name}: {_told(t)}" for t in failing[:3])
    return Check("reference passes", False,
                 f"failed {len(failed)}/{len(results)} runs ({first.submission}): {detail}")


def mutants_check(known: mutants.MutantsFile, results: dict[str, RunResult],
                   not_applied: dict[str, str], report: KataVerification) -> Check:
    """Every mutant applies to the reference, loads, and fails a hidden test."""
    for mutant in known.mutants:
        if mutant.name in not_applied:
            report.mutants.append(MutantVerdict(mutant.name, [], NOT_APPLIED, mutant.why,
                                                not_applied[mutant.name]))
            continue
        result = results[mutant.name]
        failed = [t for t in result.tests if t.status in (Status.FAIL, Status.ERROR)]
        killers = [t.name for t in failed]
        problem = ""
        if result.status is Status.ERROR:
            problem = (f"mutant '{mutant.name}' never got to the tests (it does not load, or "
                       f"the whole run failed), so it proves nothing about the suite: "
                       f"{result.message or 'no test could run'}; make the mistake without "
                       f"breaking the file (kata mutant edit {report.slug} {mutant.name})")
        report.mutants.append(MutantVerdict(
            mutant.name, killers, result.status.value, mutant.why, problem,
            catcher=_in_hidden(failed[0].id) if failed else "", recorded=mutant.caught_by,
            catcher_seconds=failed[0].duration if failed else 0.0))
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
    unrecorded = [m.name for m in report.mutants if m.unrecorded]
    if unrecorded:
        detail += (f"; {len(unrecorded)} not caught by the test mutants.toml records "
                   f"({', '.join(unrecorded[:5])}{', ...' if len(unrecorded) > 5 else ''}): "
                   f"`kata mutant record {report.slug}` writes it, so their runs stop at once")
    return Check("mutants fail", not survivors and not broken, detail)


def fastest_catcher(result: RunResult) -> tuple[str, float] | None:
    """The hidden test that failed soonest in a run through the whole suite, as mutants.toml
    names it (the earliest in the suite among equals), and its seconds; None when none did."""
    failed = [t for t in result.tests if t.status in (Status.FAIL, Status.ERROR)]
    if not failed:
        return None
    soonest = min(failed, key=lambda t: t.duration)
    return _in_hidden(soonest.id), soonest.duration


def _in_hidden(nodeid: str) -> str:
    """A hidden test's node id in a run (`hidden/test_x.py::test_y`) as mutants.toml names
    it, relative to the hidden folder."""
    return nodeid.split("/", 1)[1] if nodeid.startswith("hidden/") else nodeid


def in_run(caught_by: str) -> str:
    """The inverse of `_in_hidden`: a recorded catcher as the run's node id."""
    return f"hidden/{caught_by}"


def coverage_check(result: RunResult, kata: Kata, report: KataVerification) -> Check:
    """The hidden suite must run every line and branch of the reference not marked with a
    reason (`# pragma: no cover -- why`)."""
    python_files = [n for n in kata.files if n.endswith(".py")]
    if not python_files:
        return Check("coverage", True, "no Python files (SQL kata): behaviour is what is tested")
    if not result.coverage:
        return Check("coverage", False, "coverage could not be measured: "
                     + (result.message or "the run reported none"))
    if not result.passed:
        failing = ", ".join(t.name for t in result.failures()[:3])
        return Check("coverage", False, "the reference failed the run measured for coverage: "
                     + (result.message or failing))
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
    """`1, 2, 3, 7` as `1-3, 7`."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def tasks_check(result: RunResult, kata: Kata) -> Check:
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


def agreement_check(reports: dict[str, differential.Differential]) -> Check:
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


def properties_check(reports: dict[str, list[properties.PropertyReport]]) -> Check:
    """The reference and every alternative keep the contract's properties."""
    broken = [(name, r) for name, found in reports.items() for r in found if r.counterexample]
    count = max((len(found) for found in reports.values()), default=0)
    if not broken:
        kept = f"{count} contract propert{'y' if count == 1 else 'ies'}"
        return Check("properties hold", True, f"{len(reports)}/{len(reports)} (the reference "
                     f"and the alternatives) keep the {kept} on {AGREEMENT_EXAMPLES} generated "
                     "examples each")
    details = [f"{name}, {r.contract}\n{r.counterexample.code}\n  what came back: "
               f"{r.counterexample.came_back}" for name, r in broken if r.counterexample]
    return Check("properties hold", False,
                 f"{len(broken)} of the contract's properties fail on correct code (a "
                 "property checking what the catalog leaves free, or a wrong reference or "
                 "alternative): "
                 + "\n".join(details))


def _told(test: TestResult) -> str:
    """What a failing test of code that should pass said: whole up to TOLD_LINES lines, as
    what follows the first line (a deadlock's thread stacks) is what its author needs."""
    lines = test.message.strip().splitlines() if test.message else [test.status.value]
    if len(lines) > TOLD_LINES:
        lines = [*lines[:TOLD_LINES], f"[... {len(lines) - TOLD_LINES} more lines]"]
    return "\n".join(lines)


def alternatives_check(results: dict[str, RunResult]) -> Check:
    failing = {name: r for name, r in results.items() if not r.passed}
    if not failing:
        return Check("alternatives pass", True, f"{len(results)}/{len(results)} pass")
    details = []
    for name, result in failing.items():
        bad = result.failures()
        first = bad[0] if bad else None
        why = result.message or (f"{first.name}: {_told(first)}" if first else "")
        details.append(f"{name} ({why})")
    return Check("alternatives pass", False, f"{len(failing)}/{len(results)} fail: "
                 + "; ".join(details))
