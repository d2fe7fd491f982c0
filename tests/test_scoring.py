"""Scoring as a pure function: task weights, test weights, skips, error runs, unassigned tests.

These import `harness.grading` directly (no subprocess, no sandbox): a kata and a run's
outcomes are built in memory by `units`.
"""

from __future__ import annotations

import re

import pytest

from harness.errors import UsageError
from harness.grading import first_failure, first_unfinished, grade, parse_min_score, passes
from harness.result import UNFINISHED, Status
from units import kata, outcome, run


def _scores(result) -> dict[str, tuple[float, float]]:
    return {t.name: (round(t.score, 4), round(t.max_score, 4)) for t in result.tests}


def test_points_are_shared_among_tasks_by_task_weight_then_among_their_tests():
    graded = grade(run(outcome("add > adds", 1), outcome("add > adds zero", 1),
                       outcome("subtract > subtracts", 2)), kata())
    # Add has weight 1, Subtract weight 2: a third and two thirds of 10 points
    assert _scores(graded) == {"add > adds": (1.6667, 1.6667),
                               "add > adds zero": (1.6667, 1.6667),
                               "subtract > subtracts": (6.6667, 6.6667)}
    assert graded.max_score == 10.0
    assert graded.score == pytest.approx(10.0)
    assert graded.status is Status.PASS


def test_a_test_weight_shares_its_task_unevenly():
    graded = grade(run(outcome("add > adds", 1),
                       outcome("subtract > subtracts", 2, "fail"),
                       outcome("subtract > subtracts_negative", 2)),
                   kata(weights={"subtracts_negative": 3}))
    assert _scores(graded) == {"add > adds": (3.3333, 3.3333),
                               "subtract > subtracts": (0.0, 1.6667),
                               "subtract > subtracts_negative": (5.0, 5.0)}
    assert graded.score == pytest.approx(8.3333, abs=1e-4)
    assert graded.status is Status.FAIL


def test_failing_and_erroring_tests_earn_nothing_and_the_run_fails():
    graded = grade(run(outcome("add > adds", 1, "error"), outcome("subtract > subtracts", 2)),
                   kata())
    assert _scores(graded)["add > adds"] == (0.0, 3.3333)
    assert graded.score == pytest.approx(6.6667, abs=1e-4)
    assert graded.status is Status.FAIL


def test_a_skipped_test_neither_earns_nor_loses_points():
    graded = grade(run(outcome("add > adds", 1), outcome("add > adds later", 1, "skip"),
                       outcome("subtract > subtracts", 2)), kata())
    assert _scores(graded)["add > adds later"] == (0.0, 0.0)
    assert _scores(graded)["add > adds"] == (3.3333, 3.3333)
    assert graded.score == pytest.approx(10.0)
    assert graded.status is Status.PASS
    assert [(t.passed, t.total) for t in graded.tasks] == [(1, 1), (1, 1)]


def test_a_task_whose_tests_are_all_skipped_leaves_its_weight_to_the_others():
    graded = grade(run(outcome("add > adds", 1), outcome("subtract > subtracts", 2, "skip")),
                   kata())
    assert _scores(graded)["add > adds"] == (10.0, 10.0)
    assert graded.status is Status.PASS
    assert graded.tasks[1].total == 0 and not graded.tasks[1].done


def test_a_run_where_every_test_was_skipped_does_not_pass():
    graded = grade(run(outcome("add > adds", 1, "skip")), kata())
    assert graded.status is Status.FAIL
    assert graded.score == 0.0


def test_a_test_outside_every_task_counts_as_a_task_of_weight_one():
    graded = grade(run(outcome("add > adds", 1), outcome("subtract > subtracts", 2),
                       outcome("stray > checks", None, "fail")), kata())
    # weights 1 + 2 + 1 (the unassigned): 2.5, 5 and 2.5 points
    assert _scores(graded) == {"add > adds": (2.5, 2.5), "subtract > subtracts": (5.0, 5.0),
                               "stray > checks": (0.0, 2.5)}
    assert graded.score == pytest.approx(7.5)
    assert graded.status is Status.FAIL
    assert [t.total for t in graded.tasks] == [1, 1], "the stray test is in no task's count"


def test_an_error_run_scores_zero_keeps_its_status_and_still_counts_tasks():
    result = run(outcome("add > adds", 1), outcome("subtract > subtracts", 2, "fail"),
                 status="error", message="the whole run timed out")
    graded = grade(result, kata())
    assert graded.status is Status.ERROR
    assert graded.score == 0.0 and all(t.score == 0.0 for t in graded.tests)
    assert graded.max_score == 10.0
    assert [(t.passed, t.total) for t in graded.tasks] == [(1, 1), (0, 1)]


def test_an_error_run_without_tests_has_every_task_empty():
    graded = grade(run(status="error", message="SyntaxError"), kata())
    assert graded.status is Status.ERROR and graded.score == 0.0
    assert [t.total for t in graded.tasks] == [0, 0]


def test_the_kata_points_set_the_maximum():
    graded = grade(run(outcome("add > adds", 1), outcome("subtract > subtracts", 2)),
                   kata(points=4.0))
    assert graded.max_score == 4.0 and graded.score == pytest.approx(4.0)


def test_the_first_unfinished_task_is_the_learners_next_level():
    graded = grade(run(outcome("add > adds", 1), outcome("subtract > subtracts", 2, "fail")),
                   kata(tasks=(("Add", 1.0), ("Subtract", 1.0), ("Multiply", 1.0))))
    assert first_unfinished(graded).title == "Subtract"
    done = grade(run(outcome("add > adds", 1), outcome("subtract > subtracts", 2)), kata())
    assert first_unfinished(done) is None


STOPPED = f"{UNFINISHED}: the whole run was stopped after 120 s"


def test_the_first_failure_shown_is_one_that_failed_on_its_own():
    graded = grade(run(outcome("add > adds", 1, "fail", message=STOPPED),
                       outcome("add > adds again", 1, "fail", message="1 + 1 gave 3")),
                   kata())
    assert first_failure(graded).name == "add > adds again"


def test_a_run_out_of_time_shows_what_used_the_time_not_a_test_it_stopped():
    """A hang in task 2's tests ate the whole run's time: task 1's tests, which never ran,
    are not what the learner should look at first."""
    hung = "subtract > waits: subtract() did not return within 20 s"
    graded = grade(run(outcome("subtract > waits", 2, "fail", message=hung),
                       outcome("add > adds", 1, "fail", message=STOPPED),
                       outcome("subtract > subtracts", 2, "fail", message=STOPPED),
                       timed_out=True), kata())
    assert first_unfinished(graded).title == "Add"
    assert first_failure(graded).name == "subtract > waits"
    nothing_ran = grade(run(outcome("add > adds", 1, "fail", message=STOPPED),
                            timed_out=True), kata())
    assert first_failure(nothing_ran).name == "add > adds"


def test_a_crash_keeps_the_first_unfinished_task_s_own_test():
    """Without running out of time (the process ended early), the task's own stopped test
    is shown: its message says what ended the run."""
    ended = f"{UNFINISHED}: the test process ended early"
    graded = grade(run(outcome("subtract > subtracts", 2, "fail", message="2 - 1 gave 3"),
                       outcome("add > adds", 1, "fail", message=ended)), kata())
    assert first_failure(graded).name == "add > adds"


@pytest.mark.parametrize(("text", "expected"), [(None, None), ("6", 6.0), ("60%", 6.0),
                                                ("0", 0.0), ("100%", 10.0), ("7.5", 7.5)])
def test_a_pass_mark_is_points_or_a_share_of_the_maximum(text, expected):
    assert parse_min_score(text, 10.0) == expected


@pytest.mark.parametrize(("text", "needle"), [("six", "is not a pass mark"),
                                              ("inf", "is not a pass mark"),
                                              ("11", "points must lie from 0 to 10"),
                                              ("-1", "points must lie from 0 to 10"),
                                              ("120%", "a percentage must lie from 0% to 100%")])
def test_a_bad_pass_mark_is_a_usage_error_that_names_it(text, needle):
    with pytest.raises(UsageError, match=re.escape(needle)) as raised:
        parse_min_score(text, 10.0)
    assert text in str(raised.value)


def test_passing_means_every_test_unless_a_pass_mark_is_given():
    partial = grade(run(outcome("add > adds", 1), outcome("subtract > subtracts", 2, "fail")),
                    kata())  # 3.33 of 10
    assert not passes(partial, None)
    assert passes(partial, 3.0) and not passes(partial, 4.0)
    assert passes(partial, parse_min_score("33.3333%", 10.0)), "rounding must not fail it"


def test_an_error_run_never_reaches_a_pass_mark_even_of_zero():
    broken = grade(run(status="error", message="ImportError"), kata())
    assert not passes(broken, 0.0)
