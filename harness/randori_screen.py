"""The randori at the keyboard: the loop that feeds a session the room's saves and keys, and
the screen it draws (roles, the turn's time, the kata's tasks, the last check), then the
retrospective's questions typed into the same screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from harness.catalog import Kata
from harness.randori import Randori, clock_text
from harness.result import RunResult

#: the keys of the session; after [e], keys answer the retrospective
KEYS = "[p] pause/resume  [s] skip the next person  [n] rotate now  [e] end and retrospect"


class RetroPrompt:
    """The retrospective's questions, answered by typing into the same screen: Enter ends
    an answer, an empty line moves to the next question."""

    QUESTIONS = ("What went well?", "What to change?")

    def __init__(self) -> None:
        self.answers: list[list[str]] = [[], []]
        self.question = 0
        self.line = ""

    @property
    def done(self) -> bool:
        return self.question >= len(self.QUESTIONS)

    def key(self, char: str) -> None:
        if char in ("\r", "\n"):
            if self.line.strip():
                self.answers[self.question].append(self.line.strip())
            else:
                self.question += 1
            self.line = ""
        elif char in ("\x7f", "\b"):
            self.line = self.line[:-1]
        elif char.isprintable():
            self.line += char

    def render(self) -> Panel:
        parts: list[RenderableType] = [Text(
            "Retrospective: type an answer and press Enter; an empty line moves on "
            "(leave them empty for the room to fill in RETRO.md).", style="dim")]
        for number, question in enumerate(self.QUESTIONS[:self.question + 1]):
            parts.append(Text(question, style="bold"))
            parts += [Text(f"- {answer}") for answer in self.answers[number]]
            if number == self.question:
                parts.append(Text(f"- {self.line}▏"))
        return Panel(Group(*parts), title="kata dojo randori · retrospective",
                     border_style="magenta")


def render(randori: Randori, kata: Kata, tasks: dict[int, tuple[int, int]]) -> Panel:
    """The whole screen as one rich renderable; `tasks` maps task ids to (passed, total)."""
    left = randori.time_left()
    warn = "bold red" if left <= 30 else "bold yellow" if left <= 60 else "bold green"
    clock = Text(clock_text(left) if not randori.paused else f"{clock_text(left)} paused",
                 style="bold blue" if randori.paused else warn)

    roles = Table.grid(padding=(0, 3))
    roles.add_row(Text("Driver", style="dim"), Text("Navigator", style="dim"),
                  Text("Next", style="dim"), Text("Time left", style="dim"))
    roles.add_row(Text(randori.driver, style="bold"), Text(randori.navigator, style="bold"),
                  Text(randori.upcoming), clock)

    board = Table(show_header=True, header_style="dim", box=None, padding=(0, 2))
    board.add_column("Task")
    board.add_column("Tests", justify="right")
    for task in kata.tasks:
        passed, total = tasks.get(task.id, (0, 0))
        mark = ("✓", "green") if total and passed == total else ("·", "dim")
        board.add_row(Text(f"{mark[0]} {task.id}. {task.title}", style=mark[1]),
                      f"{passed}/{total}" if total else "-")

    last = randori.last
    if last is None:
        said = Text("No check yet: save a file to run one.", style="dim")
    else:
        said = Text(f"Last check at {clock_text(last.at)}: {last.summary()}",
                    style="green" if last.green else "red")
    parts: list[RenderableType] = [roles, Text(""), board, Text(""), said]
    if randori.banner:
        parts += [Text(""), Text(randori.banner, style="bold magenta")]
    parts += [Text(""), Text(KEYS, style="dim")]
    title = f"kata dojo randori · {kata.title} · turn {randori.turn.number}"
    return Panel(Group(*parts), title=title, border_style="cyan")


class RandoriLoop:
    """Feeds a session the events of `harness.watch.events`: a save checks, a tick lets the
    timebox run out, keys pause, skip, rotate or end; after [e] (or [q]) the keys answer the
    retrospective. Each event redraws the screen through `draw`."""

    def __init__(self, kata: Kata, workspace: Path, people: list[str], timebox: float,
                 clock: Callable[[], float], check: Callable[[], RunResult], *,
                 cue: Callable[[str], None] = lambda message: None,
                 interactive: bool = True) -> None:
        self.kata = kata
        self.check_workspace = check
        self.interactive = interactive  # someone at the keyboard to answer the retrospective
        self.tasks: dict[int, tuple[int, int]] = {}  # task id: (passed, total) at the last check
        self.retro: RetroPrompt | None = None
        self.session = Randori(workspace, people, timebox, clock, self._check, cue=cue,
                               title=kata.title)

    def screen(self) -> Panel:
        return self.retro.render() if self.retro else render(self.session, self.kata, self.tasks)

    def run(self, events: Iterable[tuple[str, object]],
            draw: Callable[[RenderableType], None]) -> None:
        """Checks once, then handles events until the retrospective is answered, [e] with
        nobody at the keyboard, or the events end."""
        self.session.saved()
        draw(self.screen())
        for kind, value in events:
            if not self.handle(kind, value):
                break
            draw(self.screen())

    def handle(self, kind: str, value: object) -> bool:
        """One event; returns False when the session is over."""
        key = str(value).lower() if kind == "key" else ""
        if self.retro is not None:  # the session is over: typing answers
            if kind == "key":
                self.retro.key(str(value))
            return not self.retro.done
        if kind == "change":
            self.session.banner = ""
            self.session.saved()
        elif key == "p":
            self.session.pause()
        elif key == "s":
            self.session.skip()
        elif key == "n":
            self.session.rotate()
        elif key in ("e", "q"):
            if not self.interactive:
                return False  # nobody at a keyboard: the prompts are left for the room
            self.retro = RetroPrompt()
            return True
        self.session.tick()
        return True

    def end(self) -> Path:
        """Ends the session with the answers given; returns RETRO.md."""
        went_well, to_change = self.retro.answers if self.retro else ([], [])
        return self.session.end(went_well, to_change)

    def _check(self) -> RunResult:
        result = self.check_workspace()
        self.tasks = {t.id: (t.passed, t.total) for t in result.tasks}
        return result
