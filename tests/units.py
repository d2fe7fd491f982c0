"""Synthetic katas and results for the unit tests that import the harness's modules directly."""

from __future__ import annotations

from pathlib import Path

from harness.catalog import Kata, Task, Timeout
from harness.result import RunResult, Status, TestResult


def kata(tasks: tuple[tuple[str, float], ...] = (("Add", 1.0), ("Subtract", 2.0)),
         weights: dict[str, float] | None = None, points: float = 10.0,
         path: Path = Path("/nowhere/katas/adder")) -> Kata:
    """A kata held in memory only: tasks as (title, weight), markers from the titles."""
    return Kata(slug="adder", title="Adder", topic="networking", difficulty="beginner",
                summary="Add and subtract.", files=("adder.py",),
                tasks=tuple(Task(id=n, title=title, marker=title.lower(), weight=weight)
                            for n, (title, weight) in enumerate(tasks, start=1)),
                timeout=Timeout(), path=path,
                solution_path=path.parent.parent / "solutions" / "adder",
                weights=weights or {}, points=points)


def outcome(name: str, task: int | None, status: Status | str = Status.PASS, *,
         function: str = "", **fields) -> TestResult:
    """One test's outcome; `function` defaults to the name's last word (`add > adds` → adds)."""
    fields.setdefault("id", f"hidden/test_x.py::{name}")
    return TestResult(name=name, task=task,
                      status=Status(status), function=function or name.split()[-1], **fields)


def run(*tests: TestResult, status: Status | str = Status.FAIL, **fields) -> RunResult:
    """A run of the adder kata as the child reports it, before grading."""
    return RunResult(kata="adder", submission=fields.pop("submission", "alice"),
                     status=Status(status), tests=list(tests), **fields)
