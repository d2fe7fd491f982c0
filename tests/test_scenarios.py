"""Golden scenarios: a folder per situation, run through the real `kata` command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG, TimeBudget

SCENARIOS = Path(__file__).parent / "scenarios"
NAMES = sorted(p.name for p in SCENARIOS.iterdir() if (p / "expected.json").is_file())
HARNESS_NOISE = ("harness/", "site-packages", "kata-run-", "_pytest", "pluggy")


def _start(kata, tmp_path: Path, scenario: Path) -> Path:
    workspace = tmp_path / "ws"
    started = kata("start", "adder", "--catalog", str(FIXTURE_CATALOG), "--dir", str(workspace))
    assert started.returncode == 0, started.stderr
    expected = json.loads((scenario / "expected.json").read_text())
    for name in expected.get("remove", []):
        (workspace / name).unlink()
    for source in scenario.iterdir():
        if source.name != "expected.json":
            shutil.copy(source, workspace / source.name)
    return workspace


@pytest.mark.parametrize("name", NAMES)
def test_scenario(kata, tmp_path, name):
    scenario = SCENARIOS / name
    expected = json.loads((scenario / "expected.json").read_text())
    workspace = _start(kata, tmp_path, scenario)
    before = {p: p.read_bytes() for p in workspace.iterdir() if p.is_file()}

    budget = TimeBudget()
    done = kata("check", str(workspace), "--format", "json")

    assert done.returncode == expected["exit_code"], done.stderr
    assert done.stderr == "", "a learner's failure must not print harness errors"
    assert len(done.stdout) <= expected.get("max_json_bytes", 100_000)
    result = json.loads(done.stdout)
    assert result["status"] == expected["status"], result
    budget.check(expected.get("max_seconds", 10))
    if "score" in expected:
        assert result["score"] == pytest.approx(expected["score"], abs=1e-3)
    if "passed" in expected:
        assert sum(t["status"] == "pass" for t in result["tests"]) == expected["passed"]
    if "timed_out" in expected:
        assert result["harness"]["timed_out"] is expected["timed_out"]
    for part in expected.get("message", []):
        assert part in result["message"], result["message"]
    failures = {t["name"]: t["message"] for t in result["tests"] if t["status"] != "pass"}
    for test_name, parts in expected.get("failures", {}).items():
        for part in [parts] if isinstance(parts, str) else parts:
            assert part in failures[test_name], failures
    shown = [result.get("message", "")] + [t["message"] for t in result["tests"]]
    for text in shown:
        for noise in HARNESS_NOISE:
            assert noise not in text, f"harness internals leak into a message: {text!r}"
    after = {p: p.read_bytes() for p in workspace.iterdir() if p.is_file()}
    assert after == before, "a run must not change the learner's files"


def test_text_report_shows_first_failure_of_first_open_task(kata, tmp_path):
    workspace = _start(kata, tmp_path, SCENARIOS / "failing")
    done = kata("check", str(workspace))
    assert done.returncode == 1
    out = done.stdout
    assert "✓ 1. Add" in out and "✗ 2. Subtract" in out
    assert "First failing test: subtract > subtracts" in out
    assert "sub(5, 3) returned -2, expected 2" in out
    assert "(and 1 more failing in this task)" in out
    assert "kata hint" in out


def test_text_report_on_pass_says_what_was_learned(kata, tmp_path):
    workspace = _start(kata, tmp_path, SCENARIOS / "passing")
    done = kata("check", str(workspace))
    assert done.returncode == 0, done.stdout
    assert "Passed in" in done.stdout
    assert "how the harness grades a kata" in done.stdout


def test_json_output_is_the_result_object_and_nothing_else(kata, tmp_path):
    workspace = _start(kata, tmp_path, SCENARIOS / "failing")
    result = json.loads(kata("check", str(workspace), "--format", "json").stdout)
    assert set(result) >= {"version", "kata", "submission", "status", "score", "max_score",
                           "tasks", "tests", "duration", "harness"}
    assert result["tasks"] == [
        {"id": 1, "title": "Add", "passed": 4, "total": 4},
        {"id": 2, "title": "Subtract", "passed": 0, "total": 2},
    ]
    test = result["tests"][0]
    assert set(test) >= {"name", "task", "status", "score", "max_score", "duration", "message",
                         "output"}
