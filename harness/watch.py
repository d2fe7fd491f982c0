"""`kata watch`: re-checks the workspace on every save and shows what to do next.

The loop is fed events, ("change", paths) or ("key", char), from a file watcher and
the keyboard, both in threads; checks run one at a time in the loop's own thread,
so a save during a run queues one more run, never a parallel one.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from harness import terminal
from harness.catalog import Kata
from harness.grading import first_unfinished
from harness.result import RunResult, Status

CLEAR = "\x1b[2J\x1b[H"
_IGNORED_PARTS = {".kata", "__pycache__", ".git", ".pytest_cache"}


class WatchLoop:
    """Runs checks on changes and draws the screen; keys ask for hints, compare, quit."""

    def __init__(self, kata: Kata, check: Callable[[], RunResult],
                 hint: Callable[[], str | None], write: Callable[[str], None], *,
                 compare: Callable[[], str] | None = None, colour: bool = False,
                 clear: bool = True) -> None:
        self.kata = kata
        self.check = check
        self.hint = hint
        self.compare = compare
        self.write = write
        self.colour = colour
        self.clear = clear
        self.runs = 0
        self.last: RunResult | None = None
        self.note = ""

    def run(self, events: Iterator[tuple[str, object]]) -> None:
        """Checks once, then handles events until `q` (or the events end)."""
        self.refresh()
        for kind, value in events:
            if kind == "change":
                self.refresh()
            elif kind == "key" and not self.key(str(value)):
                return

    def key(self, key: str) -> bool:
        """Handles one key press; returns False to stop."""
        key = key.lower()
        if key == "q":
            self.write("\nBye. Your progress is saved; kata watch picks up where you left.\n")
            return False
        if key == "h":
            text = self.hint()
            self.note = f"Hint: {text}" if text else "No more hints: every one is out already."
            self.draw()
        elif key == "c" and self.compare is not None and self.last and self.last.passed:
            self.write(self.compare() + "\n")
        return True

    def refresh(self) -> None:
        self.runs += 1
        self.note = ""
        self.last = self.check()
        self.draw()

    def draw(self) -> None:
        self.write(self.screen())

    def screen(self) -> str:
        result = self.last
        head = (f"kata watch · {self.kata.slug} · check #{self.runs} at "
                f"{time.strftime('%H:%M:%S')}")
        lines = [CLEAR if self.clear else "", terminal.paint(head, "cyan", self.colour), ""]
        if result is None:
            return "\n".join(lines)
        if result.status is Status.ERROR:
            lines += _panel("Your code could not be tested (fix it and save again)",
                            result.message)
        else:
            lines.append(terminal.check_report(result, self.kata, colour=self.colour))
        current = first_unfinished(result)
        if current is not None and result.status is not Status.ERROR:
            lines.insert(2, f"Now: task {current.id}/{len(self.kata.tasks)}, {current.title}")
        if self.note:
            lines += ["", self.note]
        keys = "[h] hint  [q] quit"
        if result.passed and self.compare is not None:
            keys = "[c] compare with the reference  " + keys
        lines += ["", terminal.paint(f"Save a file to check again · {keys}", "dim", self.colour),
                  ""]
        return "\n".join(lines)


def _panel(title: str, body: str) -> list[str]:
    """A boxed message: stands out from a normal report without colour."""
    rows = [title, "", *body.splitlines()]
    width = min(max(len(r) for r in rows), 100)
    edge = "─" * (width + 2)
    return [f"┌{edge}┐", *(f"│ {r[:width].ljust(width)} │" for r in rows), f"└{edge}┘"]


def relevant(path: str, root: Path) -> bool:
    """Whether a changed path is the learner's work (not the harness's own state)."""
    try:
        parts = Path(path).resolve().relative_to(root).parts
    except ValueError:
        return False
    return not (set(parts) & _IGNORED_PARTS)


def events(root: Path, stop: threading.Event, keys: bool = True,
           ticks: bool = False) -> Iterator[tuple[str, object]]:
    """Merges file changes under `root` and key presses into one stream of events; with
    `ticks`, a ("tick", None) whenever a fifth of a second passes without one."""
    inbox: queue.Queue = queue.Queue()
    threading.Thread(target=_watch_files, args=(root, stop, inbox), daemon=True).start()
    if keys:
        threading.Thread(target=_read_keys, args=(inbox, stop), daemon=True).start()
    while not stop.is_set():
        try:
            kind, value = inbox.get(timeout=0.2)
        except queue.Empty:
            if ticks:
                yield "tick", None
            continue
        if kind == "change":  # saves that arrived during a run make one more run, not many
            while True:
                try:
                    extra = inbox.get_nowait()
                except queue.Empty:
                    break
                if extra[0] != "change":
                    inbox.put(extra)
                    break
        yield kind, value


def _watch_files(root: Path, stop: threading.Event, inbox: queue.Queue) -> None:
    import watchfiles

    for changes in watchfiles.watch(root, stop_event=stop, debounce=300, step=50,
                                    raise_interrupt=False):
        paths = [p for _change, p in changes if relevant(p, root)]
        if paths:
            inbox.put(("change", paths))


def _read_keys(inbox: queue.Queue, stop: threading.Event) -> None:
    while not stop.is_set():
        char = sys.stdin.read(1)
        if not char:
            inbox.put(("key", "q"))  # end of input: nobody is there to press keys
            return
        inbox.put(("key", char))  # spaces and Enter too: the randori's retro types lines


@contextmanager
def keyboard() -> Iterator[None]:
    """Puts a terminal in cbreak mode (keys without Enter) for the duration."""
    if not sys.stdin.isatty() or os.name != "posix":
        yield
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
