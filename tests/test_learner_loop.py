"""The learner's loop: kata watch, kata next, kata reset, and the welcome."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG, ROOT
from harness.catalog import Catalog
from harness.result import RunResult, Status, TaskResult
from harness.watch import WatchLoop, relevant

CAT = ("--catalog", str(FIXTURE_CATALOG))
REFERENCE = FIXTURE_CATALOG / "solutions/adder/adder.py"


def _result(status: Status, message: str = "") -> RunResult:
    result = RunResult(kata="adder", submission="ws", status=status, message=message,
                       max_score=10)
    result.tasks = [TaskResult(1, "Add", 1 if status is Status.PASS else 0, 1)]
    return result


def _settled(loop: WatchLoop, events):
    """Feeds `events` one at a time, each once the loop's running check has ended (as a
    learner who waits for the screen), with a tick in between as the real stream has."""
    for event in events:
        while not loop.idle:
            time.sleep(0.01)
        yield "tick", None
        yield event


def test_watch_loop_checks_on_changes_and_answers_keys():
    adder = Catalog(FIXTURE_CATALOG).get("adder")
    verdicts = iter([_result(Status.FAIL), _result(Status.ERROR, "adder.py, line 1: boom"),
                     _result(Status.PASS)])
    screens: list[str] = []
    recorded: list[RunResult] = []
    hints = iter(["Hint 1 of 1 for task 1, Add: first hint", "No more hints for task 1, Add"])
    loop = WatchLoop(adder, lambda: next(verdicts), lambda: next(hints), screens.append,
                     compare=lambda: "COMPARED", clear=False, record=recorded.append)
    loop.run(_settled(loop, [("change", ["adder.py"]), ("key", "h"), ("change", ["adder.py"]),
                             ("key", "c"), ("key", "h"), ("key", "q"), ("change", ["never"])]))
    assert loop.runs == 3 and loop.cancelled == 0
    assert [r.status for r in recorded] == [Status.FAIL, Status.ERROR, Status.PASS]
    text = "".join(screens)
    assert "Your code could not be tested" in text and "adder.py, line 1: boom" in text
    assert "Hint 1 of 1 for task 1, Add: first hint" in text and "No more hints" in text
    assert "COMPARED" in text and "[c] compare" in text
    assert text.rstrip().endswith("picks up where you left.")


def test_a_save_cancels_the_running_check_and_starts_a_new_one():
    """A check that never ends on its own (a hang) is cancelled by the next save: cancel is
    called, the hung check's result is never recorded, and the new check's is."""
    adder = Catalog(FIXTURE_CATALOG).get("adder")
    hung = threading.Event()
    released = threading.Event()
    calls = iter(["hang", "pass"])

    def check() -> RunResult:
        if next(calls) == "hang":
            hung.set()
            released.wait(30)  # what the killed run's wait sees: its processes are gone
            return _result(Status.ERROR, "the run was killed")
        return _result(Status.PASS)

    screens: list[str] = []
    recorded: list[RunResult] = []
    loop = WatchLoop(adder, check, lambda: "No more hints for task 1, Add", screens.append,
                     clear=False,
                     cancel=released.set, record=recorded.append)

    def events():
        assert hung.wait(30)
        yield "tick", None
        yield "key", "h"  # keys still answer while a check runs
        yield "change", ["adder.py"]

    loop.run(events())
    assert released.is_set(), "the running check was not cancelled"
    assert loop.runs == 2 and loop.cancelled == 1
    assert [r.status for r in recorded] == [Status.PASS], "a cancelled check was recorded"
    text = "".join(screens)
    assert "check #1 running since" in text and "Checking your code..." in text
    assert "No more hints" in text
    assert "Check #1 was cancelled: you saved again before it ended." in text
    assert "Passed" in loop.screen() or "✓" in loop.screen()


def test_harness_state_changes_do_not_trigger_checks(tmp_path):
    assert relevant(str(tmp_path / "adder.py"), tmp_path)
    assert not relevant(str(tmp_path / ".kata" / "state.json"), tmp_path)
    assert not relevant(str(tmp_path / "__pycache__" / "x.pyc"), tmp_path)


def _start(kata, tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    assert kata("start", "adder", *CAT, "--dir", str(workspace)).returncode == 0
    return workspace


def test_watch_runs_once_for_two_quick_saves_and_survives_a_broken_file(kata, tmp_path,
                                                                        kata_home):
    workspace = _start(kata, tmp_path)
    env = {**os.environ, "KATA_HOME": str(kata_home), "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    watcher = subprocess.Popen([sys.executable, "-m", "harness", "watch", str(workspace)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env=env, text=True)
    try:
        _wait_for_checks(workspace, 1)
        (workspace / "adder.py").write_text("def add(a, b:\n")
        time.sleep(0.05)
        (workspace / "adder.py").write_text("def add(a, b:\n    pass\n")
        _wait_for_checks(workspace, 2)
        time.sleep(1.0)  # a second run for the same saves would have started by now
        shutil.copy(REFERENCE, workspace / "adder.py")
        _wait_for_checks(workspace, 3)
        watcher.stdin.write("q\n")
        watcher.stdin.flush()
        output, _ = watcher.communicate(timeout=30)
    finally:
        watcher.kill()
    assert watcher.returncode == 0, output
    # two quick saves make one recorded check: coalesced, or (on a machine slow enough to
    # see them apart) the first one's check cancelled by the second and never recorded
    checks = json.loads((workspace / ".kata" / "state.json").read_text())["checks"]
    assert [c["status"] for c in checks] == ["fail", "error", "pass"], (checks, output)
    finished = re.findall(r"kata watch · adder · check #(\d+) at", output)
    assert len(finished) == 3 and finished == sorted(finished, key=int), output
    assert "Your code could not be tested" in output and "SyntaxError" in output
    assert "Passed in" in output and "Traceback" not in output


def _wait_for_checks(workspace: Path, count: int, timeout: float = 180) -> None:
    """Waits until the workspace has recorded `count` checks."""
    import json

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = json.loads((workspace / ".kata" / "state.json").read_text())
        if len(state["checks"]) >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"kata watch did not reach {count} checks in {timeout} s")


def test_watch_screen_in_tmux(kata, tmp_path, kata_home):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    workspace = _start(kata, tmp_path)
    session = _watch_in_tmux(workspace, kata_home, f"kata-{os.getpid()}")
    try:
        _wait_for_checks(workspace, 1)
        time.sleep(0.5)
        subprocess.run(["tmux", "send-keys", "-t", session, "h"], check=True)
        screen = _capture_until(session, "Hint 1 of 1")
        assert "Now: task 1/2, Add" in screen
        assert "First failing test: add > adds small numbers (example)" in screen
        assert "Hint 1 of 1 for task 1, Add: add() returns a + b." in screen
        # task 1 passes, task 2 not yet: [h] gives task 2's first hint, as kata hint does
        (workspace / "adder.py").write_text(
            REFERENCE.read_text().replace("return a - b", "return b - a"))
        _wait_for_checks(workspace, 2)
        subprocess.run(["tmux", "send-keys", "-t", session, "h"], check=True)
        screen = _capture_until(session, "for task 2")
        assert "Now: task 2/2, Subtract" in screen
        assert "Hint 1 of 2 for task 2, Subtract: sub() lives in adder.py too." in screen
        shutil.copy(REFERENCE, workspace / "adder.py")
        _wait_for_checks(workspace, 3)
        screen = _capture_until(session, "Passed in")
        assert "✓ 2. Subtract" in screen
        (tmp_path / "watch-pass.txt").write_text(screen)
        assert "[c] compare" in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "c"], check=True)
        assert "1. Verdicts of the tests" in _capture_until(session, "5. The reference",
                                                                   timeout=60)
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        assert "Bye." in _capture_until(session, "Bye.")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_watch_in_tmux_cancels_a_hung_check_when_the_learner_saves(kata, tmp_path, kata_home):
    """The real command in a terminal: a submission that hangs at import shows as running;
    saving the fix cancels that check (whose run could take five minutes) and grades the
    fix, and the hung check is never recorded."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    catalog = tmp_path / "catalog"
    shutil.copytree(FIXTURE_CATALOG, catalog)
    toml = catalog / "katas/networking/adder/kata.toml"
    toml.write_text(toml.read_text().replace("test = 1\ntotal = 8", "test = 300\ntotal = 300"))
    workspace = tmp_path / "ws"
    assert kata("start", "adder", "--catalog", str(catalog), "--dir",
                str(workspace)).returncode == 0
    session = _watch_in_tmux(workspace, kata_home, f"kata-hang-{os.getpid()}")
    try:
        _wait_for_checks(workspace, 1)
        (workspace / "adder.py").write_text("while True:\n    pass\n")
        screen = _capture_until(session, "check #2 running since", timeout=30)
        assert "Checking your code..." in screen
        shutil.copy(REFERENCE, workspace / "adder.py")
        screen = _capture_until(session, "Passed in", timeout=60)
        assert "Check #2 was cancelled: you saved again before it ended." in screen
        assert "check #3 at" in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        _capture_until(session, "Bye.")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    import json

    checks = json.loads((workspace / ".kata" / "state.json").read_text())["checks"]
    assert [c["status"] for c in checks] == ["fail", "pass"], checks


def _watch_in_tmux(workspace: Path, kata_home: Path, session: str) -> str:
    """Starts `kata watch` in `workspace` in a detached tmux session; returns its name."""
    command = (f"cd {workspace} && KATA_HOME={kata_home} PYTHONPATH={ROOT} "
               f"{sys.executable} -m harness watch; sleep 30")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "110", "-y", "45",
                    command], check=True)
    return session


def _capture_until(session: str, needle: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                                capture_output=True, text=True).stdout
        if needle in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared on the screen:\n{screen}")


def test_next_suggests_the_first_unpassed_kata_and_starts_it(kata, tmp_path):
    shown = kata("next", *CAT, cwd=tmp_path, env={"KATA_CATALOG": ""})
    assert "Next: adder (networking, beginner)" in shown.stdout
    started = kata("next", "--yes", *CAT, cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    assert (tmp_path / "adder" / "adder.py").is_file()
    again = kata("next", *CAT, cwd=tmp_path)
    assert "You started it in" in again.stdout
    shutil.copy(REFERENCE, tmp_path / "adder" / "adder.py")
    assert kata("check", str(tmp_path / "adder")).returncode == 0
    assert "You have passed every kata" in kata("next", *CAT, cwd=tmp_path).stdout


def test_reset_asks_keeps_the_old_file_and_puts_the_stub_back(kata, tmp_path):
    workspace = _start(kata, tmp_path)
    stub = (FIXTURE_CATALOG / "katas/networking/adder/stub/adder.py").read_text()
    (workspace / "adder.py").write_text("my attempt\n")
    unasked = kata("reset", str(workspace))  # no terminal to ask on, no --yes: nothing done
    assert unasked.returncode == 2 and "add --yes" in unasked.stderr, unasked.stderr
    assert (workspace / "adder.py").read_text() == "my attempt\n"
    done = kata("reset", str(workspace), "--yes")
    assert done.returncode == 0, done.stderr
    backups = list((workspace / ".kata").glob("backup-*/adder.py"))
    assert [b.read_text() for b in backups] == ["my attempt\n"]
    assert (workspace / "adder.py").read_text() == stub


def test_a_deleted_stub_is_put_back_by_reset_without_an_empty_backup(kata, tmp_path):
    workspace = _start(kata, tmp_path)
    (workspace / "adder.py").unlink()
    check = kata("check", str(workspace))
    assert check.returncode == 1 and "`kata reset` puts the stub back" in check.stdout
    done = kata("reset", str(workspace))  # nothing of the learner's to lose: no question
    assert done.returncode == 0 and "no work of yours to keep" in done.stdout, done.stderr
    assert list((workspace / ".kata").glob("backup-*")) == []
    assert (workspace / "adder.py").is_file()


def test_examples_shows_a_tasks_tests_and_changes_nothing(kata, tmp_path):
    workspace = _start(kata, tmp_path)
    (workspace / "adder.py").write_text("keep me\n")
    shown = kata("examples", "--dir", str(workspace))  # the current task: 1, before a check
    assert "Task 1/2: Add" in shown.stdout and "def test_adds_small_numbers" in shown.stdout
    second = kata("examples", "2", "--dir", str(workspace))
    assert "Task 2/2: Subtract" in second.stdout, second.stdout + second.stderr
    assert (workspace / "adder.py").read_text() == "keep me\n"
    wrong = kata("examples", "9", "--dir", str(workspace))
    assert wrong.returncode == 2 and "tasks 1 to 2, not 9" in wrong.stderr


def test_welcome_says_what_this_is_and_where_progress_lives(kata, kata_home):
    done = kata()
    assert done.returncode == 0
    assert "kata start load-balancer" in done.stdout and "kata list" in done.stdout
    assert str(kata_home) in done.stdout
