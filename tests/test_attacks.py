"""Attacks on grading: each must end non-passing, in time, changing nothing outside its run.

Every attack runs with and without bubblewrap. The closing note of the isolation
issue lists them; docs/security.md says what is defended and how.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG, TimeBudget
from harness.sandbox import bwrap_works

ATTACKS = Path(__file__).parent / "attacks"
NAMES = sorted(p.name for p in ATTACKS.iterdir() if (p / "expected.json").is_file())
SENTINEL = Path("/tmp/kata-attack-sentinel")


def _modes() -> list:
    modes = ["none"]
    if bwrap_works():
        modes.append("bwrap")
    elif os.environ.get("CI"):
        modes.append(pytest.param("bwrap", marks=pytest.mark.xfail(
            reason="CI installs bubblewrap; it must work there", strict=True)))
    return modes


def _become_subreaper() -> None:
    """Orphans of what a run started are re-parented to this process, not to init: what a
    run leaves behind is then found among our descendants, whatever else the machine runs."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


_become_subreaper()


def _leftovers() -> set[int]:
    """Processes a run may have left behind: descendants of this process (the ended ones,
    re-parented here, are reaped first)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
    parents = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    ours, found = os.getpid(), set()
    for pid in parents:
        seen, parent = 0, parents.get(pid)
        while parent and seen < 64:
            if parent == ours:
                found.add(pid)
                break
            parent, seen = parents.get(parent), seen + 1
    return found


def _commands(pids: set[int]) -> list[str]:
    commands = []
    for pid in sorted(pids):
        try:
            commands.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                            .decode(errors="replace")[:150])
        except OSError:
            pass
    return commands


def _settled_leftovers(before: set[int], grace: float = 3.0) -> set[int]:
    """Leftovers that are still there after a grace period: a run's own children are killed
    with its process group at once; anything that lingers was left behind."""
    deadline = time.monotonic() + grace
    while True:
        left = _leftovers() - before
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def _snapshot(folder: Path) -> dict[str, bytes]:
    """The files of a folder; `.kata/` is the harness's own record of checks, left out."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and ".kata" not in p.relative_to(folder).parts}


def _graded(kata, command: str, workspace: Path, mode: str, out: Path):
    """Grades the workspace with `kata check` or `kata grade`; returns the run and its result."""
    if command == "check":
        done = kata("check", str(workspace), "--format", "json", "--sandbox", mode)
        return done, json.loads(done.stdout) if done.stdout.startswith("{") else {}
    done = kata("grade", "adder", str(workspace), "--out", str(out), "--format", "json",
                "--sandbox", mode, "--catalog", str(FIXTURE_CATALOG))
    found = sorted((out / "results").glob("*.json"))
    return done, json.loads(found[0].read_text()) if found else {}


@pytest.mark.parametrize("command", ["check", "grade"])
@pytest.mark.parametrize("mode", _modes())
@pytest.mark.parametrize("name", NAMES)
def test_attack_does_not_pass(kata, tmp_path, name, mode, command):
    _attack(kata, tmp_path, name, mode, command)


@pytest.mark.parametrize("name", NAMES)
def test_attack_does_not_pass_on_a_loaded_machine(kata, tmp_path, name, loaded_machine):
    """The same verdicts with every core taken by other work; deadlines stretch while the
    machine is busy, within their backstops, so the time allowed does too."""
    _attack(kata, tmp_path, name, "auto", "check")


def _attack(kata, tmp_path: Path, name: str, mode: str, command: str) -> None:
    expected = json.loads((ATTACKS / name / "expected.json").read_text())
    workspace = tmp_path / "ws"
    assert kata("start", "adder", "--catalog", str(FIXTURE_CATALOG), "--dir",
                str(workspace)).returncode == 0
    for source in (ATTACKS / name).iterdir():
        if source.name != "expected.json":
            shutil.copy(source, workspace / source.name)
    shutil.rmtree(SENTINEL, ignore_errors=True)
    SENTINEL.mkdir()
    (SENTINEL / "keep.txt").write_text("must survive")
    before_ws, before_sentinel = _snapshot(workspace), _snapshot(SENTINEL)
    before_pids = _leftovers()

    budget = TimeBudget()
    done, result = _graded(kata, command, workspace, mode, tmp_path / "out")

    assert done.returncode == 1, (done.stdout[-2000:], done.stderr[-2000:])
    assert result, (done.stdout[-2000:], done.stderr[-2000:])
    assert result["status"] == expected["status"], result.get("message") or [
        (t["name"], t["status"], t["message"][:200]) for t in result["tests"]]
    assert result["score"] < result["max_score"]
    if expected.get("integrity"):
        assert result["message"].startswith("grading integrity check failed"), result["message"]
    budget.check(expected.get("max_seconds", 15))  # more on a machine kept busy
    for task in expected.get("passing", []):  # one bad function costs only its own tests
        tests = [t for t in result["tests"] if t["name"].startswith(task)]
        assert tests and all(t["status"] == "pass" for t in tests), [
            (t["name"], t["status"], t["message"][:200]) for t in tests]
    for text in expected.get("forbidden_output", []):
        assert text not in json.dumps(result), f"the report shows {text!r} from the hidden tests"
    assert len(json.dumps(result)) <= expected.get("max_json_bytes", 100_000)
    json.dumps(result, ensure_ascii=False).encode("utf-8")  # no lone surrogate either
    assert _snapshot(workspace) == before_ws, "the learner's files changed"
    assert _snapshot(SENTINEL) == before_sentinel, "files outside the run changed"
    assert not Path("/tmp/results.json").exists()
    left = _settled_leftovers(before_pids)
    assert left == set(), f"processes were left behind: {_commands(left)}"
    shutil.rmtree(SENTINEL, ignore_errors=True)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("mode", _modes())
def test_a_process_left_by_one_student_cannot_change_a_classmates_grade(kata, tmp_path, mode,
                                                                        jobs):
    """One student's leftover process rewrites every adder.py it can find; the classmates
    graded after it, or beside it, hand in the stub and must not pass. Under bubblewrap it
    finds none; without it (it runs as the user grading, past the audit hook) the files it
    rewrites no longer match what the batch took in, and are not graded."""
    classmates = Path(__file__).parent / "fixtures" / "classmates"
    classroom = tmp_path / "swapper-class"  # the swapper writes in a class of this name only
    for name, source in (("a-swapper", "swapper.py"), ("b-stub", "stub.py"),
                         ("c-stub", "stub.py"), ("d-stub", "stub.py")):
        (classroom / name).mkdir(parents=True)
        shutil.copy(classmates / source, classroom / name / "adder.py")
    before_pids = _leftovers()
    done = kata("grade", "adder", "--each", str(classroom), "--out", str(tmp_path / "out"),
                "--jobs", jobs, "--sandbox", mode, "--catalog", str(FIXTURE_CATALOG))
    assert done.returncode == 1, (done.stdout[-2000:], done.stderr[-2000:])
    results = [json.loads(p.read_text()) for p in (tmp_path / "out" / "results").glob("*.json")]
    scores = {r["submission"]: r["score"] for r in results}
    assert len(scores) == 4, scores
    assert all(score < 1 for name, score in scores.items() if name.endswith("stub")), scores
    if mode == "bwrap":  # nothing outside its run is the learner's to write
        stub = (classmates / "stub.py").read_text()
        assert all((classroom / n / "adder.py").read_text() == stub
                   for n in ("b-stub", "c-stub", "d-stub"))
    left = _settled_leftovers(before_pids)
    assert left == set(), f"processes were left behind: {_commands(left)}"
