"""Log lines made in the learner's process: a scripted scenario of log calls, run through the
learner's formatter and context binder (`harness.testing.learner_logs`).

A `logging.LogRecord` does not cross the boundary, and a context variable only means
something in the process, thread and task that set it, so a suite cannot make the records
itself. It sends a scenario as plain data instead; this module runs it here, with a logger
whose one handler formats each record with the learner's formatter, and returns each line
as text beside what is known of its record (its message and `created` time).

Steps (lists; `harness.testkit.logs` builds them):
  ["log", level, msg, args, extra, exc, logger]  logger.log(level, msg, *args, extra=extra);
      with `exc` = [class name, text], inside `except` of that builtin exception, exc_info=True
  ["bind", fields, steps]   `with binder(**fields): <steps>`
  ["catch", steps]          runs steps that end in a ["raise", text]; the exception must come
                            out of them (a binder that swallows it is an error)
  ["raise", text]           raises `Raised(text)`
  ["sync"]                  in a thread: waits for the other threads of its group; in a task:
                            `await asyncio.sleep(0)`; elsewhere: nothing
  ["threads", branches]     each branch's steps in a thread of its own, all started together
  ["tasks", branches]       each branch's steps in an asyncio task of one event loop
Values in `extra` may hold ["__kata_opaque__", repr, str] tuples: an object made here whose
repr and str are those texts (a value json cannot serialise). Imports only the standard
library.
"""

from __future__ import annotations

import asyncio
import builtins
import logging
import os
import sys
import threading
import time
from typing import Any

__all__ = ["run"]

OPAQUE = "__kata_opaque__"
BARRIER_SECONDS = 10.0


class Raised(RuntimeError):
    """The exception a ["raise"] step raises (and a ["catch"] step expects): a RuntimeError,
    as the described scenario says."""


class Opaque:
    """A value json cannot serialise, with the repr and str a suite chose."""

    def __init__(self, shown: str, text: str) -> None:
        self._shown, self._text = shown, text

    def __repr__(self) -> str:
        return self._shown

    def __str__(self) -> str:
        return self._text


def value(data: Any) -> Any:
    """The scenario's value with its opaque markers made into objects."""
    if type(data) is tuple and len(data) == 3 and data[0] == OPAQUE:
        return Opaque(str(data[1]), str(data[2]))
    if type(data) is dict:
        return {value(k): value(v) for k, v in data.items()}
    if type(data) is list:
        return [value(item) for item in data]
    if type(data) is tuple:
        return tuple(value(item) for item in data)
    return data


class _Collect(logging.Handler):
    """Keeps each record's line (or what formatting it raised) with what is known of it."""

    def __init__(self, scenario: Scenario) -> None:
        super().__init__(logging.DEBUG)
        self.scenario = scenario

    def emit(self, record: logging.LogRecord) -> None:
        entry: dict[str, Any] = {"kind": "line", "where": self.scenario.where(),
                                 "message": record.getMessage(), "created": record.created,
                                 "text": None, "error": None}
        try:
            text = self.format(record)
            if type(text) is str:
                entry["text"] = text
            else:
                entry["error"] = f"format() returned {type(text).__name__}, not str"
        except Exception as exc:  # the learner's formatter failed: the line says so
            entry["error"] = f"{type(exc).__name__}: {exc}"
        self.scenario.add(entry)

    def handleError(self, record: logging.LogRecord) -> None:  # pragma: no cover
        pass  # emit() catches what formatting raises; nothing is printed


class Scenario:
    """One run of a scenario: the learner's formatter and binder, the entries so far."""

    def __init__(self, module: Any, formatter: str, binder: str) -> None:
        self.binder = getattr(module, binder)
        self.handler = _Collect(self)
        self.handler.setFormatter(getattr(module, formatter)())
        self.loggers: dict[str, logging.Logger] = {}
        self.entries: list[dict] = []
        self._lock = threading.Lock()
        self._local = threading.local()

    def where(self) -> str:
        return getattr(self._local, "where", "main")

    def add(self, entry: dict) -> None:
        with self._lock:
            self.entries.append(entry)

    def failed(self, where: str, step: Any, exc: BaseException) -> None:
        self.add({"kind": "error", "where": where, "message": str(step),
                  "error": f"{type(exc).__name__}: {exc}", "created": time.time(),
                  "text": None})

    def logger(self, name: str) -> logging.Logger:
        with self._lock:
            if name not in self.loggers:
                made = logging.Logger(name)  # not registered: no global state is touched
                made.setLevel(logging.DEBUG)
                made.propagate = False
                made.addHandler(self.handler)
                self.loggers[name] = made
            return self.loggers[name]

    def log(self, where: str, step: list) -> None:
        _, level, msg, args, extra, exc, name = step
        logger = self.logger(name)
        number = logging.getLevelName(level) if isinstance(level, str) else level
        self._local.where = where
        if exc is None:
            logger.log(number, msg, *value(args), extra=value(extra))
            return
        kind = getattr(builtins, exc[0])
        if not (isinstance(kind, type) and issubclass(kind, Exception)):
            raise ValueError(f"{exc[0]!r} is not a builtin exception")
        try:
            _raise(kind, exc[1])
        except Exception:
            logger.log(number, msg, *value(args), extra=value(extra), exc_info=True)

    # -- plain steps, in a thread -------------------------------------------------------------

    def run(self, steps: list, where: str = "main", sync: Any = None) -> None:
        for step in steps:
            self.step(step, where, sync)

    def step(self, step: list, where: str, sync: Any) -> None:
        op = step[0]
        if op == "log":
            self.log(where, step)
        elif op == "bind":
            with self.binder(**step[1]):
                self.run(step[2], where, sync)
        elif op == "raise":
            raise Raised(step[1])
        elif op == "catch":
            try:
                self.run(step[1], where, sync)
            except Raised:
                return
            raise AssertionError(f"the exception raised inside {_short(step[1])} did not "
                                 f"come out of it")
        elif op == "sync":
            if sync is not None:
                sync()
        elif op == "threads":
            self.threads(step[1], where)
        elif op == "tasks":
            asyncio.run(self.tasks(step[1], where))
        else:
            raise ValueError(f"unknown step {op!r}")

    def threads(self, branches: list, where: str) -> None:
        barrier = threading.Barrier(len(branches), timeout=BARRIER_SECONDS)

        def branch(index: int) -> None:
            name = f"{where}/thread {index}" if where != "main" else f"thread {index}"
            try:
                self.run(branches[index], name, barrier.wait)
            except BaseException as exc:  # said to the suite as an entry
                self.failed(name, branches[index], exc)  # before the others' broken barrier
                barrier.abort()  # the others must not wait for this one

        workers = [threading.Thread(target=branch, args=(i,), daemon=True,
                                    name=f"kata-logs-{i}") for i in range(len(branches))]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    # -- asyncio tasks ------------------------------------------------------------------------

    async def tasks(self, branches: list, where: str) -> None:
        async def branch(index: int) -> None:
            name = f"{where}/task {index}" if where != "main" else f"task {index}"
            try:
                await self.arun(branches[index], name)
            except BaseException as exc:  # said to the suite as an entry
                self.failed(name, branches[index], exc)

        await asyncio.gather(*(branch(i) for i in range(len(branches))))

    async def arun(self, steps: list, where: str) -> None:
        for step in steps:
            op = step[0]
            if op == "sync":
                await asyncio.sleep(0)
            elif op == "bind":
                with self.binder(**step[1]):
                    await self.arun(step[2], where)
            elif op == "catch":
                try:
                    await self.arun(step[1], where)
                except Raised:
                    continue
                raise AssertionError(f"the exception raised inside {_short(step[1])} did "
                                     f"not come out of it")
            elif op in ("log", "raise"):
                self.step(step, where, None)
            else:
                raise ValueError(f"step {op!r} cannot run in an asyncio task")


def _raise(kind: type, text: str) -> None:
    raise kind(text)


def _short(steps: Any) -> str:
    text = repr(steps)
    return text if len(text) <= 120 else text[:117] + "..."


def run(module_name: str, steps: list, formatter: str = "JsonFormatter", binder: str = "bind",
        timezone: str | None = None) -> list[dict]:
    """Runs `steps` with the learner's module `module_name`, in a new thread: each record's
    entry, in the order they were made (an entry of kind "error" for a step that raised)."""
    module = sys.modules[module_name]
    before = os.environ.get("TZ")
    if timezone is not None:
        os.environ["TZ"] = timezone
        time.tzset()
    try:
        scenario = Scenario(module, formatter, binder)

        def main() -> None:
            try:
                scenario.run(steps)
            except BaseException as exc:  # said to the suite as an entry
                scenario.failed("main", steps, exc)

        # a thread of its own: it starts with an empty context and fresh thread-locals, so
        # what an earlier scenario left behind in this (serving) thread cannot show here
        worker = threading.Thread(target=main, daemon=True, name="kata-logs-main")
        worker.start()
        worker.join()
        return scenario.entries
    finally:
        if timezone is not None:
            if before is None:
                os.environ.pop("TZ", None)
            else:
                os.environ["TZ"] = before
            time.tzset()
