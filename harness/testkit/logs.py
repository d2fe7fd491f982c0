"""Log lines of the learner's formatter, made in its process from a scenario the suite
writes (structured-logging).

A LogRecord cannot cross the boundary, and context bound with `contextvars` lives in the
thread or asyncio task that bound it: the records must be made where the learner's code
runs. A suite builds a scenario from the steps below (plain data), `learner_logs` runs it
in the learner's process (`harness.learner.logs`) with a logger whose handler formats each
record with the learner's formatter, and gets back one `LogLine` per record::

    lines = learner_logs(structured_logging,
        bind({"request_id": "r1"}, log("INFO", "inside", extra={"user": "ann"})),
        log("INFO", "after"))
    inside = json.loads(lines[0].text)

`threads(...)` and `tasks(...)` run branches side by side, and `sync()` makes them take
turns at fixed points: in threads a barrier of the branches, in tasks
`await asyncio.sleep(0)`, so that "task 0 binds, task 1 binds, task 0 logs" happens in
that order on every run, never by luck.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.testkit.process import is_mirror, probe

__all__ = ["LogLine", "ScenarioError", "learner_logs", "log", "bind", "catch", "fail", "sync",
           "threads", "tasks", "opaque", "describe"]


@dataclass(frozen=True)
class LogLine:
    """One record: where it was made ("main", "thread 1", "task 0"), its message as logging
    formats it, its `created` time, and what the learner's formatter returned (`text`), or
    what formatting raised (`error`, "TypeError: ...")."""

    where: str
    message: str
    created: float
    text: str | None
    error: str | None


class ScenarioError(AssertionError):
    """A step of the scenario raised in the learner's process (a bind that failed, an
    exception a bind swallowed): the message says which step, where, and what."""


def log(level: str, msg: str, *args: Any, extra: dict | None = None,
        exc: tuple[str, str] | None = None, logger: str = "app") -> list:
    """`logging.getLogger(logger).log(level, msg, *args, extra=extra)`; with `exc` =
    ("ValueError", "boom"), made inside `except` of that builtin exception, `exc_info=True`."""
    return ["log", level, msg, list(args), extra, list(exc) if exc else None, logger]


def bind(fields: dict, *steps: list) -> list:
    """`with bind(**fields): <steps>` (the binder `learner_logs` names)."""
    return ["bind", dict(fields), list(steps)]


def fail(text: str = "failed") -> list:
    """Raises an exception there (use inside `catch`)."""
    return ["raise", text]


def catch(*steps: list) -> list:
    """Runs steps that end in `fail()`: the exception must come out of them (through any
    binds it crosses), and is then caught."""
    return ["catch", list(steps)]


def sync() -> list:
    """A turn point: threads wait for each other here; a task yields to the others."""
    return ["sync"]


def threads(*branches: list[list]) -> list:
    """Each branch (a list of steps) in a thread of its own, started together."""
    return ["threads", [list(b) for b in branches]]


def tasks(*branches: list[list]) -> list:
    """Each branch (a list of steps) in an asyncio task, gathered on one event loop."""
    return ["tasks", [list(b) for b in branches]]


def opaque(shown: str, text: str | None = None) -> tuple:
    """A value made in the learner's process that json cannot serialise: `repr` gives
    `shown`, `str` gives `text` (default: a different text), so a suite can tell which the
    formatter used."""
    return ("__kata_opaque__", shown, text if text is not None else f"str of {shown}")


def learner_logs(module: Any, *steps: list, formatter: str = "JsonFormatter",
                 binder: str = "bind", timezone: str | None = None,
                 process: Any = None) -> list[LogLine]:
    """Runs the steps in the learner's process with `module.<formatter>()` on the handler and
    `module.<binder>` as `bind`; returns the lines in the order the records were made (a
    module that is not a mirror, in a learner's plain pytest run, runs here). With
    `timezone` (a POSIX TZ such as "KATA-3", three hours east of UTC), the process's local
    time zone is that during the scenario: a formatter that writes local time shows it.
    Raises ScenarioError when a step raised there."""
    name = module if isinstance(module, str) else module.__name__
    plain = [list(s) for s in steps]
    if isinstance(module, str) or is_mirror(module):
        entries = probe("log_lines", name, plain, formatter, binder, timezone, process=process)
    else:  # the module itself, here (a learner's plain pytest run of the visible tests)
        from harness.learner import logs

        entries = logs.run(name, plain, formatter, binder, timezone)
    lines = []
    for entry in entries:
        if entry["kind"] == "error":
            raise ScenarioError(f"in {entry['where']}, the scenario raised {entry['error']}; "
                                f"the steps:\n{describe(steps)}")
        lines.append(LogLine(where=entry["where"], message=entry["message"],
                             created=float(entry["created"]), text=entry["text"],
                             error=entry["error"]))
    return lines


def describe(steps: Any, indent: str = "") -> str:
    """The steps as the Python they stand for, for a failure message."""
    lines: list[str] = []
    for step in steps:
        op = step[0]
        if op == "log":
            _, level, msg, args, extra, exc, name = step
            call = ", ".join([repr(msg), *map(repr, args)]
                             + ([f"extra={_plain(extra)!r}"] if extra is not None else []))
            note = f"  # while handling {exc[0]}({exc[1]!r})" if exc else ""
            if exc:
                call += ", exc_info=True"
            lines.append(f"{indent}logging.getLogger({name!r}).{str(level).lower()}({call})"
                         f"{note}")
        elif op == "bind":
            fields = ", ".join(f"{k}={_plain(v)!r}" for k, v in step[1].items())
            lines.append(f"{indent}with bind({fields}):")
            lines.append(describe(step[2], indent + "    ") or f"{indent}    pass")
        elif op == "raise":
            lines.append(f"{indent}raise RuntimeError({step[1]!r})")
        elif op == "catch":
            lines.append(f"{indent}try:")
            lines.append(describe(step[1], indent + "    "))
            lines.append(f"{indent}except RuntimeError: pass")
        elif op == "sync":
            lines.append(f"{indent}<the others take their turn>")
        else:  # threads, tasks
            for index, branch in enumerate(step[1]):
                lines.append(f"{indent}# in {op[:-1]} {index}:")
                lines.append(describe(branch, indent + "    "))
    return "\n".join(lines)


class _Shown:
    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _plain(data: Any) -> Any:
    if type(data) is tuple and len(data) == 3 and data[0] == "__kata_opaque__":
        return _Shown(str(data[1]))
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data
