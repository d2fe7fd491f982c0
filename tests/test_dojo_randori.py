"""kata dojo randori: the rotation driven by a fake clock, its git history, RETRO.md, keys."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG, ROOT
from harness import randori, randori_screen, workspace
from harness.catalog import Catalog
from harness.errors import UsageError
from harness.result import RunResult, Status, TaskResult, TestResult
from harness.testing import FakeClock
from test_learner_loop import _capture_until

SOLUTIONS = FIXTURE_CATALOG / "solutions/adder"


def _result(tasks_passed: int, tests_passed: int, tests_total: int = 4) -> RunResult:
    tasks = [TaskResult(id=i, title=f"task {i}", passed=2 if i <= tasks_passed else 0, total=2)
             for i in (1, 2)]
    tests = [TestResult(id=f"t{i}", name=f"t{i}", task=1,
                        status=Status.PASS if i < tests_passed else Status.FAIL)
             for i in range(tests_total)]
    status = Status.PASS if tests_passed == tests_total else Status.FAIL
    return RunResult(kata="adder", submission="ws", status=status, tests=tests, tasks=tasks)


class Checks:
    """Stands in for `kata check`: hands out the results a test scripts, one per check."""

    def __init__(self, *results: RunResult) -> None:
        self.results = list(results)
        self.count = 0

    def __call__(self) -> RunResult:
        self.count += 1
        return self.results.pop(0) if len(self.results) > 1 else self.results[0]


@pytest.fixture
def ws(tmp_path) -> Path:
    kata = Catalog(FIXTURE_CATALOG).get("adder")
    return workspace.start(kata, tmp_path / "adder").path


def _git(ws: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=ws, capture_output=True, text=True,
                          check=True).stdout


def test_roles_rotate_when_the_timebox_is_over_and_not_before(ws):
    clock, cues = FakeClock(), []
    session = randori.Randori(ws, ["ana", "ben", "chen", "dee"], 300, clock,
                              Checks(_result(0, 1)), cue=cues.append)
    assert (session.driver, session.navigator, session.upcoming) == ("ana", "ben", "chen")
    clock.advance(299)
    session.tick()
    assert session.turn.number == 1 and session.time_left() == pytest.approx(1)
    clock.advance(1)
    session.tick()
    assert (session.driver, session.navigator, session.upcoming) == ("ben", "chen", "dee")
    assert cues == ["Rotate! ben drives, chen navigates (turn 2)."]
    drivers = []
    for _ in range(4):
        clock.advance(300)
        session.tick()
        drivers.append(session.driver)
    assert drivers == ["chen", "dee", "ana", "ben"]  # the driver goes to the back each turn


def test_each_rotation_commits_the_workspace_as_the_turn_driver(ws):
    clock = FakeClock()
    checks = Checks(_result(0, 1), _result(1, 2), _result(2, 4))
    session = randori.Randori(ws, ["ana", "ben", "chen"], 60, clock, checks)
    (ws / "adder.py").write_text("def add(a, b):\n    return a + b\n")
    clock.advance(60)
    session.tick()
    clock.advance(60)
    session.tick()
    log = _git(ws, "log", "--reverse", "--format=%an|%ae|%s").splitlines()
    assert log == ["ana|ana@dojo.invalid|Turn 1: 0/2 tasks, 1/4 tests",
                   "ben|ben@dojo.invalid|Turn 2: 1/2 tasks, 2/4 tests"]
    assert "return a + b" in _git(ws, "show", "HEAD~1:adder.py")
    assert ".kata" not in _git(ws, "ls-files")


def test_pause_stops_the_turn_clock(ws):
    clock = FakeClock()
    session = randori.Randori(ws, ["ana", "ben"], 100, clock, Checks(_result(0, 1)))
    clock.advance(40)
    session.pause()
    clock.advance(500)
    session.tick()
    assert session.turn.number == 1 and session.time_left() == pytest.approx(60)
    session.pause()  # resume
    clock.advance(59)
    session.tick()
    assert session.turn.number == 1
    clock.advance(1)
    session.tick()
    assert session.turn.number == 2 and session.driver == "ben"


def test_skip_passes_over_the_next_person_once(ws):
    clock = FakeClock()
    session = randori.Randori(ws, ["ana", "ben", "chen", "dee"], 10, clock,
                              Checks(_result(0, 1)))
    assert session.skip() == "chen"
    assert session.upcoming == "dee"
    clock.advance(10)
    session.tick()
    assert (session.driver, session.navigator) == ("ben", "dee")
    clock.advance(10)
    session.tick()
    assert (session.driver, session.navigator) == ("dee", "chen")  # chen comes back
    assert randori.Randori(ws, ["ana", "ben"], 10, clock, Checks(_result(0, 1))).skip() == ""


def test_time_to_first_green_is_recorded_in_the_turn_it_happened(ws):
    clock = FakeClock()
    checks = Checks(_result(0, 1), _result(1, 2), _result(2, 4))
    session = randori.Randori(ws, ["ana", "ben", "chen"], 100, clock, checks)
    clock.advance(100)
    session.tick()  # turn 1 ends red
    clock.advance(30)
    session.saved()  # red
    clock.advance(20)
    assert session.saved().green  # 150 s into the session, ben driving
    assert session.state.first_green == pytest.approx(150)
    assert session.turn.first_green == pytest.approx(150)


def test_ending_writes_a_retro_with_the_timeline_and_commits_it(ws):
    clock = FakeClock()
    checks = Checks(_result(0, 1), _result(1, 2), _result(2, 4))
    session = randori.Randori(ws, ["ana", "ben", "chen"], 300, clock, checks, title="Adder")
    clock.advance(300)
    session.tick()
    clock.advance(200)
    session.saved()  # 1/2 tasks, red
    clock.advance(50)
    retro = session.end(["short turns kept everyone awake"], [])
    text = retro.read_text()
    assert text.startswith("# Retrospective: Adder randori, ")
    assert "People: ana, ben, chen · timebox 5:00 · 2 turns · 9:10 in all" in text
    assert "Time to first green: 9:10 (turn 2, ben driving)" in text
    assert "| 1 | ana | ben | 5:00 | 0/2 | 1/4 | - |" in text
    assert "| 2 | ben | chen | 4:10 | 2/2 | 4/4 | 9:10 |" in text
    assert "## What went well\n\n- short turns kept everyone awake\n" in text
    assert "## What to change\n\n- \n- \n" in text  # left for the room
    log = _git(ws, "log", "--format=%an|%s").splitlines()
    assert log[0] == "ben|Retrospective after 2 turns" and "RETRO.md" in _git(ws, "show",
                                                                               "--stat", "HEAD")


def test_a_stopped_session_resumes_at_its_turn(ws):
    clock = FakeClock()
    people = ["ana", "ben", "chen"]
    first = randori.Randori(ws, people, 60, clock, Checks(_result(0, 1)))
    clock.advance(60)
    first.tick()
    clock.advance(10)
    again = randori.Randori(ws, people, 60, FakeClock(5_000), Checks(_result(0, 1)))
    assert (again.turn.number, again.driver, again.navigator) == (2, "ben", "chen")
    assert again.now() == pytest.approx(60)  # session time goes on from the last event saved
    assert again.time_left() == pytest.approx(60)  # and the interrupted turn starts afresh


def _loop(ws: Path, checks: Checks, clock: FakeClock, **options) -> randori_screen.RandoriLoop:
    return randori_screen.RandoriLoop(Catalog(FIXTURE_CATALOG).get("adder"), ws,
                                      ["ana", "ben", "chen", "dee"], 60, clock, checks,
                                      **options)


def test_the_loop_checks_on_save_lets_the_timebox_run_out_and_takes_the_keys(ws):
    clock, checks, cues, screens = FakeClock(), Checks(_result(0, 1), _result(1, 2)), [], []
    loop = _loop(ws, checks, clock, cue=cues.append)

    def events():
        yield "change", ["adder.py"]
        clock.advance(61)
        yield "tick", None  # the timebox is over: the room rotates
        yield "key", "S"  # keys are read in either case: dee is passed over
        yield "key", "p"
        clock.advance(600)
        yield "tick", None  # paused: no rotation
        yield "key", "x"  # not a key of the session: nothing happens

    loop.run(events(), screens.append)
    assert checks.count == 3  # at the start, on the save, at the end of turn 1
    assert loop.tasks == {1: (2, 2), 2: (0, 2)}  # what the screen shows: the last check
    session = loop.session
    assert (session.turn.number, session.driver, session.navigator) == (2, "ben", "chen")
    assert cues == ["Rotate! ben drives, chen navigates (turn 2)."]
    assert session.paused and session.state.order == ["ben", "chen", "ana", "dee"]
    assert len(screens) == 7  # once at the start, then once per event
    assert screens[-1].title == "kata dojo randori · Adder · turn 2"


def test_ending_asks_the_retrospective_and_writes_the_answers(ws):
    loop = _loop(ws, Checks(_result(0, 1)), FakeClock(), interactive=True)
    typed = [*"went well", "\r", "\r", *"less tlak", "\x7f", "\x7f", "\x7f", *"alk", "\n",
             "\n", "k"]
    events = iter([("key", "e"), ("change", ["adder.py"]), *(("key", char) for char in typed)])
    loop.run(events, lambda shown: None)
    assert loop.retro is not None and loop.retro.done
    assert loop.retro.answers == [["went well"], ["less talk"]]
    assert list(events) == [("key", "k")]  # answered: the loop stopped reading
    text = loop.end().read_text()
    assert "## What went well\n\n- went well\n" in text
    assert "## What to change\n\n- less talk\n" in text


def test_ending_with_nobody_at_the_keyboard_leaves_the_prompts_for_the_room(ws):
    loop = _loop(ws, Checks(_result(0, 1)), FakeClock(), interactive=False)
    loop.run(iter([("key", "q"), ("key", "p")]), lambda shown: None)
    assert loop.retro is None and not loop.session.paused  # stopped at q: p never read
    text = loop.end().read_text()
    assert "## What went well\n\n- \n- \n" in text


@pytest.mark.parametrize(("text", "seconds"), [("5m", 300), ("90s", 90), ("4m30s", 270),
                                               ("7", 420), ("0.5m", 30)])
def test_timeboxes_read_like_people_write_them(text, seconds):
    assert randori.parse_timebox(text) == seconds


@pytest.mark.parametrize("text", ["", "5 minutes", "0s", "-1m"])
def test_a_bad_timebox_says_how_to_write_one(text):
    with pytest.raises(UsageError, match="--timebox"):
        randori.parse_timebox(text)


@pytest.mark.parametrize("people", ["ana", "ana,ana", " , "])
def test_a_randori_needs_two_different_people(people):
    with pytest.raises(UsageError, match="people|names"):
        randori.parse_people(people)


def test_the_command_runs_checks_on_save_and_ends_with_a_retro_under_tmux(tmp_path, kata_home):
    """The real command in a real terminal: the screen, a check on save, keys, the end."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    room = tmp_path / "room"
    session = f"randori-{os.getpid()}"
    command = (f"KATA_HOME={kata_home} PYTHONPATH={ROOT} {sys.executable} -m harness dojo "
               f"randori adder --people ana,ben,chen --timebox 10m --dir {room} "
               f"--catalog {FIXTURE_CATALOG}; sleep 30")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "110", "-y", "40",
                    command], check=True)

    def keys(*typed: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", session, *typed], check=True)

    try:
        screen = _capture_until(session, "Last check at")
        assert "Driver" in screen and "ana" in screen and "Next" in screen
        assert "1. Add" in screen and "2. Subtract" in screen
        time.sleep(0.5)  # the watcher is up once the first check is drawn
        shutil.copy(SOLUTIONS / "adder.py", room / "adder.py")
        screen = _capture_until(session, "2/2 tasks, 6/6 tests, green", timeout=60)
        assert "✓ 2. Subtract" in screen
        keys("s")
        _capture_until(session, "chen skipped this round")
        keys("e")
        _capture_until(session, "What went well?")
        keys("pairing on the hard part", "Enter")
        keys("Enter")
        _capture_until(session, "What to change?")
        keys("Enter")
        _capture_until(session, "Session over", timeout=60)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    retro = (room / "RETRO.md").read_text()
    assert "- pairing on the hard part" in retro
    assert "Time to first green: " in retro and "not reached" not in retro
    log = _git(room, "log", "--reverse", "--format=%an|%s").splitlines()
    assert log == ["ana|Turn 1: 2/2 tasks, 6/6 tests, green", "ana|Retrospective after 1 turns"]
