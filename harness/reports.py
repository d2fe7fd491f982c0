"""Renders results for people and machines; every format is a pure function of the data."""

from __future__ import annotations

import json
from collections.abc import Iterable

from harness.catalog import Kata
from harness.grading import first_unfinished
from harness.result import RunResult, Status, TestResult

_COLOURS = {"green": "32", "red": "31", "yellow": "33", "dim": "2", "bold": "1", "cyan": "36"}


def to_json(result: RunResult) -> str:
    """The result object of DESIGN.md, the one place it is serialised."""
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)


def paint(text: str, colour: str, enabled: bool) -> str:
    return f"\x1b[{_COLOURS[colour]}m{text}\x1b[0m" if enabled else text


def check_report(result: RunResult, kata: Kata, *, colour: bool = False) -> str:
    """The terminal view of `kata check`: tasks, the first failure of the first open task."""
    lines = [paint(f"{kata.slug} · {kata.title}", "bold", colour), ""]
    if result.status is Status.ERROR:
        lines += [paint("Your code could not be tested:", "red", colour), "",
                  _indent(result.message), "", _score_line(result, colour)]
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

    if current is not None:
        failing = [t for t in result.failures() if t.task == current.id]
        if failing:
            lines += _failure_block(failing[0], colour)
            if len(failing) > 1:
                lines.append(paint(f"  (and {len(failing) - 1} more failing in this task)", "dim",
                                   colour))
            lines.append("")
    others = [t for t in result.failures() if t.task is None]
    if others and current is None:
        lines += _failure_block(others[0], colour) + [""]

    lines.append(_score_line(result, colour))
    if result.passed:
        lines.append(paint(f"Passed in {result.duration:.2f} s.", "green", colour))
        if kata.learned:
            lines.append(f"What you learned: {kata.learned}")
        lines.append("Next: `kata compare` to see the reference, or `kata list` for another kata.")
    elif current is not None:
        lines.append(f"Next: make task {current.id} ({current.title}) pass, then run kata check "
                     "again. Stuck? `kata hint`.")
    return "\n".join(lines)


def _failure_block(test: TestResult, colour: bool) -> list[str]:
    lines = [paint(f"First failing test: {test.name}", "yellow", colour), _indent(test.message)]
    if test.output:
        lines += ["  What it printed:", _indent(test.output, 4)]
    return lines


def _score_line(result: RunResult, colour: bool) -> str:
    if result.status is Status.ERROR:
        return paint(f"Score 0/{result.max_score:g} · {result.duration:.2f} s", "red", colour)
    counted = [t for t in result.tests if t.status is not Status.SKIP]
    passed = sum(t.status is Status.PASS for t in counted)
    hue = "green" if result.passed else "red"
    return paint(f"Score {result.score:.2f}/{result.max_score:g} · {passed}/{len(counted)} tests "
                 f"passed · {result.duration:.2f} s", hue, colour)


def _indent(text: str, spaces: int = 2) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else line for line in text.splitlines())


def table(rows: Iterable[Iterable[str]], headers: Iterable[str]) -> str:
    """A plain aligned text table."""
    rows = [list(map(str, r)) for r in rows]
    headers = list(headers)
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def catalog_table(katas: list[Kata], statuses: dict[str, str]) -> str:
    rows = [(k.slug, k.topic, k.difficulty, k.title, statuses.get(k.slug, "")) for k in katas]
    return table(rows, ("slug", "topic", "difficulty", "title", "status"))


def progress_report(katas: list[Kata], progress: dict[str, dict]) -> str:
    """What the learner has started and passed, by topic."""
    lines = []
    topics: dict[str, list[Kata]] = {}
    for kata in katas:
        topics.setdefault(kata.topic, []).append(kata)
    total_passed = 0
    for topic, members in topics.items():
        passed = [k for k in members if progress.get(k.slug, {}).get("passed_at")]
        total_passed += len(passed)
        lines.append(f"{topic}: {len(passed)}/{len(members)} passed")
        for kata in members:
            entry = progress.get(kata.slug)
            if not entry:
                continue
            state = "passed" if entry.get("passed_at") else "started"
            best = entry.get("best_score")
            score = f", best {best:g}/{entry.get('max_score', 10):g}" if best is not None else ""
            lines.append(f"  {kata.slug}: {state}{score} ({entry.get('workspace', '?')})")
    lines.append("")
    lines.append(f"{total_passed}/{len(katas)} katas passed.")
    return "\n".join(lines)


def verification_report(verification, *, colour: bool = False) -> str:
    """The terminal view of `kata verify` for one kata: each check, then each mutant."""
    head = "ok" if verification.ok else "FAILED"
    lines = [paint(f"{verification.slug}: {head}", "green" if verification.ok else "red", colour)]
    for check in verification.checks:
        mark = paint("✓", "green", colour) if check.ok else paint("✗", "red", colour)
        lines.append(f"  {mark} {check.name}: {check.detail}")
    for mutant in verification.mutants:
        if mutant.killed:
            caught = ", ".join(mutant.killed_by[:3]) or mutant.status
            more = f" (+{len(mutant.killed_by) - 3})" if len(mutant.killed_by) > 3 else ""
            lines.append(f"      mutant {mutant.name}: caught by {caught}{more}")
        else:
            lines.append(paint(f"      mutant {mutant.name}: SURVIVED", "red", colour))
    return "\n".join(lines)


def verification_summary(verifications: list) -> str:
    """One row per verified kata: verdict, mutants caught, coverage, reference time."""
    rows = []
    for v in verifications:
        caught = sum(m.killed for m in v.mutants)
        lines = [f"{c['lines']:.0f}%/{c['branches']:.0f}%" for c in v.coverage.values()]
        rows.append((v.slug, "ok" if v.ok else "FAILED", f"{caught}/{len(v.mutants)}",
                     " ".join(lines) or "-", f"{v.reference_time:.2f} s", str(v.repeat)))
    return "\n" + table(rows, ("kata", "verdict", "mutants caught", "coverage lines/branches",
                                "reference", "repeat"))
