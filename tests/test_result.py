"""The result object of DESIGN.md: what `to_dict` writes, and `result_from_dict` reads back."""

from __future__ import annotations

import json

import pytest

from harness.grading import grade
from harness.result import (
    RESULT_VERSION,
    RunResult,
    Status,
    TaskResult,
    result_from_dict,
    valid_text,
)
from units import kata, outcome, run


def _graded() -> RunResult:
    result = run(outcome("add > adds", 1, duration=0.01234567, output="printed\n"),
                 outcome("subtract > subtracts", 2, "fail", message="sub(5, 3) returned -2"),
                 outcome("subtract > later", 2, "skip"),
                 outcome("stray > checks", None, "error", message="setup broke"),
                 duration=1.23456, python="3.11.7", timed_out=True, submission="bob/")
    return grade(result, kata())


def test_a_result_written_and_read_back_writes_the_same():
    data = _graded().to_dict()
    again = result_from_dict(json.loads(json.dumps(data)))
    assert again.to_dict() == data


def test_reading_back_restores_the_types_and_the_counts():
    again = result_from_dict(_graded().to_dict())
    assert again.status is Status.FAIL
    assert [t.status for t in again.tests] == [Status.PASS, Status.FAIL, Status.SKIP,
                                               Status.ERROR]
    assert again.tasks == [TaskResult(1, "Add", 1, 1), TaskResult(2, "Subtract", 0, 1)]
    assert again.tests_passed == 1 and again.tasks_passed == 1
    assert [t.name for t in again.failures()] == ["subtract > subtracts", "stray > checks"]
    assert again.timed_out is True and again.python == "3.11.7"
    assert again.tests[0].id == "hidden/test_x.py::add > adds"


def test_the_written_form_has_the_fields_design_names_with_rounded_numbers():
    data = _graded().to_dict()
    assert list(data) == ["version", "kata", "submission", "status", "score", "max_score",
                          "tasks", "tests", "duration", "harness", "outcome"]
    assert data["version"] == RESULT_VERSION
    assert (data["status"], data["outcome"]) == ("fail", "timed out"), "the run hung"
    assert data["harness"] == {"python": "3.11.7", "timed_out": True}
    assert data["duration"] == 1.2346 and data["tests"][0]["duration"] == 0.0123
    assert data["tests"][0] == {"name": "add > adds", "id": "hidden/test_x.py::add > adds",
                                "task": 1, "status": "pass", "score": 2.5, "max_score": 2.5,
                                "duration": 0.0123, "message": "", "output": "printed\n"}
    assert data["tests"][3]["task"] is None


def test_a_message_is_written_only_when_there_is_one():
    assert "message" not in _graded().to_dict()
    errored = grade(run(status="error", message="SyntaxError in adder.py"), kata()).to_dict()
    assert errored["message"] == "SyntaxError in adder.py"
    assert result_from_dict(errored).message == "SyntaxError in adder.py"


def test_a_minimal_result_reads_with_defaults():
    again = result_from_dict({"version": 1, "kata": "adder", "submission": "x",
                              "status": "error", "tests": [{"name": "t", "status": "pass"}]})
    assert again.score == 0.0 and again.tasks == [] and again.message == ""
    assert again.tests[0].id == "t" and again.tests[0].task is None


@pytest.mark.parametrize("version", [None, 0, 2, "1"])
def test_a_result_of_another_version_is_refused(version):
    data = _graded().to_dict()
    data["version"] = version
    with pytest.raises(ValueError, match="result version"):
        result_from_dict(data)


def test_an_unknown_status_is_refused():
    data = _graded().to_dict()
    data["tests"][0]["status"] = "passed"
    with pytest.raises(ValueError):
        result_from_dict(data)


def test_valid_text_escapes_lone_surrogates_and_keeps_the_rest():
    assert valid_text("café") == "café"
    assert valid_text("bad\udce9name") == "bad\\udce9name"
    valid_text("bad\udce9name").encode("utf-8")  # would raise on a lone surrogate
