"""The verdict of a run, built from what the grader reported over the channel, never from
its exit code: silence counts against the submission, and any sign of tampering (a
control test that passed or stayed silent, tests gone missing, forged or repeated
results) turns the run into an error the instructor can read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from harness import sandbox
from harness.catalog import Kata
from harness.feedback import cut_output
from harness.result import UNFINISHED, RunResult, Status, TestResult


def _learner_lines(output: str) -> str:
    """Drops the lines of a printout that only speak of the harness's and pytest's insides."""
    inside = (str(Path(__file__).resolve().parent), "site-packages", "<string>", "kata-run-")
    kept = [line for line in output.splitlines()
            if not any(mark in line for mark in inside) and not line.startswith("INTERNALERROR>")
            and line.strip().strip("^~") and line.strip() != "Traceback (most recent call last):"]
    return "\n".join(kept).strip()


def head(path: Path, limit: int = 8_000) -> str:
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    text = data.decode("utf-8", "replace")
    return text if len(data) <= limit else text[:limit] + "\n[output cut]"


def assemble(kata: Kata, submission: str, events: list[dict], timed_out: bool,
              limits: sandbox.Limits, output: str, returncode: int | None) -> RunResult:
    """Builds the result from what the child reported; silence counts against the submission."""
    result = RunResult(kata=kata.slug, submission=submission, status=Status.FAIL,
                       timed_out=timed_out)
    measured = next((e for e in events if e.get("event") == "coverage"), None)
    if measured is not None and isinstance(measured.get("files"), dict):
        result.coverage = measured["files"]
    load_error = next((e for e in events if e.get("event") == "load_error"), None)
    collected = next((e for e in events if e.get("event") == "collected"), None)
    if load_error is not None:
        result.status, result.message = Status.ERROR, str(load_error.get("message", ""))
        result.timed_out = timed_out or load_error.get("timed_out") is True
        return result
    if collected is None:
        result.status = Status.ERROR
        if timed_out:
            result.message = (f"your code did not finish loading within {limits.wall:g} s: "
                              "is there an endless loop at the top level of the module?")
        else:
            result.message = ("the run ended before any test could start (exit code "
                              f"{returncode}): did your code exit, crash, or close files it did "
                              "not open while loading?")
            printed = _learner_lines(output)
            if printed:
                result.message += f" What it printed:\n{cut_output(printed, 2_000)}"
        return result
    reported = {e.get("id"): e for e in events if e.get("event") == "test"}
    finished = any(e.get("event") == "done" for e in events)
    for entry in collected.get("tests", []):
        report = reported.get(entry.get("id"))
        result.tests.append(_test_result(kata, entry, report, timed_out, limits, finished))
        if report is not None and report.get("timed_out") is True:
            result.timed_out = True  # one test ran out of time: the submission hung
    collect_errors = [e for e in events if e.get("event") == "collect_error"]
    if collect_errors:
        result.status = Status.ERROR
        result.message = "the tests could not be loaded:\n" + str(collect_errors[0].get("message"))
    elif not result.tests:
        result.status = Status.ERROR
        result.message = "no test was found for this kata; its suite is empty"
    return result


def _test_result(kata: Kata, entry: dict, report: dict | None, timed_out: bool,
                 limits: sandbox.Limits, finished: bool) -> TestResult:
    markers = entry.get("markers") or []
    task = kata.task_for_marker(markers[0]) if len(markers) == 1 else None
    name = str(entry.get("name", entry.get("id")))
    if task is not None:
        name = f"{task.title.lower()} > {name}"
    if entry.get("visible"):
        name += " (example)"
    test = TestResult(id=str(entry.get("id")), name=name, task=task.id if task else None,
                      function=str(entry.get("function", "")), status=Status.FAIL)
    if report is None:
        if timed_out:
            test.message = (f"{UNFINISHED}: the whole run was stopped after {limits.wall:g} s "
                            "(is something waiting forever, or looping without end?)")
        elif finished:
            test.message = "did not report a result"
        else:
            test.message = (f"{UNFINISHED}: the test process ended early "
                            "(os._exit(), a crash, or a signal from your code?)")
        return test
    try:
        test.status = Status(report.get("status"))
    except ValueError:
        test.status = Status.FAIL
    test.duration = float(report.get("duration") or 0.0)
    test.message = str(report.get("message") or "")
    test.output = str(report.get("output") or "")
    return test


# -- integrity: what the harness checks itself, whatever the child says ----------------------

def check_integrity(result: RunResult, events: list[dict], canaries: dict[str, str],
                     expected: set[tuple[str, str]], problems: Sequence[str] = ()) -> RunResult:
    """Turns any sign of tampering into an error the instructor can read."""
    reasons = [str(e.get("reason")) for e in events if e.get("event") == "integrity"]
    reasons += problems  # what the channel carried that is not a result message
    reports: dict[str, list[dict]] = {}
    for event in events:
        if event.get("event") == "test":
            reports.setdefault(str(event.get("id")), []).append(event)
    collected = next((e for e in events if e.get("event") == "collected"), None)
    finished = any(e.get("event") == "done" for e in events)
    if collected is not None and result.status is not Status.ERROR:
        ids = {str(t.get("id")) for t in collected.get("tests", [])}
        for nodeid, token in canaries.items():
            seen = reports.get(nodeid, [])
            if nodeid not in ids or (finished and not seen):
                # A crash or os._exit() also silences the last control test: that is a
                # failure (the unreported tests fail), not tampering, unless the run finished.
                reasons.append("a control test never reported: results were suppressed")
            elif seen and (seen[0].get("status") != "fail"
                           or token not in str(seen[0].get("message"))):
                reasons.append("a control test that must fail passed: test outcomes were altered")
        present = {(str(t.get("id")).split("::")[0], _function_path(t)) for t in
                   collected.get("tests", [])}
        missing = sorted(f"{f}::{n}" for f, n in expected - present)
        if missing:
            reasons.append(f"tests went missing from the run: {', '.join(missing[:5])}")
        if any(len(seen) > 1 for seen in reports.values()):
            reasons.append("a test reported more than once: results were forged")
        unknown = [i for i in reports if i not in ids]
        if unknown:
            reasons.append("results arrived for tests that do not exist: results were forged")
    result.tests = [t for t in result.tests if t.id not in canaries]
    if reasons:
        result.integrity = list(dict.fromkeys(reasons))
        result.status = Status.ERROR
        result.message = "grading integrity check failed: " + "; ".join(result.integrity)
    return result


def _function_path(test: dict) -> str:
    """`hidden/test_x.py::TestA::test_b[1]` -> `TestA::test_b`."""
    parts = str(test.get("id")).split("::")[1:]
    if parts:
        parts[-1] = str(test.get("function") or parts[-1].split("[")[0])
    return "::".join(parts)
