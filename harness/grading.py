"""Scores from outcomes: task weights, test weights, partial credit, and the run's status."""

from __future__ import annotations

import math

from harness.catalog import Kata
from harness.errors import UsageError
from harness.result import RunResult, Status, TaskResult, TestResult


def grade(result: RunResult, kata: Kata) -> RunResult:
    """Fills in tasks, per-test scores, the total score and the status of a run result.

    The kata's points are shared among its tasks by task weight, and a task's share
    among its tests by test weight (`[weights]` in kata.toml, default 1). Skipped
    tests neither earn nor lose points. A run that could not test anything scores 0.
    """
    result.max_score = kata.points
    counted = result.counted
    by_task = {task.id: [t for t in counted if t.task == task.id] for task in kata.tasks}
    unassigned = [t for t in counted if t.task is None]
    weight_total = sum(task.weight for task in kata.tasks if by_task[task.id])
    if unassigned:  # a test outside every task still counts, as a task of weight 1 of its own
        weight_total += 1.0

    groups = [(task.weight, by_task[task.id]) for task in kata.tasks]
    if unassigned:
        groups.append((1.0, unassigned))
    for weight, tests in groups:
        test_weights = [kata.weights.get(t.function, 1.0) for t in tests]
        share = kata.points * weight / weight_total if weight_total else 0.0
        for test, test_weight in zip(tests, test_weights, strict=True):
            test.max_score = share * test_weight / sum(test_weights)
            test.score = test.max_score if test.status is Status.PASS else 0.0

    result.tasks = [
        TaskResult(id=task.id, title=task.title, total=len(by_task[task.id]),
                   passed=sum(t.status is Status.PASS for t in by_task[task.id]))
        for task in kata.tasks
    ]
    if result.status is Status.ERROR:
        for test in result.tests:
            test.score = 0.0
        result.score = 0.0
        return result
    result.score = sum(t.score for t in result.tests)
    result.status = Status.PASS if counted and all(
        t.status is Status.PASS for t in counted) else Status.FAIL
    return result


def first_unfinished(result: RunResult) -> TaskResult | None:
    """Returns the first task with a test that did not pass, the learner's next level."""
    return next((t for t in result.tasks if t.passed < t.total), None)


def first_failure(result: RunResult) -> TestResult | None:
    """The failure `kata check` shows first, and a class report names: the first failing
    test of the first unfinished task, in the suite's order; with every task done, the
    first failing test outside all tasks. A test that failed on its own comes before one
    stopped with the run; when the run ran out of time before any test of that task could
    fail on its own, the first test that did, whichever its task: what used the time."""
    current = first_unfinished(result)
    task = current.id if current is not None else None
    failures = result.failures()
    mine = [t for t in failures if t.task == task]
    ran = [t for t in mine if t.finished]
    if ran:
        return ran[0]
    if result.timed_out:
        cause = next((t for t in failures if t.finished), None)
        if cause is not None:
            return cause
    return mine[0] if mine else None


def passes(result: RunResult, min_score: float | None) -> bool:
    """Whether a result reaches the pass mark (default: every test passed)."""
    if min_score is None:
        return result.passed
    return result.status is not Status.ERROR and result.score + 1e-9 >= min_score


#: what --min-score accepts, for --help and for the errors
MIN_SCORE_FORMS = ("points, from 0 to the kata's maximum (6), or a percentage of the maximum, "
                   "from 0% to 100% (60%)")
#: what no --min-score means, said once in --help and in the summary
NO_MIN_SCORE = "without --min-score, the pass mark is every test passing"


def parse_min_score(text: str | None, max_score: float) -> float | None:
    """Reads a pass mark in points (`6`) or as a share of the maximum (`60%`); None when no
    pass mark is given (then every test must pass)."""
    if text is None:
        return None
    forms = (f"give points from 0 to {max_score:g} (e.g. {max_score * 0.6:g}) or a percentage "
             "from 0% to 100% (e.g. 60%)")
    share = text.strip().endswith("%")
    try:
        number = float(text.strip()[:-1] if share else text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise UsageError(f"--min-score {text!r} is not a pass mark: {forms}")
    if not 0 <= number <= (100 if share else max_score):
        limit = "a percentage must lie from 0% to 100%" if share else (
            f"points must lie from 0 to {max_score:g}, the kata's maximum")
        raise UsageError(f"--min-score {text}: {limit}; {forms}")
    return number * max_score / 100 if share else number


def describe_pass_mark(mark: float | None, max_score: float) -> str:
    """The pass mark as the summary of `kata grade` and `kata merge` names it."""
    if mark is None:
        return "reached the pass mark: every test passing (no --min-score given)"
    share = 100 * mark / max_score if max_score else 100.0
    return f"reached the pass mark of {mark:.4g}/{max_score:g} points ({share:.4g}%)"
