"""`kata verify`'s checks as functions of synthetic runs: each says held or not, and why.

test_verify.py proves the checks end to end through the command; these pin each verdict
and its detail without running a suite, so a wrong verdict shows in milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from harness import mutants, verify, verify_runs
from harness.grading import grade
from harness.result import Status
from units import kata, outcome, run


def _graded(*tests, **fields):
    return grade(run(*tests, **fields), kata())


def _reference_run(duration: float = 0.5, slow: float = 0.1):
    return _graded(outcome("add > adds", 1, duration=0.01),
                   outcome("subtract > subtracts", 2, duration=slow), duration=duration)


# -- stub fails ------------------------------------------------------------------------------

def test_a_stub_that_fails_every_task_holds():
    check = verify_runs.stub_check(_graded(outcome("add > adds", 1, "fail"),
                                       outcome("add > zero", 1),
                                       outcome("subtract > subtracts", 2, "fail")))
    assert check.ok and "(1/3 tests pass)" in check.detail


def test_a_stub_that_solves_a_task_names_the_task():
    check = verify_runs.stub_check(_graded(outcome("add > adds", 1),
                                       outcome("subtract > subtracts", 2, "fail")))
    assert not check.ok and check.detail.endswith("already passes task(s): Add")


def test_a_stub_that_cannot_load_fails_with_the_reason():
    check = verify_runs.stub_check(_graded(status="error", message="SyntaxError at line 3"))
    assert not check.ok and check.detail == "the stub cannot be loaded: SyntaxError at line 3"


# -- reference passes N times ----------------------------------------------------------------

def test_a_reference_passing_every_run_reports_the_median_and_the_slowest_test():
    report = verify.KataVerification("adder")
    runs = [_reference_run(0.3), _reference_run(0.9, slow=0.4), _reference_run(0.5)]
    check = verify_runs.reference_check(runs, report)
    assert check.ok
    assert report.reference_time == 0.5
    assert report.slowest_test == ("subtract > subtracts", 0.4)
    assert check.detail.startswith("2 tests, 3/3 runs, median 0.50 s")


def test_one_failing_run_of_the_reference_fails_the_check_with_its_first_failure():
    flaky = _graded(outcome("add > adds", 1),
                    outcome("subtract > subtracts", 2, "fail", message="got -2\nmore"),
                    submission="reference")
    check = verify_runs.reference_check([_reference_run(), flaky, _reference_run()],
                                    verify.KataVerification("adder"))
    assert not check.ok
    assert check.detail == "failed 1/3 runs (reference): subtract > subtracts: got -2\nmore"


def test_a_reference_run_that_errors_fails_with_its_message():
    broken = _graded(status="error", message="the run timed out", submission="reference")
    check = verify_runs.reference_check([broken], verify.KataVerification("adder"))
    assert not check.ok and check.detail.endswith("the run timed out")


# -- mutants ---------------------------------------------------------------------------------

def _known(*names: str, **caught_by: str) -> mutants.MutantsFile:
    return mutants.MutantsFile(Path("mutants.toml"), [
        mutants.Mutant(name, why=f"{name} is wrong", file="adder.py", replace="a", with_="b",
                       caught_by=caught_by.get(name, "test_x.py::add > adds"))
        for name in names])


def test_each_mutant_is_listed_with_the_tests_that_caught_it():
    report = verify.KataVerification("adder")
    check = verify_runs.mutants_check(_known(
            "sub_reversed", "add_broken", sub_reversed="test_x.py::subtract > subtracts"), {
        "sub_reversed": _graded(outcome("add > adds", 1),
                                outcome("subtract > subtracts", 2, "fail")),
        "add_broken": _graded(outcome("add > adds", 1, "fail"),
                              outcome("add > zero", 1, "error"),
                              outcome("subtract > subtracts", 2)),
    }, {}, report)
    assert check.ok and check.detail == "2/2 caught"
    assert {m.name: m.killed_by for m in report.mutants} == {
        "sub_reversed": ["subtract > subtracts"], "add_broken": ["add > adds", "add > zero"]}


def test_a_mutant_every_test_passes_survives_and_is_named():
    report = verify.KataVerification("adder")
    check = verify_runs.mutants_check(_known("caught", "harmless"), {
        "caught": _graded(outcome("add > adds", 1, "fail")),
        "harmless": _graded(outcome("add > adds", 1), outcome("subtract > subtracts", 2)),
    }, {}, report)
    assert not check.ok and check.detail == "1/2 caught; survived: harmless"
    assert [m.to_dict()["killed"] for m in report.mutants] == [True, False]


def test_a_mutant_caught_by_another_test_than_its_record_is_named_with_the_fix():
    report = verify.KataVerification("adder")
    check = verify_runs.mutants_check(_known("stale", "fresh", stale="test_x.py::gone"), {
        "stale": _graded(outcome("add > adds", 1, "fail")),
        "fresh": _graded(outcome("add > adds", 1, "fail")),
    }, {}, report)
    assert check.ok  # caught is caught: a stale record costs time, not the verdict
    assert check.detail == ("2/2 caught; 1 not caught by the test mutants.toml records "
                            "(stale): `kata mutant record adder` writes it, so their runs "
                            "stop at once")
    assert [(m.catcher, m.recorded) for m in report.mutants] == [
        ("test_x.py::add > adds", "test_x.py::gone"),
        ("test_x.py::add > adds", "test_x.py::add > adds")]


def test_a_kata_without_mutants_fails_the_check():
    check = verify_runs.mutants_check(_known(), {}, {}, verify.KataVerification("adder"))
    assert not check.ok and "no mutants" in check.detail


# -- coverage --------------------------------------------------------------------------------

def _covered(missing_lines=(), missing_branches=(), lines=100.0, branches=100.0):
    return {"adder.py": {"summary": {"percent_statements_covered": lines,
                                     "percent_branches_covered": branches},
                         "missing_lines": list(missing_lines),
                         "missing_branches": [list(b) for b in missing_branches]}}


@pytest.fixture
def on_disk(tmp_path) -> object:
    """A kata whose reference exists on disk (coverage reads it for pragmas)."""
    found = kata(path=tmp_path / "katas" / "adder")
    found.solution_path.mkdir(parents=True)
    (found.solution_path / "adder.py").write_text("def add(a, b):\n    return a + b\n")
    return found


def test_full_coverage_holds_and_is_recorded(on_disk):
    report = verify.KataVerification("adder")
    check = verify_runs.coverage_check(run(status="pass", coverage=_covered()), on_disk, report)
    assert check.ok and check.detail == "adder.py 100% lines, 100% branches"
    assert report.coverage["adder.py"]["missing_lines"] == []


def test_a_reference_that_fails_the_run_measured_for_coverage_fails_coverage(on_disk):
    # that run is one of the reference's repeats: it must pass as the others do
    failed = grade(run(outcome("add > adds", 1, "fail"), outcome("subtract > subtracts", 2),
                       coverage=_covered()), kata())
    check = verify_runs.coverage_check(failed, on_disk, verify.KataVerification("adder"))
    assert not check.ok
    assert check.detail == "the reference failed the run measured for coverage: add > adds"


def test_lines_and_branches_never_run_are_named_as_ranges(on_disk):
    result = run(status="pass", coverage=_covered([3, 4, 5, 9], [(6, 7), (8, -1)], 80.0, 50.0))
    check = verify_runs.coverage_check(result, on_disk, verify.KataVerification("adder"))
    assert not check.ok
    assert check.detail == ("adder.py: lines never run: 3-5, 9; "
                            "adder.py: branches never taken: 6->7, 8->exit")


def test_a_file_the_suite_never_imported_fails_coverage(on_disk):
    check = verify_runs.coverage_check(run(status="pass", coverage={"other.py": {}}), on_disk,
                                   verify.KataVerification("adder"))
    assert not check.ok and "adder.py: never imported by the hidden suite" in check.detail


def test_a_run_that_measured_no_coverage_fails_with_its_message(on_disk):
    check = verify_runs.coverage_check(run(status="error", message="ImportError"), on_disk,
                                   verify.KataVerification("adder"))
    assert not check.ok and check.detail.endswith("ImportError")


def test_a_pragma_without_a_reason_fails_even_at_full_coverage(on_disk):
    (on_disk.solution_path / "adder.py").write_text(
        "def add(a, b):\n    if a is None:  # pragma: no cover\n        return 0\n"
        "    if b is None:  # pragma: no cover -- callers never pass None\n        return 0\n"
        "    return a + b\n")
    check = verify_runs.coverage_check(run(status="pass", coverage=_covered()), on_disk,
                                   verify.KataVerification("adder"))
    assert not check.ok
    assert check.detail == "adder.py:2: pragma: no cover without a reason"


def test_a_kata_without_python_files_needs_no_coverage():
    sql = kata()
    sql = type(sql)(**{**sql.__dict__, "files": ("schema.sql",)})
    assert verify_runs.coverage_check(run(), sql, verify.KataVerification("x")).ok


# -- tasks -----------------------------------------------------------------------------------

def test_every_task_with_tests_and_every_test_in_a_task_holds():
    check = verify_runs.tasks_check(_reference_run(), kata())
    assert check.ok and check.detail == "hidden tests per task 1:1, 2:1"


def test_a_test_without_a_task_and_a_task_without_tests_are_both_named():
    check = verify_runs.tasks_check(_graded(outcome("add > adds", 1), outcome("stray", None)),
                                kata())
    assert not check.ok
    assert check.detail == ("1 test(s) carry no task marker (or several): stray; "
                            "task(s) without a hidden test: Subtract")


def test_tests_that_could_not_be_collected_fail_the_tasks_check():
    check = verify_runs.tasks_check(_graded(status="error", message="collection broke"), kata())
    assert not check.ok and check.detail.endswith("collection broke")


# -- alternatives ----------------------------------------------------------------------------

def test_alternatives_that_pass_hold_and_a_failing_one_is_named_with_why():
    assert verify_runs.alternatives_check({"dict-based": _reference_run()}).ok
    check = verify_runs.alternatives_check({
        "dict-based": _reference_run(),
        "recursive": _graded(outcome("add > adds", 1, "fail", message="RecursionError\n..."),
                             outcome("subtract > subtracts", 2)),
    })
    assert not check.ok
    assert check.detail == "1/2 fail: recursive (add > adds: RecursionError\n...)"


def test_a_failing_alternative_shows_what_its_test_said_after_the_first_line_within_bounds():
    """A deadlock's first line says only that threads hung: the stacks after it are what
    the author needs, and a flood of lines is cut."""
    stacks = "\n".join(f"  thread {i}: waiting in execute, line {i}" for i in range(100))
    check = verify_runs.alternatives_check({"futures": _graded(
        outcome("add > adds", 1, "fail", message=f"6 threads still running\n{stacks}"),
        outcome("subtract > subtracts", 2))})
    lines = check.detail.splitlines()
    assert "thread 0: waiting in execute" in check.detail, check.detail
    assert len(lines) == verify_runs.TOLD_LINES + 1 and "61 more lines" in lines[-1], lines[-3:]


def test_an_alternative_that_behaves_unlike_the_reference_shows_the_calls():
    same = SimpleNamespace(divergence=None)
    differs = SimpleNamespace(divergence=SimpleNamespace(
        code="from adder import sub\nsub(1, 2)\n", yours="1", reference="-1"))
    assert verify_runs.agreement_check({"a": same}).ok
    check = verify_runs.agreement_check({"a": same, "b": differs})
    assert not check.ok
    assert check.detail.startswith("1/2 behave unlike the reference")
    assert "b:\nfrom adder import sub\nsub(1, 2)\n  # this alternative: 1, reference: -1" \
        in check.detail


# -- the verdict of a whole verification -----------------------------------------------------

def test_a_verification_is_ok_only_with_checks_and_all_of_them_held():
    report = verify.KataVerification("adder")
    assert not report.ok, "no check run proves nothing"
    report.checks = [verify.Check("files", True), verify.Check("stub fails", True)]
    assert report.ok and report.to_dict()["ok"] is True
    report.checks.append(verify.Check("mutants fail", False, "survived: x"))
    assert not report.ok
    assert report.to_dict()["checks"][-1] == {"name": "mutants fail", "ok": False,
                                              "detail": "survived: x"}


def test_the_api_of_a_file_is_its_public_names_and_signatures(tmp_path):
    path = tmp_path / "lb.py"
    path.write_text("import os\n\n"
                    "def route(request, *, strict=False, **extra):\n    pass\n\n"
                    "def _helper():\n    pass\n\n"
                    "class Balancer(Base):\n"
                    "    def __init__(self, servers=()):\n        pass\n\n"
                    "    @property\n    def size(self):\n        pass\n\n"
                    "    def _private(self):\n        pass\n")
    assert verify.api_of(path) == {
        "route": "(request, *, strict=False, **extra)",
        "Balancer": "class(Base)",
        "Balancer.__init__": "(self, servers=())",
        "Balancer.size": "@property (self)",
    }


def test_the_status_of_a_killed_mutant_is_kept_in_its_verdict():
    verdict = verify.MutantVerdict("m", ["add > adds"], Status.FAIL.value, "why it is wrong")
    assert verdict.to_dict() == {"name": "m", "killed": True, "killed_by": ["add > adds"],
                                 "status": "fail", "why": "why it is wrong", "problem": "",
                                 "caught_by": "", "recorded": None}
    assert not verify.MutantVerdict("m", [], Status.PASS.value).killed


def test_the_checks_that_need_no_run_stop_at_missing_files(tmp_path):
    missing = kata(path=tmp_path / "nowhere")
    checks = verify.static_checks(missing)
    assert [c.name for c in checks] == ["files"]
    assert not checks[0].ok and str(Path(tmp_path / "nowhere")) in checks[0].detail
