"""Hints, one task at a time: `kata hint` and watch's [h] give the next hint of the first
task the last check did not pass, so a later task's hints never give it away early."""

from __future__ import annotations

from dataclasses import dataclass

from harness.catalog import Kata, Task
from harness.errors import UsageError
from harness.workspace import Workspace


@dataclass(frozen=True)
class Answer:
    """What one ask for a hint gave: a new hint (`number` > 0), or none because the task's
    hints are all out (`shown` lists them), or no task left to help with (`task` None)."""

    task: Task | None
    number: int = 0
    text: str = ""
    shown: tuple[str, ...] = ()

    def title(self) -> str:
        return f"task {self.task.id}, {self.task.title}" if self.task else ""


def next_hint(ws: Workspace, kata: Kata, task_id: int | None = None) -> Answer:
    """Reveals the next hint of task `task_id`, by default of the first unfinished task."""
    if task_id is None:
        task = ws.first_unfinished(kata)
        if task is None:
            return Answer(None)
    else:
        task = next((t for t in kata.tasks if t.id == task_id), None)
        if task is None:
            raise UsageError(f"{kata.slug} has tasks 1 to {len(kata.tasks)}, not {task_id}")
    revealed = ws.reveal_hint(kata, task)
    if revealed is None:
        return Answer(task, shown=tuple(ws.revealed_hints(kata, task)))
    return Answer(task, number=revealed[0], text=revealed[1])


def report(answer: Answer) -> str:
    """The answer as `kata hint` prints it."""
    task = answer.task
    if task is None:
        return ("Your last check passed every task: no hint is needed. To read a task's "
                "hints again: kata hint --task N")
    if answer.number:
        lines = [f"Hint {answer.number} of {len(task.hints)} for {answer.title()}: "
                 f"{answer.text}"]
        if answer.number < len(task.hints):
            lines.append("(run kata hint again for the next one)")
        return "\n".join(lines)
    if not task.hints:
        return _no_hints(task)
    one = len(task.hints) == 1
    lines = [("The one hint" if one else f"All {len(task.hints)} hints")
             + f" for {answer.title()} {'is' if one else 'are'} out already:"]
    lines += [f"  {number}. {text}" for number, text in enumerate(answer.shown, start=1)]
    lines.append(_stuck(task))
    return "\n".join(lines)


def note(answer: Answer) -> str:
    """The answer in one line, as watch shows it under the report."""
    task = answer.task
    if task is None:
        return "Every task passes: no hint is needed."
    if answer.number:
        return f"Hint {answer.number} of {len(task.hints)} for {answer.title()}: {answer.text}"
    if not task.hints:
        return _no_hints(task)
    count = len(task.hints)
    out = "its one hint is" if count == 1 else f"all {count} are"
    return f"No more hints for {answer.title()}: {out} out (kata hint lists them). {_stuck(task)}"


def _no_hints(task: Task) -> str:
    return f"Task {task.id}, {task.title} has no hints (its kata.toml lists none)."


def _stuck(task: Task) -> str:
    return (f"Read the first failure of kata check again and compare it with task "
            f"{task.id}'s examples (kata examples {task.id}); the next task's hints come "
            f"once task {task.id} passes.")
