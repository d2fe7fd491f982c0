"""kata compare: verdicts side by side, shrunk counterexamples, speed, coverage, reveal policy."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG

CAT = ("--catalog", str(FIXTURE_CATALOG))
SOLUTIONS = FIXTURE_CATALOG / "solutions/adder"


@pytest.fixture
def workspace(kata, tmp_path) -> Path:
    path = tmp_path / "ws"
    assert kata("start", "adder", *CAT, "--dir", str(path)).returncode == 0
    return path


def _compare(kata, *args: str) -> dict:
    done = kata("compare", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("mutant", sorted(p.name for p in (SOLUTIONS / "mutants").glob("*.py")))
def test_a_mutant_gets_a_minimal_counterexample_that_reproduces(kata, workspace, mutant):
    shutil.copy(SOLUTIONS / "mutants" / mutant, workspace / "adder.py")
    report = _compare(kata, str(workspace), "--examples", "200", "--seed", "7")
    found = report["differential"]["divergence"]
    assert found is not None, report["differential"]
    code = found["code"]
    assert code.startswith("from adder import")
    assert len(code.splitlines()) == 2, "shrunk to a single call"
    for folder, expected in ((workspace, found["yours"]), (SOLUTIONS, found["reference"])):
        last = code.splitlines()[-1]
        pasted = code.rsplit("\n", 1)[0] + f"\nprint(repr({last}))"
        shown = subprocess.run([sys.executable, "-c", pasted], cwd=folder, capture_output=True,
                               text=True, timeout=30)
        assert shown.stdout.strip() == expected, (pasted, shown.stderr)


def test_the_seed_replays_the_same_counterexample(kata, workspace):
    shutil.copy(SOLUTIONS / "mutants" / "sub_reversed.py", workspace / "adder.py")
    first = _compare(kata, str(workspace), "--seed", "11", "--examples", "100")
    again = _compare(kata, str(workspace), "--seed", "11", "--examples", "100")
    assert first["differential"] == again["differential"]


def test_the_reference_shows_no_divergence_over_500_sequences(kata, workspace):
    shutil.copy(SOLUTIONS / "adder.py", workspace / "adder.py")
    report = _compare(kata, str(workspace), "--examples", "500")
    assert report["differential"]["examples"] == 500
    assert report["differential"]["divergence"] is None


def test_speed_and_coverage_views(kata, workspace):
    (workspace / "adder.py").write_text(
        "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    if a == 999:\n"
        "        return 0\n    return a - b\n")
    report = _compare(kata, str(workspace), "--examples", "20")
    speed = report["speed"]
    assert speed["declared"] and speed["ratio"] > 0 and len(speed["spread"]) == 2
    assert report["coverage"]["uncovered"]["adder.py"] == [7]
    tests = report["verdicts"]["tests"]
    assert all(t["yours"] == "pass" and t["reference"] == "pass" for t in tests)


def test_code_is_shown_after_passing_or_revealing_and_revealing_is_recorded(kata, workspace):
    shutil.copy(SOLUTIONS / "mutants" / "sub_reversed.py", workspace / "adder.py")
    hidden = _compare(kata, str(workspace), "--examples", "10")
    assert hidden["code"] is None
    text = kata("compare", str(workspace), "--examples", "10").stdout
    assert "shown once you pass" in text and "return a - b" not in text

    revealed = _compare(kata, str(workspace), "--examples", "10", "--reveal")
    assert "return a - b" in revealed["code"]["files"]["adder.py"]["reference"]
    assert "-    return b - a" in revealed["code"]["files"]["adder.py"]["diff"]
    state = json.loads((workspace / ".kata/state.json").read_text())
    assert state["revealed_at"]
    assert _compare(kata, str(workspace), "--examples", "10")["code"] is not None


def test_code_is_shown_to_a_learner_who_passed(kata, workspace):
    shutil.copy(SOLUTIONS / "adder.py", workspace / "adder.py")
    assert kata("check", str(workspace)).returncode == 0
    report = _compare(kata, str(workspace), "--examples", "10")
    assert report["code"]["notes"].startswith("Plain arithmetic")


def test_instructor_form_compares_any_submission(kata, tmp_path):
    submission = tmp_path / "bob.py"
    shutil.copy(SOLUTIONS / "mutants" / "sub_reversed.py", submission)
    report = _compare(kata, "adder", str(submission), *CAT, "--examples", "50")
    assert report["submission"] == "bob.py"
    assert report["differential"]["divergence"] is not None
    assert report["code"] is not None


def test_code_that_does_not_load_gets_the_verdict_view_only(kata, workspace):
    (workspace / "adder.py").write_text("def add(:\n")
    report = _compare(kata, str(workspace))
    assert report["verdicts"]["yours"]["status"] == "error"
    assert "SyntaxError" in report["verdicts"]["yours"]["message"]
    assert report["differential"] is None
