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
from xml.etree import ElementTree

import pytest

from conftest import FIXTURE_CATALOG, TimeBudget
from harness.sandbox import bwrap_works

ATTACKS = Path(__file__).parent / "attacks"
NAMES = sorted(p.name for p in ATTACKS.iterdir() if (p / "expected.json").is_file())
HONEST = {"reference": FIXTURE_CATALOG / "solutions" / "adder" / "adder.py",
          "wrong-sub": Path(__file__).parent / "scenarios" / "failing" / "adder.py"}
# The places outside a run that attacks aim at, as their sources spell them. Each test gives
# them folders of its own under tmp_path, written into its copy of the attack.
SENTINEL = "/tmp/kata-attack-sentinel"
LOOSE_RESULTS = "/tmp/results.json"
# The corpus again on a machine whose cores are all taken: load changes only timing
# (deadlines stretch while the learner's process is starved), so one attack of each kind,
# two for resources (memory and processes have limits of their own). Such a test runs
# alone (see `loaded_machine`), so each one costs the whole run its time.
UNDER_LOAD = {
    "deadlines": ["hang_in_one_function"],
    "resources": ["memory_bomb", "fork_bomb"],
    "processes": ["setsid_daemon"],
    "the channel": ["close_channel"],
    "tampering with grading": ["patch_report_outcome"],
    "reading what is hidden": ["read_reference"],
    "crashes": ["sys_exit_at_import"],
}


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
    """Processes a run may have left behind: the descendants of this process (the ended
    ones, re-parented here, are reaped first), found by walking down from it. A marker in
    the environment would not find them: the sandbox builds the learner's environment from
    scratch. Nothing outside this process's tree is looked at."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
    found: set[int] = set()
    parents = [os.getpid()]
    while parents:
        parent = parents.pop()
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                pids = [int(p) for p in children.read_text().split()]
            except OSError:  # the process ended meanwhile
                continue
            for pid in pids:
                if pid not in found and not _zombie(pid):
                    found.add(pid)
                    parents.append(pid)
    return found


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True  # gone


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


class Outside:
    """What lies outside every run, for attacks to aim at: a sentinel folder (with a file
    that must survive) and the place of a loose results file, both under this test's
    tmp_path, so no two tests (nor anything else on the machine) share them."""

    def __init__(self, tmp_path: Path) -> None:
        self.sentinel = tmp_path / "sentinel"
        self.loose_results = tmp_path / "loose" / "results.json"
        self.sentinel.mkdir()
        self.loose_results.parent.mkdir()
        (self.sentinel / "keep.txt").write_text("must survive")
        self.before = _snapshot(self.sentinel)

    def copy_attack(self, name: str, folder: Path) -> None:
        """Copies an attack's files into `folder`, aimed at this test's places."""
        for source in (ATTACKS / name).iterdir():
            if source.name == "expected.json":
                continue
            data = source.read_bytes()
            data = data.replace(SENTINEL.encode(), str(self.sentinel).encode())
            data = data.replace(LOOSE_RESULTS.encode(), str(self.loose_results).encode())
            (folder / source.name).write_bytes(data)

    def check_untouched(self) -> None:
        assert _snapshot(self.sentinel) == self.before, "files outside the run changed"
        assert not self.loose_results.exists(), "a results file was written outside the run"


def _check(kata, workspace: Path, mode: str) -> tuple:
    """`kata check` of a workspace: the run and its result."""
    done = kata("check", str(workspace), "--format", "json", "--sandbox", mode)
    return done, json.loads(done.stdout) if done.stdout.startswith("{") else {}


def _expected(name: str) -> dict:
    return json.loads((ATTACKS / name / "expected.json").read_text())


def _assert_verdict(name: str, result: dict) -> None:
    """What an attack's result must show, however it was graded: not passing, the verdict
    expected, the tasks it left alone still passing, nothing hidden shown, a bounded and
    valid report."""
    expected = _expected(name)
    assert result, f"{name}: no result"
    assert result["status"] == expected["status"], (name, result.get("message") or [
        (t["name"], t["status"], t["message"][:200]) for t in result["tests"]])
    assert result["score"] < result["max_score"], name
    if expected.get("integrity"):
        assert result["message"].startswith("grading integrity check failed"), result["message"]
    for task in expected.get("passing", []):  # one bad function costs only its own tests
        tests = [t for t in result["tests"] if t["name"].startswith(task)]
        assert tests and all(t["status"] == "pass" for t in tests), (name, [
            (t["name"], t["status"], t["message"][:200]) for t in tests])
    for text in expected.get("forbidden_output", []):
        assert text not in json.dumps(result), f"{name}: the report shows {text!r} from the " \
                                               "hidden tests"
    assert len(json.dumps(result)) <= expected.get("max_json_bytes", 100_000), name
    json.dumps(result, ensure_ascii=False).encode("utf-8")  # no lone surrogate either


@pytest.mark.parametrize("mode", _modes())
@pytest.mark.parametrize("name", NAMES)
def test_attack_does_not_pass_kata_check(kata, tmp_path, name, mode):
    _attack(kata, tmp_path, name, mode)


@pytest.mark.parametrize("name", sorted(n for names in UNDER_LOAD.values() for n in names))
def test_attack_does_not_pass_on_a_loaded_machine(kata, tmp_path, name, loaded_machine):
    """The same verdicts with every core taken by other work; deadlines stretch while the
    machine is busy, within their backstops, so the time allowed does too."""
    _attack(kata, tmp_path, name, "auto")


def test_the_attacks_under_load_are_attacks_of_the_corpus():
    chosen = [n for names in UNDER_LOAD.values() for n in names]
    assert len(chosen) == len(set(chosen)) and set(chosen) <= set(NAMES), \
        set(chosen) - set(NAMES)


def _attack(kata, tmp_path: Path, name: str, mode: str) -> None:
    workspace = tmp_path / "ws"
    assert kata("start", "adder", "--catalog", str(FIXTURE_CATALOG), "--dir",
                str(workspace)).returncode == 0
    outside = Outside(tmp_path)
    outside.copy_attack(name, workspace)
    before_ws = _snapshot(workspace)
    before_pids = _leftovers()

    budget = TimeBudget()
    done, result = _check(kata, workspace, mode)

    assert done.returncode == 1, (done.stdout[-2000:], done.stderr[-2000:])
    assert result, (done.stdout[-2000:], done.stderr[-2000:])
    _assert_verdict(name, result)
    budget.check(_expected(name).get("max_seconds", 15))  # more on a machine kept busy
    assert _snapshot(workspace) == before_ws, "the learner's files changed"
    outside.check_untouched()
    left = _settled_leftovers(before_pids)
    assert left == set(), f"processes were left behind: {_commands(left)}"


def _grade_class(kata, folder: Path, out: Path, mode: str, jobs: str = "2"):
    done = kata("grade", "adder", "--each", str(folder), "--out", str(out), "--jobs", jobs,
                "--sandbox", mode, "--catalog", str(FIXTURE_CATALOG), timeout=900)
    results = [json.loads(p.read_text()) for p in sorted((out / "results").glob("*.json"))]
    return done, {r["submission"]: r for r in results}


def _without_durations(result: dict) -> dict:
    return {**result, "duration": None,
            "tests": [{**t, "duration": None} for t in result["tests"]]}


@pytest.mark.timeout(900)
@pytest.mark.parametrize("mode", _modes())
def test_a_class_of_every_attack_and_honest_submissions_gets_every_report(kata, tmp_path,
                                                                          mode):
    """`kata grade` of every attack beside two honest submissions, two at a time: each
    attack gets the verdict it gets alone, within its time, and nothing outside its run
    changes; each honest submission gets a report the same as when graded without the
    attackers."""
    outside = Outside(tmp_path)
    honest = tmp_path / "honest"
    classroom = tmp_path / "class"
    for name, source in HONEST.items():
        for folder in (honest, classroom):
            (folder / name).mkdir(parents=True)
            shutil.copy(source, folder / name / "adder.py")
    for name in NAMES:
        (classroom / name).mkdir()
        outside.copy_attack(name, classroom / name)
    alone_done, alone = _grade_class(kata, honest, tmp_path / "honest-out", mode)
    assert alone_done.returncode == 1, alone_done.stderr[-2000:]  # wrong-sub falls short
    before_class, before_pids = _snapshot(classroom), _leftovers()

    budget = TimeBudget()
    done, results = _grade_class(kata, classroom, tmp_path / "out", mode)

    assert done.returncode == 1, (done.stdout[-2000:], done.stderr[-2000:])
    assert sorted(results) == sorted([*NAMES, *HONEST]), "a report for every submission"
    for name in HONEST:
        assert _without_durations(results[name]) == _without_durations(alone[name]), name
    assert results["reference"]["status"] == "pass"
    for name in NAMES:
        _assert_verdict(name, results[name])
        allowed = budget.allowed(_expected(name).get("max_seconds", 15))
        assert results[name]["duration"] <= allowed, (name, results[name]["duration"])
    out, everyone = tmp_path / "out", len(NAMES) + len(HONEST)
    assert len((out / "summary.csv").read_text().splitlines()) == 1 + everyone
    assert len(ElementTree.parse(out / "junit.xml").getroot().findall("testsuite")) == everyone
    assert len(list(out.glob("gradescope/*/results.json"))) == everyone
    assert len(list(out.glob("submissions/*.html"))) == everyone
    assert _snapshot(classroom) == before_class, "a submission's files changed"
    outside.check_untouched()
    left = _settled_leftovers(before_pids)
    assert left == set(), f"processes were left behind: {_commands(left)}"


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
