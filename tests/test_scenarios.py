"""Golden scenarios: a folder per situation, run through the real `kata` command.

Each folder holds the learner's files, `expected.json` (what is not part of the result: the
exit code, files to remove, the time and size allowed) and `results.json`, the whole result
`kata check --format json` must print, normalised (durations, the Python version, the run's
folders). To regenerate the goldens after a change that is meant to alter results:

    KATA_REGENERATE_GOLDEN=1 python -m pytest tests/test_scenarios.py

and review the diff of `tests/scenarios/*/results.json` before committing it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG, ROOT, TimeBudget

SCENARIOS = Path(__file__).parent / "scenarios"
NAMES = sorted(p.name for p in SCENARIOS.iterdir() if (p / "expected.json").is_file())
HARNESS_NOISE = ("harness/", "site-packages", "kata-run-", "_pytest", "pluggy")
NOT_LEARNER_FILES = ("expected.json", "results.json")
REGENERATE = os.environ.get("KATA_REGENERATE_GOLDEN") == "1"


def _start(kata, tmp_path: Path, scenario: Path) -> Path:
    workspace = tmp_path / "ws"
    started = kata("start", "adder", "--catalog", str(FIXTURE_CATALOG), "--dir", str(workspace))
    assert started.returncode == 0, started.stderr
    expected = json.loads((scenario / "expected.json").read_text())
    for name in expected.get("remove", []):
        (workspace / name).unlink()
    for source in scenario.iterdir():
        if source.name not in NOT_LEARNER_FILES:
            shutil.copy(source, workspace / source.name)
    return workspace


def normalised(result: dict, tmp_path: Path) -> dict:
    """The result with what legitimately differs between runs replaced by placeholders:
    durations, the Python version, and the folders of this run and of this checkout."""
    def text(value: str) -> str:
        for folder, name in ((str(tmp_path), "<tmp>"), (str(ROOT), "<root>")):
            value = value.replace(folder, name)
        return re.sub(r"\b0x[0-9a-f]{6,}\b", "0x<address>", value)

    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return text(value) if isinstance(value, str) else value

    data = walk(result)
    data["duration"] = "<duration>"
    data["harness"]["python"] = "<python>"
    for test in data["tests"]:
        test["duration"] = "<duration>"
    return data


@pytest.mark.parametrize("name", NAMES)
def test_scenario_result_matches_its_golden_whole(kata, tmp_path, name):
    scenario = SCENARIOS / name
    expected = json.loads((scenario / "expected.json").read_text())
    workspace = _start(kata, tmp_path, scenario)
    before = {p: p.read_bytes() for p in workspace.iterdir() if p.is_file()}

    budget = TimeBudget()
    done = kata("check", str(workspace), "--format", "json")

    assert done.returncode == expected["exit_code"], done.stderr
    assert done.stderr == "", "a learner's failure must not print harness errors"
    assert len(done.stdout) <= expected.get("max_json_bytes", 100_000)
    result = normalised(json.loads(done.stdout), tmp_path)
    golden = scenario / "results.json"
    if REGENERATE:
        golden.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing: regenerate it (see this module's docstring)"
    assert result == json.loads(golden.read_text(encoding="utf-8")), (
        f"the result differs from {golden.relative_to(ROOT)}; if the change is meant, "
        "regenerate (see this module's docstring) and review the diff")
    budget.check(expected.get("max_seconds", 10))
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
