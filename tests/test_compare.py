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
        assert _replay(code, folder) == expected


def _replay(code: str, folder: Path) -> str:
    """Pastes a counterexample into a fresh Python and shows what its last line gives."""
    *setup, last = code.splitlines()
    constructs = " = " in last  # the difference is in the constructor itself
    expression = last.split(" = ", 1)[1] if constructs else last
    pasted = "\n".join(setup) + (
        f"\ntry:\n    value = {expression}\n"
        f"    print('<constructed>' if {constructs} else repr(value))\n"
        "except Exception as exc:\n    print('raises', type(exc).__name__)\n")
    shown = subprocess.run([sys.executable, "-c", pasted], cwd=folder, capture_output=True,
                           text=True, timeout=30)
    return shown.stdout.strip() or shown.stderr


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


LB = Path(__file__).resolve().parent.parent / "solutions" / "load-balancer"
# Which server an ip maps to is the learner's choice, so a model cannot tell these two
# from the reference inside one process; the hidden suite catches them.
FREE_WITHIN_A_PROCESS = {"builtin_hash_for_ip", "ip_hash_remaps_everyone_on_down"}
# Mistakes that need a longer, specific history (several servers, a release or a removal at
# the right moment) than 1000 random sequences of seed 5 reach: a known limit of the random
# search, recorded here so that a better search shows up as these starting to pass.
NOT_REACHED_YET = {"cursor_skips_after_removal", "down_server_still_chosen",
                   "in_flight_never_released", "release_goes_negative",
                   "rotation_reset_after_removal"}


@pytest.mark.parametrize("mutant", sorted(p.stem for p in (LB / "mutants").glob("*.py")))
def test_each_load_balancer_mutant_gets_a_counterexample_that_reproduces(kata, tmp_path,
                                                                         mutant):
    report = _compare(kata, "load-balancer", str(LB / "mutants" / f"{mutant}.py"),
                      "--examples", "1000", "--seed", "5")
    found = report["differential"]["divergence"]
    if mutant in FREE_WITHIN_A_PROCESS:
        assert found is None, f"{mutant} differs only in what the catalog leaves free"
        return
    if mutant in NOT_REACHED_YET:
        pytest.xfail(f"the random search does not reach {mutant} yet (the hidden suite does)")
    assert found is not None, f"no divergence found for {mutant}"
    folder = tmp_path / "pasted"
    folder.mkdir()
    shutil.copy(LB / "mutants" / f"{mutant}.py", folder / "load_balancer.py")
    assert _replay(found["code"], folder) == found["yours"], found["code"]
    assert _replay(found["code"], LB) == found["reference"], found["code"]
    assert len(found["code"].splitlines()) <= 10, f"not minimal:\n{found['code']}"
