"""Hints of the task the learner is on: what `kata hint` prints and watch's [h] shows."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import FIXTURE_CATALOG
from harness import hints, workspace
from harness.catalog import Catalog
from harness.errors import UsageError
from harness.result import RunResult, Status, TaskResult


@pytest.fixture
def adder():
    return Catalog(FIXTURE_CATALOG).get("adder")


def _passed_task_1(kata) -> RunResult:
    return RunResult(kata="adder", submission="ws", status=Status.FAIL, max_score=10,
                     tasks=[TaskResult(1, "Add", 2, 2), TaskResult(2, "Subtract", 0, 3)])


def test_watch_and_hint_give_the_same_hints_in_the_same_order(adder, tmp_path):
    ws = workspace.start(adder, tmp_path / "ws")
    assert hints.note(hints.next_hint(ws, adder)) == (
        "Hint 1 of 1 for task 1, Add: add() returns a + b.")
    out = hints.note(hints.next_hint(ws, adder))
    assert out.startswith("No more hints for task 1, Add: its one hint is out (kata hint "
                          "lists them).") and "once task 1 passes" in out and "sub()" not in out
    ws.record_check(_passed_task_1(adder))
    first = hints.next_hint(ws, adder)
    assert hints.report(first) == ("Hint 1 of 2 for task 2, Subtract: sub() lives in adder.py "
                                   "too.\n(run kata hint again for the next one)")
    assert hints.note(hints.next_hint(ws, adder)).startswith("Hint 2 of 2 for task 2")
    spent = hints.report(hints.next_hint(ws, adder))
    assert spent.splitlines()[:3] == [
        "All 2 hints for task 2, Subtract are out already:",
        "  1. sub() lives in adder.py too.", "  2. sub(a, b) is a - b: the order matters."]


def test_a_task_named_by_number_and_the_end_of_the_kata(adder, tmp_path):
    ws = workspace.start(adder, tmp_path / "ws")
    assert hints.next_hint(ws, adder, 2).number == 1  # --task 2 before task 1 passes
    assert hints.next_hint(ws, adder).task == adder.tasks[0]  # task 1 still the one on
    with pytest.raises(UsageError, match="adder has tasks 1 to 2, not 0"):
        hints.next_hint(ws, adder, 0)
    ws.record_check(RunResult(kata="adder", submission="ws", status=Status.PASS, max_score=10,
                              tasks=[TaskResult(1, "Add", 2, 2), TaskResult(2, "Sub", 3, 3)]))
    done = hints.next_hint(ws, adder)
    assert done.task is None and "passed every task" in hints.report(done)


def test_a_task_without_hints_says_so(adder, tmp_path):
    bare = dataclasses.replace(adder, tasks=(dataclasses.replace(adder.tasks[0], hints=()),
                                             adder.tasks[1]))
    ws = workspace.start(adder, tmp_path / "ws")
    assert hints.report(hints.next_hint(ws, bare)) == (
        "Task 1, Add has no hints (its kata.toml lists none).")
