"""Scores from outcomes: task weights, test weights, partial credit, and the run's status."""

from __future__ import annotations

import queue
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from harness import runner
from harness.catalog import Kata
from harness.errors import UsageError
from harness.result import RunResult, Status, TaskResult, valid_text


def grade(result: RunResult, kata: Kata) -> RunResult:
    """Fills in tasks, per-test scores, the total score and the status of a run result.

    The kata's points are shared among its tasks by task weight, and a task's share
    among its tests by test weight (`[weights]` in kata.toml, default 1). Skipped
    tests neither earn nor lose points. A run that could not test anything scores 0.
    """
    result.max_score = kata.points
    counted = [t for t in result.tests if t.status is not Status.SKIP]
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
        for test, test_weight in zip(tests, test_weights):
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


# -- a class of submissions ------------------------------------------------------------------

def discover(kata: Kata, paths: list[Path], each: list[Path] = ()) -> list[runner.Submission]:
    """Turns the command line's paths into named submissions.

    A path is a directory (a workspace or a student's repository) or, for one-file
    katas, a single file; `each` folders hold one submission per entry. Names come
    from the paths and are made unique by adding parent folders.
    """
    found: list[Path] = [Path(p) for p in paths]
    for folder in each:
        if not Path(folder).is_dir():
            raise UsageError(f"--each {folder}: not a directory")
        found += sorted(p for p in Path(folder).iterdir() if not p.name.startswith("."))
    missing = [str(p) for p in found if not p.exists()]
    if missing:
        raise UsageError(f"no such submission: {', '.join(missing)}")
    if not found:
        raise UsageError("give submissions to grade: paths, a glob, or --each DIR")
    names = _unique_names([p.resolve() for p in found])
    submissions = []
    for path, name in zip(found, names):
        submissions.append(runner.Submission.from_path(path.resolve(), kata, name=name))
    return submissions


def _unique_names(paths: list[Path]) -> list[str]:
    depth = 1
    while True:
        names = ["/".join(p.with_suffix("").parts[-depth:]) if p.is_file()
                 else "/".join(p.parts[-depth:]) for p in paths]
        if len(set(names)) == len(names) or depth > 20:
            return names
        depth += 1


def parse_shard(text: str) -> tuple[int, int]:
    """Reads `I/N` (1-based): grade the I-th of N slices."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise UsageError(f"--shard {text}: write it as I/N, e.g. 2/4") from None
    if not 1 <= index <= count:
        raise UsageError(f"--shard {text}: I must be between 1 and N")
    return index, count


def shard(submissions: list[runner.Submission], index: int, count: int) -> list:
    """A deterministic slice: every N-th submission by name, so shards never overlap."""
    ordered = sorted(submissions, key=lambda s: s.name)
    return [s for position, s in enumerate(ordered) if position % count == index - 1]


def grade_batch(kata: Kata, submissions: list[runner.Submission], *, jobs: int,
                isolation: str = "auto", env: dict[str, str] | None = None,
                on_result: Callable[[RunResult], None] | None = None) -> list[RunResult]:
    """Grades every submission in its own run, `jobs` at a time; one submission that hangs,
    crashes or floods output costs only itself. Results come back in submission order."""
    hide = (*runner.hidden_from_child(kata),
            *(s.directory or next(iter(s.files.values())).parent for s in submissions))
    network = (env or {}).get("KATA_DB") == "postgresql"
    for submission in submissions:  # before any learner code runs
        submission.snapshot()
    results: list[RunResult | None] = [None] * len(submissions)
    servers: queue.Queue = queue.Queue()
    with tempfile.TemporaryDirectory(prefix="kata-grade-") as scratch, \
            ThreadPoolExecutor(max_workers=jobs) as pool:
        started = []
        for number in range(min(jobs, len(submissions))):
            server = runner.ForkServer(Path(scratch) / f"worker-{number}", isolation, hide,
                                       network)
            started.append(server)
            servers.put(server)

        def grade_one(position: int) -> int:
            server = servers.get()
            try:
                results[position] = runner.run(kata, submissions[position], env=env,
                                                server=server)
            except Exception as exc:  # noqa: BLE001 -- one submission never costs the others
                results[position] = _harness_failed(kata, submissions[position], exc)
            finally:
                servers.put(server)
            return position

        try:
            for future in as_completed([pool.submit(grade_one, i)
                                        for i in range(len(submissions))]):
                position = future.result()
                if on_result is not None:
                    on_result(results[position])
        finally:
            for server in started:
                server.close()
    return [r for r in results if r is not None]


def _harness_failed(kata: Kata, submission: runner.Submission, exc: Exception) -> RunResult:
    """The result of a submission the harness itself could not grade: an error with the
    reason, so that its report is written beside everyone else's."""
    result = RunResult(kata=kata.slug, submission=submission.name, status=Status.ERROR,
                       message=valid_text(f"the harness could not grade this submission "
                                          f"({type(exc).__name__}: {exc}); please report it"))
    return grade(result, kata)


def passes(result: RunResult, min_score: float | None) -> bool:
    """Whether a result reaches the pass mark (default: every test passed)."""
    if min_score is None:
        return result.passed
    return result.status is not Status.ERROR and result.score + 1e-9 >= min_score


def parse_min_score(text: str | None, max_score: float) -> float | None:
    """Reads a pass mark in points (`6`) or as a share of the maximum (`60%`)."""
    if text is None:
        return None
    try:
        value = float(text[:-1]) * max_score / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise UsageError(f"--min-score {text}: give points (6) or a percentage (60%)") from None
    if not 0 <= value <= max_score:
        raise UsageError(f"--min-score {text}: must lie between 0 and {max_score:g}")
    return value
