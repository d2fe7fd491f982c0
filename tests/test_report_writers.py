"""Every report format as a pure function of synthetic results: JSON, JUnit XML, Gradescope,
CSV, Markdown, and the batch folder that `kata merge` reads back.

test_grade.py checks the same files as `kata grade` writes them after real runs; these pin
each writer on results that hold every case at once (skips, errors, a run that could not
start, text XML cannot hold, a learner's lone surrogate) without running anything.
"""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import pytest

from harness import reports
from harness.grading import grade
from harness.result import RunResult, result_from_dict
from units import kata, outcome, run


def _class() -> list[RunResult]:
    alice = run(outcome("add > adds", 1, duration=0.25, output="debug\x07 print"),
                outcome("add > adds zero", 1, "skip"),
                outcome("subtract > subtracts", 2, "fail",
                        message="sub(5, 3) returned -2, expected 2\n  at adder.py:4"),
                outcome("subtract > subtracts_negative", 2, "error", message="fixture broke"),
                submission="alice | team", duration=1.5)
    bob = run(submission="bob/", status="error", duration=0.1,
              message="SyntaxError: invalid syntax (adder.py, line 3)\n    def add(:")
    carol = run(outcome("add > adds", 1, id="visible/test_adder.py::adds"),
                outcome("subtract > subtracts", 2), submission="carol\udce9", duration=0.2)
    return [grade(r, kata()) for r in (alice, bob, carol)]


def test_json_is_the_result_object_and_nothing_else():
    result = _class()[0]
    assert json.loads(reports.to_json(result)) == result.to_dict()


def test_junit_parses_with_a_suite_per_submission_and_a_case_per_test():
    # written as write_batch writes every report: a lone surrogate becomes its escape
    root = ElementTree.fromstring(reports.junit_xml(_class()).encode("utf-8",
                                                                      "backslashreplace"))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == ["alice | team", "bob/", "carol\\udce9"]
    alice = suites["alice | team"]
    assert {k: alice.get(k) for k in ("tests", "failures", "errors", "skipped", "time")} == {
        "tests": "4", "failures": "1", "errors": "1", "skipped": "1", "time": "1.500"}
    cases = {c.get("name"): c for c in alice.iter("testcase")}
    assert cases["add > adds"].find("system-out").text == "debug print", "no control characters"
    assert cases["add > adds zero"].find("skipped") is not None
    failure = cases["subtract > subtracts"].find("failure")
    assert failure.get("message") == "sub(5, 3) returned -2, expected 2"
    assert failure.text.endswith("at adder.py:4")
    assert cases["subtract > subtracts_negative"].find("error").get("message") == "fixture broke"
    assert all(c.get("classname") == "adder.alice | team" for c in cases.values())


def test_junit_shows_a_run_that_could_not_start_as_one_error():
    bob = ElementTree.fromstring(reports.junit_xml(_class()[1:2])).find("testsuite")
    assert (bob.get("tests"), bob.get("errors")) == ("1", "1")
    (case,) = bob.iter("testcase")
    assert case.get("name") == "loads and runs"
    assert case.find("error").get("message").startswith("SyntaxError: invalid syntax")


def test_gradescope_has_the_autograder_fields_and_each_tests_visibility():
    data = json.loads(reports.gradescope_json(_class()[2], "hidden"))
    assert set(data) == {"score", "max_score", "execution_time", "tests", "visibility",
                         "stdout_visibility"}
    assert (data["score"], data["max_score"], data["execution_time"]) == (10.0, 10.0, 0.2)
    assert [(t["name"], t["status"], t["visibility"]) for t in data["tests"]] == [
        ("add > adds", "passed", "visible"), ("subtract > subtracts", "passed", "hidden")]
    assert all(set(t) == {"name", "score", "max_score", "status", "output", "visibility"}
               for t in data["tests"])


def test_gradescope_puts_a_failure_and_what_was_printed_in_the_output():
    data = json.loads(reports.gradescope_json(_class()[0]))
    tests = {t["name"]: t for t in data["tests"]}
    assert tests["add > adds"]["output"] == "debug\x07 print"
    assert tests["subtract > subtracts"]["status"] == "failed"
    assert tests["subtract > subtracts"]["output"].startswith("sub(5, 3) returned -2")
    assert tests["add > adds zero"]["status"] == "failed", "a skip earns nothing on Gradescope"
    assert all(t["visibility"] == reports.DEFAULT_VISIBILITY for t in data["tests"])
    errored = json.loads(reports.gradescope_json(_class()[1]))
    assert errored["output"].startswith("SyntaxError") and errored["score"] == 0


def test_gradescope_refuses_a_visibility_it_does_not_know():
    with pytest.raises(ValueError, match="unknown visibility"):
        reports.gradescope_json(_class()[0], "public")


def test_csv_has_a_row_per_submission_that_counts_no_skips():
    rows = list(csv.DictReader(io.StringIO(reports.summary_csv(_class()))))
    assert [r["name"] for r in rows] == ["alice | team", "bob/", "carol\udce9"]
    alice, bob, carol = rows
    assert (alice["passed"], alice["total"], alice["status"]) == ("1", "3", "fail")
    assert alice["why"] == "first failure: subtract > subtracts: sub(5, 3) returned -2, expected 2"
    assert (bob["status"], bob["score"], bob["total"]) == ("error", "0.0", "0")
    assert bob["why"] == "no test ran: SyntaxError: invalid syntax (adder.py, line 3)"
    assert (carol["score"], carol["max_score"], carol["status"]) == ("10.0", "10.0", "pass")
    # a column per task, in task order, with the points each earned there
    assert list(alice)[-2:] == ["task 1 (Add)", "task 2 (Subtract)"]
    assert [(r["task 1 (Add)"], r["task 2 (Subtract)"]) for r in rows] == [
        ("3.33", "0.0"), ("0", "0"), ("3.33", "6.67")]


def test_why_names_what_kept_every_test_from_running():
    skipped = grade(run(outcome("add > adds", 1, "skip"), submission="sam"), kata())
    assert reports.why(skipped) == "no test ran: every test was skipped"
    assert reports.summary_rows([skipped])[0]["tests"] == "none ran"


def test_a_timed_out_submission_says_so_in_every_summary():
    hung = run(outcome("add > adds", 1), outcome("subtract > subtracts", 2, "fail",
                                                 message="did not finish within 1 s"),
               submission="tim")
    hung.timed_out = True
    hung = grade(hung, kata())
    assert hung.to_dict()["outcome"] == "timed out" and hung.to_dict()["status"] == "fail"
    assert "outcome" not in _class()[0].to_dict(), "only a submission that hung has one"
    (row,) = csv.DictReader(io.StringIO(reports.summary_csv([hung])))
    assert row["status"] == "timed out"
    assert "| timed out |" in reports.summary_markdown([hung], kata())


def test_markdown_is_a_table_with_cells_that_cannot_break_it():
    text = reports.summary_markdown(_class(), kata())
    lines = text.splitlines()
    assert lines[0] == "# Adder (adder): 3 submissions"
    rows = [line for line in lines if line.startswith("| ") and "---" not in line]
    assert len(rows) == 4  # the header and three submissions
    assert rows[1].startswith("| alice \\| team | 3.33/10 | 1/3 | fail |")
    assert all(row.replace("\\|", "").count("|") == 7 for row in rows), rows


def test_a_batch_written_then_read_back_gives_the_same_results(tmp_path):
    results = _class()
    written = reports.write_batch(tmp_path, results, kata(),
                                  formats=("json", "csv", "md", "junit", "gradescope"))
    names = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert {"summary.csv", "summary.md", "junit.xml"} <= set(names)
    assert sum(n.startswith("results/") for n in names) == 3
    assert sum(n.startswith("gradescope/") for n in names) == 3
    again = [result_from_dict(json.loads(path.read_text(encoding="utf-8")))
             for path in sorted((tmp_path / "results").glob("*.json"))]
    assert sorted(json.dumps(r.to_dict()) for r in again) == sorted(
        json.dumps(r.to_dict()) for r in results)


@pytest.mark.parametrize("name", ["../../etc/passwd", "/abs", "a/b", "", "..", "x" * 300,
                                  "ana.", ".hidden"])
def test_a_submission_file_name_is_one_safe_file_name(name):
    stem = reports.file_stems([name])[name]
    assert "/" not in stem and not stem.startswith(".") and stem not in ("", "..")
    assert len(stem) <= 80 and not stem.endswith(".")
    assert stem != reports.file_stems([name + "!"])[name + "!"], "distinct names, distinct files"


def test_file_names_are_the_submissions_names_unique_and_stable():
    names = ["ana", "ben", "a b", "a_b", "Cy", "cy", "dee/x"]
    stems = reports.file_stems(names)
    assert (stems["ana"], stems["ben"], stems["a_b"]) == ("ana", "ben", "a_b")
    assert len(set(stems.values())) == len(names)
    assert len({s.lower() for s in stems.values()}) == len(names), "apart on any file system"
    # a name's file does not depend on who else is in the run (or in which shard)
    alone = {n: reports.file_stems([n])[n] for n in ("ana", "a b", "dee/x")}
    assert alone == {n: stems[n] for n in alone}
    assert reports.file_stems(list(reversed(names))) == stems
