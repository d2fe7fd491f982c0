"""What the terminal shows: `kata check`, `list`, `progress`, `compare`, `verify` and the
summary of `kata grade`, as text (ANSI colour when asked). Pure functions of the data; the
command line prints them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness import generated
from harness.catalog import Kata, Task
from harness.grading import first_failure, first_unfinished
from harness.reports import plural, summary_rows
from harness.result import RunResult, Status, TaskResult, TestResult

if TYPE_CHECKING:  # the views only read them; importing them would load runner and Hypothesis
    from harness.compare import Comparison
    from harness.verify import KataVerification
    from harness.verify_report import Check

_COLOURS = {"green": "32", "red": "31", "yellow": "33", "dim": "2", "bold": "1", "cyan": "36"}


def paint(text: str, colour: str, enabled: bool) -> str:
    return f"\x1b[{_COLOURS[colour]}m{text}\x1b[0m" if enabled else text


def check_report(result: RunResult, kata: Kata, *, colour: bool = False) -> str:
    """The terminal view of `kata check`: tasks, the first failure of the first open task."""
    lines = [paint(f"{kata.slug} · {kata.title}", "bold", colour), ""]
    if result.status is Status.ERROR:
        lines += [paint("Your code could not be tested:", "red", colour), "",
                  _indent(result.message), "", _score_line(result, colour),
                  f"Next: {result.advice or 'fix what it says, then run kata check again.'}"]
        return "\n".join(lines)

    current = first_unfinished(result)
    width = max((len(t.title) for t in result.tasks), default=0)
    for task in result.tasks:
        if task.done:
            mark, hue = "✓", "green"
        elif current is not None and task.id == current.id:
            mark, hue = "✗", "red"
        else:
            mark, hue = "·", "dim"
        counts = f"{task.passed}/{task.total}"
        lines.append(paint(f"  {mark} {task.id}. {task.title.ljust(width)}  {counts}", hue, colour))
    lines.append("")

    first = first_failure(result)
    if first is not None:
        lines += _failure_block(first, colour)
        alike = [t for t in result.failures() if t.task == first.task]
        if current is not None and len(alike) > 1:
            lines.append(paint(f"  (and {len(alike) - 1} more failing in this task)", "dim",
                               colour))
        lines.append("")

    if not kata.hidden_suite_installed:
        return "\n".join(lines + _examples_only(result, kata, current, colour))
    lines.append(_score_line(result, colour))
    if result.passed:
        lines.append(paint(f"Passed in {result.duration:.2f} s.", "green", colour))
        if kata.learned:
            lines.append(f"What you learned: {kata.learned}")
        lines.append("Next: `kata compare` to set your code beside the reference, or "
                     "`kata next` for the next kata.")
    elif current is not None:
        lines.append(f"Next: make task {current.id} ({current.title}) pass, then run kata check "
                     "again. Stuck? `kata hint`.")
        if kata.model and any(t.done for t in result.tasks):
            lines.append("`kata compare` finds the smallest sequence of calls where yours "
                         "behaves differently from the reference.")
    return "\n".join(lines)


def _examples_only(result: RunResult, kata: Kata, current: TaskResult | None,
                   colour: bool) -> list[str]:
    """The end of a check where the hidden suite is not installed (a hand-out, the learners'
    install): no score, since the examples are not the grade, and who grades instead."""
    hue = "green" if result.passed else "red"
    lines = [paint(f"Examples {result.tests_passed}/{result.tests_total} passed · "
                   f"{result.duration:.2f} s", hue, colour),
             paint(f"Only the example tests ran: the hidden suite of {kata.slug} is not "
                   "installed here, so this is not a grade.", "yellow", colour),
             "In a course, your work is graded on the course's side, with the hidden suite "
             "(push it or hand it in as your course says). Practising on your own? "
             "pip install 'kata-harness[full]' brings the hidden suites."]
    if not result.passed and current is not None:
        lines.append(f"Next: make the examples of task {current.id} ({current.title}) pass, "
                     "then run kata check again. Stuck? `kata hint`.")
    return lines


def _failure_block(test: TestResult, colour: bool) -> list[str]:
    lines = [paint(f"First failing test: {test.name}", "yellow", colour), _indent(test.message)]
    if test.output:
        lines += ["  What it printed:", _indent(test.output, 4)]
    return lines


def _score_line(result: RunResult, colour: bool) -> str:
    if result.status is Status.ERROR:
        return paint(f"Score 0/{result.max_score:g} · {result.duration:.2f} s", "red", colour)
    hue = "green" if result.passed else "red"
    return paint(f"Score {result.score:.2f}/{result.max_score:g} · {result.tests_passed}/"
                 f"{result.tests_total} tests "
                 f"passed · {result.duration:.2f} s", hue, colour)


def _indent(text: str, spaces: int = 2) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else line for line in text.splitlines())


def table(rows: Iterable[Iterable[object]], headers: Iterable[str]) -> str:
    """A plain aligned text table."""
    cells = [[str(cell) for cell in row] for row in rows]
    heads = list(headers)
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(heads)]

    def line(row: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip()
    return "\n".join([line(heads), line(["-" * w for w in widths]), *map(line, cells)])


def catalog_table(katas: list[Kata], statuses: dict[str, str]) -> str:
    rows = [(k.slug, k.topic, k.difficulty, k.title, statuses.get(k.slug, "")) for k in katas]
    return table(rows, ("slug", "topic", "difficulty", "title", "status"))


def progress_report(katas: list[Kata], records: dict[str, dict[str, dict[str, Any]]]) -> str:
    """What the learner has started and passed, by topic: one line per workspace of each
    kata (`records`: {slug: {workspace path: its record}}), scores as `kata check` shows
    them; a kata counts as passed when any of its workspaces passed."""
    lines = []
    topics: dict[str, list[Kata]] = {}
    for kata in katas:
        topics.setdefault(kata.topic, []).append(kata)
    total_passed = 0
    for topic, members in topics.items():
        passed = [k for k in members
                  if any(r.get("passed_at") for r in records.get(k.slug, {}).values())]
        total_passed += len(passed)
        lines.append(f"{topic}: {len(passed)}/{len(members)} passed")
        for kata in members:
            for where, record in records.get(kata.slug, {}).items():
                state = "passed" if record.get("passed_at") else "started"
                best = record.get("best_score")
                score = (f", best {best:.2f}/{record.get('max_score', 10):g}"
                         if best is not None else ", not checked yet")
                gone = "" if Path(where, ".kata").is_dir() else " (folder gone)"
                lines.append(f"  {kata.slug}: {state}{score} in {where}{gone}")
    lines.append("")
    lines.append(f"{total_passed}/{plural(len(katas), 'kata')} passed.")
    return "\n".join(lines)


def verification_report(verification: KataVerification, *, colour: bool = False) -> str:
    """The terminal view of `kata verify` for one kata: each check, then each mutant."""
    head = "ok" if verification.ok else "FAILED"
    lines = [paint(f"{verification.slug}: {head}", "green" if verification.ok else "red", colour)]
    lines += [check_line(check, colour) for check in verification.checks]
    for mutant in verification.mutants:
        if mutant.killed:
            caught = ", ".join(mutant.killed_by[:3])
            more = f" (+{len(mutant.killed_by) - 3})" if len(mutant.killed_by) > 3 else ""
            lines.append(f"      mutant {mutant.name}: caught by {caught}{more}")
        elif mutant.problem:
            lines.append(paint(f"      mutant {mutant.name}: {mutant.status.upper()}", "red",
                               colour))
        else:
            lines.append(paint(f"      mutant {mutant.name}: SURVIVED", "red", colour))
        if mutant.why:
            lines.append(f"        why: {mutant.why}")
    if verification.generated is not None:
        lines += generated_survivors(verification.generated, colour=colour)
    return "\n".join(lines)


def check_line(check: Check, colour: bool = False) -> str:
    """One check of `kata verify`: its mark, its name and what it found."""
    mark = paint("✓", "green", colour) if check.ok else paint("✗", "red", colour)
    return f"  {mark} {check.name}: {check.detail}"


def generated_survivors(report: generated.GeneratedMutants, *,
                        colour: bool = False) -> list[str]:
    """One line per generated mutant the suite let through, with what to do about it."""
    lines = []
    for v in report.survivors:
        why = " (line never run by the hidden suite)" if v.outcome == generated.NOT_RUN else ""
        lines.append(paint(f"      survived {v.file}, {v.description}{why}  [{v.id}]",
                           "red", colour))
    for v in report.verdicts:
        if v.outcome == generated.NOT_VIABLE:
            lines.append(f"      not viable {v.file}, {v.description}  [{v.id}]: {v.message}")
    if report.survivors:
        lines.append(f"      kill each with a hidden test, or mark it in {report.marks_file}: "
                     'equivalent = [{ id = "...", reason = "..." }]')
    return lines


def verification_summary(verifications: Sequence[KataVerification]) -> str:
    """One row per verified kata: verdict, mutants caught, coverage, reference time."""
    rows = []
    for v in verifications:
        caught = sum(m.killed for m in v.mutants)
        lines = [f"{c['lines']:.0f}%/{c['branches']:.0f}%" for c in v.coverage.values()]
        score = f"{v.generated.score:.0%}" if v.generated and v.generated.verdicts else "-"
        rows.append((v.slug, "ok" if v.ok else "FAILED", f"{caught}/{len(v.mutants)}", score,
                     " ".join(lines) or "-", f"{v.reference_time:.2f} s", str(v.repeat)))
    return "\n" + table(rows, ("kata", "verdict", "mutants caught", "generated score",
                                "coverage lines/branches", "reference", "repeat"))



def summary_table(results: list[RunResult]) -> str:
    rows = [(row["name"], f"{row['score']:g}/{row['max_score']:g}", row["tests"],
             f"{row['duration']:.2f} s", row["status"], _clip(row["why"], 72))
            for row in summary_rows(results)]
    return table(rows, ("submission", "score", "tests", "time", "status", "why"))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def task_examples(kata: Kata, task: Task) -> str:
    """A task's title and the example tests that belong to it, as source code."""
    import ast

    from harness import syntax

    lines = [f"Task {task.id}/{len(kata.tasks)}: {task.title}", ""]
    found = 0
    for path in kata.visible_tests():
        source = path.read_text(encoding="utf-8")
        tree = syntax.parse(source, str(path))
        module_marked = any(task.marker in ast.unparse(n) for n in tree.body
                            if isinstance(n, ast.Assign) and any(
                                getattr(t, "id", "") == "pytestmark" for t in n.targets))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test"):
                continue
            marks = " ".join(ast.unparse(d) for d in node.decorator_list)
            if module_marked or f".{task.marker}" in marks:
                lines += [f"# {path.name}", ast.get_source_segment(source, node) or "", ""]
                found += 1
    if not found:
        lines.append("No example test for this task; kata check shows its first failure.")
    return "\n".join(lines).rstrip() + "\n"


def compare_report(comparison: Comparison, kata: Kata, *, colour: bool = False,
                   every_test: bool = False) -> str:
    """The terminal view of `kata compare`: the five views, one after another. The verdicts
    go task by task: a line per task, and under it only the tests where yours or the
    reference did not pass, unless `every_test`."""
    yours, theirs = comparison.yours, comparison.reference
    lines = [paint(f"{kata.slug} · {kata.title}: {comparison.submission} beside the reference",
                   "bold", colour), "",
             paint("1. Verdicts of the tests (the examples and the hidden suite)", "bold", colour)]
    if yours.status is Status.ERROR:
        lines += ["  Your code could not be tested:", _indent(yours.message, 4)]
    else:
        lines += _verdicts(comparison, kata, every_test, colour)
        lines.append(f"  score: yours {yours.score:.2f}, reference {theirs.score:.2f} "
                     f"of {yours.max_score:g}")
    lines += ["", paint("2. Behaviour on the same inputs", "bold", colour)]
    diff = comparison.differential
    if diff is None:
        lines.append("  (this kata declares no operation model)" if yours.status is not
                     Status.ERROR else "  (needs code that loads)")
    elif diff.divergence is None:
        lines.append(f"  no difference in {diff.examples} generated sequences (seed {diff.seed})")
    else:
        d = diff.divergence
        lines += [f"  first difference, shrunk to a minimal sequence (replay: --seed {d.seed}):",
                  "", _indent(d.code, 4) + f"  # yours: {d.yours}, reference: {d.reference}"]
    lines += _property_lines(comparison, colour)
    lines += ["", paint("3. Speed", "bold", colour)]
    speed = comparison.speed
    if not speed.get("declared"):
        lines.append("  (this kata declares no benchmark)" if speed else "  (not measured)")
    elif "error" in speed:
        lines.append(f"  could not be timed: {speed['error']}")
    else:
        low, high = speed["spread"]
        lines.append(f"  {speed['workload']}: yours {speed['yours'] * 1000:.2f} ms, reference "
                     f"{speed['reference'] * 1000:.2f} ms, ratio {speed['ratio']:.2f}x "
                     f"(spread {low:.2f}-{high:.2f} over repeats)")
    lines += ["", paint("4. Lines of yours the tests never ran", "bold", colour)]
    uncovered = {n: v for n, v in comparison.uncovered.items() if v}
    if not comparison.uncovered:
        lines.append("  (not measured)")
    elif not uncovered:
        lines.append("  none: every line ran")
    for name, numbers in uncovered.items():
        lines.append(f"  {name}: lines {', '.join(map(str, numbers))} (dead code or untested "
                     "paths)")
    lines += ["", paint("5. The reference", "bold", colour)]
    if comparison.code is None:
        lines.append("  shown once you pass (or with --reveal, which is recorded)")
    else:
        for name, view in comparison.code["files"].items():
            lines += [f"  --- reference {name} ---", _indent(view["reference"], 4),
                      "  --- your file against it ---", _indent(view["diff"] or "(identical)", 4)]
        if comparison.code["notes"]:
            lines += ["  --- notes ---", _indent(comparison.code["notes"], 4)]
    return "\n".join(lines)


def _mark(status: str) -> str:
    return {"pass": "✓ pass", "fail": "✗ fail", "error": "✗ error", "skip": "- skip"}.get(
        status, status)


def _verdicts(comparison: Comparison, kata: Kata, every_test: bool,
              colour: bool) -> list[str]:
    """Task by task, in task order: the count of tests passing, yours and the reference's,
    then the tests that did not pass on one side (every test with `every_test`)."""
    def shown(row: dict[str, Any]) -> bool:
        return every_test or row["yours"] != "pass" or row["reference"] != "pass"

    rows = comparison.rows()  # in task order
    cells = {id(r): [r["name"], _mark(r["yours"]), f"{r['yours_time'] * 1000:.1f} ms",
                     _mark(r["reference"]),
                     f"{r['reference_time'] * 1000:.1f} ms" if r["reference_time"] is not None
                     else "-"] for r in rows if shown(r)}
    heads = ["test", "yours", "time", "reference", "time"]
    widths = [max([len(h), *(len(c[i]) for c in cells.values())]) for i, h in enumerate(heads)]

    def line(row: list[str]) -> str:
        return "    " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()

    groups: dict[int | None, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["task"], []).append(row)
    titles = {task.id: task.title for task in kata.tasks}
    lines = []
    for task, members in groups.items():
        mine = sum(r["yours"] == "pass" for r in members)
        ref = sum(r["reference"] == "pass" for r in members)
        name = f"task {task}. {titles.get(task, '')}" if task is not None else "other tests"
        done = mine == len(members)
        lines.append(paint(f"  {'✓' if done else '✗'} {name}: yours {mine}/{len(members)} "
                           f"passed, reference {ref}/{len(members)}",
                           "green" if done else "red", colour))
        listed = sorted((r for r in members if shown(r)), key=lambda r: r["yours"] == "pass")
        if listed:  # yours failing first
            lines += [line(heads), *(line(cells[id(r)]) for r in listed)]
    unlisted = len(rows) - len(cells)
    if unlisted:
        lines.append(paint(f"  ({plural(unlisted, 'test')} passed on both sides, not listed: "
                           "--all lists every test with its times)", "dim", colour))
    return lines


def _property_lines(comparison: Comparison, colour: bool) -> list[str]:
    """The contract's properties, checked on yours alone: a line each, and for one that
    fails its shrunk counterexample: the calls, what came back, what the contract says."""
    if not comparison.properties:
        return []
    lines = ["", "  The contract's properties, checked on yours alone (where it leaves values "
             "free, the reference's are no yardstick):"]
    for report in comparison.properties:
        found = report.counterexample
        if report.unbuilt:
            lines.append(paint(f"  · {report.contract} (not checked: {report.unbuilt})",
                               "yellow", colour))
            continue
        if found is None:
            lines.append(paint(f"  ✓ {report.contract} (held in {report.examples} generated "
                               "sequences)", "green", colour))
            continue
        lines += [paint(f"  ✗ {report.contract}", "red", colour),
                  f"    the calls, shrunk to a minimal sequence (replay: --seed {report.seed}):",
                  "", _indent(found.code, 6), "",
                  f"    what came back: {found.came_back}",
                  f"    what the contract says: {found.contract}"]
    return lines

