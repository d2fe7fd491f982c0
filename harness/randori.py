"""`kata dojo randori`: one keyboard, a driver and a navigator who rotate every timebox.

At each rotation the navigator becomes the driver and the next person in the room the
navigator; the workspace is checked and committed to a git repository in the workspace
(author: the turn's driver), so the session can be replayed commit by commit. The state
is kept in `.kata/randori.json`, so a session stopped by accident resumes where it was.
Time comes from an injected clock: the loop that drives this is the only place that
waits.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from harness import workspace
from harness.catalog import Kata
from harness.errors import UsageError
from harness.result import RunResult, Status

GITIGNORE = ".kata/\n__pycache__/\n.pytest_cache/\n"


def parse_people(text: str) -> list[str]:
    people = [name.strip() for name in text.split(",") if name.strip()]
    if len(people) < 2:
        raise UsageError("a randori needs at least two people (--people \"ana,ben\")")
    if len(set(people)) != len(people):
        raise UsageError("each person once in --people, please (names must differ)")
    return people


def parse_timebox(text: str) -> float:
    """'5m', '90s', '4m30s' or a number of minutes; returns seconds."""
    match = re.fullmatch(r"\s*(?:(\d+(?:\.\d+)?)m)?\s*(?:(\d+(?:\.\d+)?)s)?\s*", text)
    if re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", text):
        seconds = float(text) * 60
    elif match and any(match.groups()):
        seconds = float(match.group(1) or 0) * 60 + float(match.group(2) or 0)
    else:
        raise UsageError(f"--timebox {text!r}: use minutes and seconds like 5m, 90s or 4m30s")
    if seconds < 1:
        raise UsageError("--timebox must be at least a second")
    return seconds


def workspace_for(kata: Kata, path: Path, catalog_root: Path | None) -> workspace.Workspace:
    """The session's workspace: the one at `path`, resumed, or a new one for `kata`."""
    if (path / workspace.STATE_DIR).is_dir():
        ws = workspace.locate(path)
        if ws.slug != kata.slug:
            raise UsageError(f"{path} is a workspace for {ws.slug}, not {kata.slug}")
        return ws
    return workspace.start(kata, path, catalog_root=catalog_root)


@dataclass
class Check:
    """What a check said, as the screen and the timeline need it."""

    at: float  # seconds since the session started
    status: str
    tasks_passed: int
    tasks_total: int
    tests_passed: int
    tests_total: int
    message: str = ""

    @property
    def green(self) -> bool:
        return self.status == Status.PASS.value

    @classmethod
    def of(cls, result: RunResult, at: float) -> Check:
        return cls(at=at, status=result.status.value,
                   tasks_passed=result.tasks_passed,
                   tasks_total=len(result.tasks),
                   tests_passed=result.tests_passed,
                   tests_total=result.tests_total,
                   message=result.message.splitlines()[0] if result.message else "")

    def summary(self) -> str:
        if self.status == Status.ERROR.value:
            return f"the code did not load ({self.message})" if self.message else "error"
        return (f"{self.tasks_passed}/{self.tasks_total} tasks, "
                f"{self.tests_passed}/{self.tests_total} tests"
                + (", green" if self.green else ""))


@dataclass
class Turn:
    """One driver's turn, as the timeline records it."""

    number: int
    driver: str
    navigator: str
    started: float  # seconds since the session started
    ended: float | None = None
    check: Check | None = None  # the check at the end of the turn
    first_green: float | None = None  # when a check in this turn first passed
    commit: str = ""


@dataclass
class State:
    people: list[str]
    timebox: float
    order: list[str]  # driver, navigator, then the rest in the order they come
    turns: list[Turn] = field(default_factory=list)
    elapsed: float = 0.0  # session time already spent before this run (resumed sessions)
    paused: float = 0.0  # time paused within the current turn
    first_green: float | None = None
    ended: bool = False


class Randori:
    """The rotation, the timer and the history of one randori session."""

    def __init__(self, workspace: Path, people: list[str], timebox: float,
                 clock: Callable[[], float], check: Callable[[], RunResult],
                 cue: Callable[[str], None] = lambda message: None, title: str = "") -> None:
        self.workspace = workspace
        self.title = title or workspace.name
        self.clock = clock
        self.check_workspace = check
        self.cue = cue
        self.last: Check | None = None
        self.banner = ""
        self._state_path = workspace / ".kata" / "randori.json"
        self.history = History(workspace)
        self.state = self._load() or State(people=people, timebox=timebox, order=list(people))
        if set(self.state.people) != set(people):  # a new room: start a new rotation
            self.state = State(people=people, timebox=timebox, order=list(people))
        self.state.timebox = timebox
        self._run_started = self.clock()
        self._pause_started: float | None = None
        if not self.state.turns or self.state.turns[-1].ended is not None:
            self._begin_turn()
        else:  # resumed mid-turn: the turn restarts its timebox
            self.state.turns[-1].started = self.now()
            self.state.paused = 0.0
        self._save()

    # -- time -------------------------------------------------------------------------------

    def now(self) -> float:
        """Seconds since the session started, across resumed runs."""
        return self.state.elapsed + self.clock() - self._run_started

    @property
    def paused(self) -> bool:
        return self._pause_started is not None

    def time_left(self) -> float:
        turn = self.state.turns[-1]
        started = self._pause_started
        pause = self.state.paused + (self.clock() - started if started is not None else 0)
        return self.state.timebox - (self.now() - turn.started - pause)

    # -- roles ------------------------------------------------------------------------------

    @property
    def driver(self) -> str:
        return self.state.order[0]

    @property
    def navigator(self) -> str:
        return self.state.order[1]

    @property
    def upcoming(self) -> str:
        """Who becomes navigator at the next rotation."""
        return self.state.order[2] if len(self.state.order) > 2 else self.state.order[0]

    @property
    def turn(self) -> Turn:
        return self.state.turns[-1]

    # -- events -----------------------------------------------------------------------------

    def tick(self) -> None:
        """Called often by the loop: rotates when the timebox is over."""
        if not self.paused and not self.state.ended and self.time_left() <= 0:
            self.rotate()

    def saved(self) -> Check:
        """A file was saved: check it."""
        return self._check()

    def pause(self) -> None:
        """Stops the turn's clock; again to resume."""
        if self._pause_started is not None:
            self.state.paused += self.clock() - self._pause_started
            self._pause_started = None
            self.banner = "Resumed."
        else:
            self._pause_started = self.clock()
            self.banner = "Paused: the turn's clock is stopped (p resumes)."
        self._save()

    def skip(self) -> str:
        """The person due to navigate next is passed over this round (they go last)."""
        if len(self.state.order) < 3:
            self.banner = "Nobody to skip: with two people, each is driver or navigator."
            return ""
        skipped = self.state.order.pop(2)
        self.state.order.append(skipped)
        self.banner = f"{skipped} skipped this round; {self.upcoming} navigates next."
        self._save()
        return skipped

    def rotate(self) -> Turn:
        """Ends the turn (check, commit, cue) and starts the next one."""
        ended = self._end_turn()
        driver = self.state.order.pop(0)
        self.state.order.append(driver)  # the driver goes to the back of the room
        self._begin_turn()
        self.banner = (f"Rotate! {self.driver} drives, {self.navigator} navigates "
                       f"(turn {self.turn.number}).")
        self.cue(self.banner)
        self._save()
        return ended

    def end(self, went_well: Sequence[str] = (), to_change: Sequence[str] = ()) -> Path:
        """Ends the session: a last check and commit, then RETRO.md (committed too)."""
        if self.paused:
            self.pause()
        self._end_turn()
        self.state.ended = True
        retro = self.workspace / "RETRO.md"
        retro.write_text(self.retrospective(went_well, to_change), encoding="utf-8")
        self.history.commit(self.driver, f"Retrospective after {len(self.state.turns)} turns")
        self._save()
        return retro

    # -- the record -------------------------------------------------------------------------

    def retrospective(self, went_well: Sequence[str] = (), to_change: Sequence[str] = ()) -> str:
        state = self.state
        turns = [t for t in state.turns if t.ended is not None]
        first = next((t for t in turns if t.first_green is not None), None)
        lines = [f"# Retrospective: {self.title} randori, "
                 f"{time.strftime('%Y-%m-%d')}", "",
                 f"People: {', '.join(state.people)} · timebox {clock_text(state.timebox)} · "
                 f"{len(turns)} turns · {clock_text(self.now())} in all",
                 "Time to first green: " + (
                     f"{clock_text(state.first_green)} (turn {first.number}, "
                     f"{first.driver} driving)"
                     if first and state.first_green is not None else "not reached"),
                 "", "## Timeline", "",
                 "| Turn | Driver | Navigator | Length | Tasks passed | Tests passed | "
                 "First green |",
                 "|---:|---|---|---:|---:|---:|---:|"]
        for turn in turns:
            check = turn.check
            lines.append(
                f"| {turn.number} | {turn.driver} | {turn.navigator} | "
                f"{clock_text((turn.ended or turn.started) - turn.started)} | "
                f"{f'{check.tasks_passed}/{check.tasks_total}' if check else '-'} | "
                f"{f'{check.tests_passed}/{check.tests_total}' if check else '-'} | "
                f"{clock_text(turn.first_green) if turn.first_green is not None else '-'} |")
        lines += ["", "Replay the session: `git log --reverse --format='%h %an: %s'`, then "
                  "`git checkout <commit>` for any turn.", ""]
        for title, answers in (("What went well", went_well), ("What to change", to_change)):
            lines += [f"## {title}", ""]
            lines += [f"- {answer}" for answer in answers] or ["- ", "- "]
            lines.append("")
        return "\n".join(lines)

    def _check(self) -> Check:
        self.last = Check.of(self.check_workspace(), self.now())
        if self.last.green:
            if self.turn.first_green is None:
                self.turn.first_green = self.last.at
            if self.state.first_green is None:
                self.state.first_green = self.last.at
        self._save()
        return self.last

    def _begin_turn(self) -> None:
        self.state.turns.append(Turn(number=len(self.state.turns) + 1, driver=self.driver,
                                     navigator=self.navigator, started=self.now()))
        self.state.paused = 0.0

    def _end_turn(self) -> Turn:
        turn = self.turn
        if turn.ended is None:
            check = self._check()
            turn.ended, turn.check = self.now(), check
            turn.commit = self.history.commit(turn.driver,
                                              f"Turn {turn.number}: {check.summary()}")
        return turn

    def _load(self) -> State | None:
        try:
            data = json.loads(self._state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("ended"):
            return None  # a finished session: the next one starts afresh
        turns = []
        for raw in data.pop("turns", []):
            check = raw.pop("check", None)
            turns.append(Turn(**raw, check=Check(**check) if check else None))
        return State(**data, turns=turns)

    def _save(self) -> None:
        self.state.elapsed = self.now()
        self._run_started = self.clock()
        self._state_path.parent.mkdir(exist_ok=True)
        self._state_path.write_text(json.dumps(asdict(self.state), indent=2), encoding="utf-8")


class History:
    """The workspace's git repository: one commit per turn, authored by its driver."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        if not (workspace / ".git").exists():
            self._git("init", "-q")
        ignore = workspace / ".gitignore"
        if not ignore.exists():
            ignore.write_text(GITIGNORE, encoding="utf-8")

    def commit(self, author: str, message: str) -> str:
        """Commits everything in the workspace (even nothing changed) and returns the id."""
        self._git("add", "-A")
        email = re.sub(r"[^a-z0-9]+", ".", author.lower()).strip(".") or "someone"
        self._git("commit", "-q", "--allow-empty", "--no-verify", "-m", message,
                  env={"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{email}@dojo.invalid"})
        return self._git("rev-parse", "--short", "HEAD").strip()

    def _git(self, *args: str, env: dict[str, str] | None = None) -> str:
        full_env = {**os.environ, "GIT_COMMITTER_NAME": "kata dojo",
                    "GIT_COMMITTER_EMAIL": "dojo@kata.invalid",
                    "GIT_AUTHOR_NAME": "kata dojo", "GIT_AUTHOR_EMAIL": "dojo@kata.invalid",
                    **(env or {})}
        try:
            done = subprocess.run(["git", "-c", "commit.gpgsign=false", *args],
                                  cwd=self.workspace, env=full_env, capture_output=True,
                                  text=True, timeout=60)
        except FileNotFoundError:
            raise UsageError("a randori keeps its history with git: install git") from None
        if done.returncode != 0:
            raise UsageError(f"git {args[0]} failed in {self.workspace}: {done.stderr.strip()}")
        return done.stdout


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"
