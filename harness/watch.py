"""`kata watch`: re-checks the workspace on every save and shows what to do next.

The loop is fed events, ("change", paths), ("key", char) or ("tick", None), from a file
watcher and the keyboard, both in threads. A check runs in a thread of its own, one at a
time: while it runs the screen says so and keys still work, and a save cancels it (its
processes are killed, its result dropped) and starts a new one, so a submission that hangs
never holds the learner's next save back until its timeout.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from harness import terminal
from harness.catalog import Kata
from harness.grading import first_unfinished
from harness.result import RunResult, Status

CLEAR = "\x1b[2J\x1b[H"
_IGNORED_PARTS = {".kata", "__pycache__", ".git", ".pytest_cache"}


@dataclass
class _Running:
    """A check in its thread: `outcome` gets its RunResult, or the exception it raised."""

    number: int
    started: str
    outcome: queue.Queue = field(default_factory=lambda: queue.Queue(maxsize=1))
    thread: threading.Thread | None = None


class WatchLoop:
    """Runs checks on changes and draws the screen; keys ask for hints, compare, quit.

    `check` runs in a thread; `cancel` stops whatever check is running (its processes);
    `record` keeps a check that ran to its end (a cancelled one is never recorded)."""

    def __init__(self, kata: Kata, check: Callable[[], RunResult],
                 hint: Callable[[], str], write: Callable[[str], None], *,
                 compare: Callable[[], str] | None = None, colour: bool = False,
                 clear: bool = True, cancel: Callable[[], object] | None = None,
                 record: Callable[[RunResult], None] | None = None) -> None:
        self.kata = kata
        self.check = check
        self.hint = hint
        self.compare = compare
        self.write = write
        self.colour = colour
        self.clear = clear
        self.cancel = cancel
        self.record = record
        self.runs = 0
        self.cancelled = 0
        self.last: RunResult | None = None
        self.running: _Running | None = None
        self.note = ""

    @property
    def idle(self) -> bool:
        """No check is running, or the one running has its outcome ready to collect."""
        return self.running is None or not self.running.outcome.empty()

    def run(self, events: Iterator[tuple[str, object]]) -> None:
        """Checks once, then handles events until `q` (or the events end, after which the
        check still running is waited for)."""
        self.refresh()
        try:
            for kind, value in events:
                self.collect()
                if kind == "change":
                    self.refresh()
                elif kind == "key" and not self.key(str(value)):
                    return
            if self.running is not None and self.running.thread is not None:
                self.running.thread.join()
                self.collect()
        finally:
            self.stop()

    def key(self, key: str) -> bool:
        """Handles one key press; returns False to stop."""
        key = key.lower()
        if key == "q":
            self.write("\nBye. Your progress is saved; kata watch picks up where you left.\n")
            return False
        if key == "h":
            self.note = self.hint()  # the next hint of the task the learner is on, or why none
            self.draw()
        elif key == "c" and self.compare is not None and self.last and self.last.passed \
                and self.running is None:
            self.write(self.compare() + "\n")
        return True

    def refresh(self) -> None:
        """Starts a check, cancelling the one still running (a newer save makes it moot)."""
        if self.running is not None:
            self.stop()
            self.cancelled += 1
            self.note = (f"Check #{self.runs} was cancelled: you saved again before it "
                         "ended.")
        else:
            self.note = ""
        self.runs += 1
        running = _Running(self.runs, time.strftime("%H:%M:%S"))
        running.thread = threading.Thread(target=self._work, args=(running,), daemon=True,
                                          name=f"kata-watch-check-{self.runs}")
        self.running = running
        running.thread.start()
        self.draw()

    def _work(self, running: _Running) -> None:
        try:
            running.outcome.put(self.check())
        except BaseException as exc:  # handed to the loop's thread, raised there
            running.outcome.put(exc)

    def collect(self) -> None:
        """Takes the running check's result if it has ended, records it and redraws."""
        running = self.running
        if running is None or running.outcome.empty():
            return
        self.running = None
        outcome = running.outcome.get()
        if isinstance(outcome, BaseException):
            raise outcome
        self.last = outcome
        if self.record is not None:
            self.record(outcome)
        self.draw()

    def stop(self) -> None:
        """Cancels the running check, if any, and waits for its thread to end."""
        running, self.running = self.running, None
        if running is None or running.thread is None:
            return
        if running.outcome.empty() and self.cancel is not None:
            self.cancel()
        running.thread.join()

    def draw(self) -> None:
        self.write(self.screen())

    def screen(self) -> str:
        result = self.last
        if self.running is not None:
            head = (f"kata watch · {self.kata.slug} · check #{self.running.number} running "
                    f"since {self.running.started}")
        else:
            head = (f"kata watch · {self.kata.slug} · check #{self.runs} at "
                    f"{time.strftime('%H:%M:%S')}")
        lines = [CLEAR if self.clear else "", terminal.paint(head, "cyan", self.colour), ""]
        if self.running is not None:
            lines += [terminal.paint("Checking your code... (save again to cancel this check "
                                    "and start over)", "yellow", self.colour), ""]
            if result is not None:
                lines.append(terminal.paint("The last check that ended:", "dim", self.colour))
        if result is None:
            if self.note:
                lines += [self.note, ""]
            lines += [terminal.paint("[h] hint  [q] quit", "dim", self.colour), ""]
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
        if result.passed and self.compare is not None and self.running is None:
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
