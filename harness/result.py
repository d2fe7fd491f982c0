"""The result of one run as data: every report format is a function of these objects."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

RESULT_VERSION = 1


def valid_text(value: str) -> str:
    """Text that encodes as UTF-8, as every report must: a lone surrogate (an undecodable
    byte of a file name, a learner's exception) becomes its escape, `\\udce9`."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


class Status(str, enum.Enum):
    """The verdict of a test or of a whole run."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"  # a test: broke in setup; a run: no test could run
    SKIP = "skip"


#: how the message of a test that never reached its own verdict begins (the run was stopped
#: for time, or its process ended first)
UNFINISHED = "did not finish"


@dataclass
class TestResult:
    """One test's outcome as the child reported it, plus the score grading gave it."""

    __test__ = False  # not a pytest test class

    id: str
    name: str
    task: int | None
    status: Status
    function: str = ""
    duration: float = 0.0
    message: str = ""
    output: str = ""
    score: float = 0.0
    max_score: float = 0.0

    @property
    def finished(self) -> bool:
        """Whether the test ran to a verdict of its own (not stopped with the run)."""
        return not self.message.startswith(UNFINISHED)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "id": self.id,
            "task": self.task,
            "status": self.status.value,
            "score": round(self.score, 4),
            "max_score": round(self.max_score, 4),
            "duration": round(self.duration, 4),
            "message": self.message,
            "output": self.output,
        }


@dataclass
class TaskResult:
    """How many of a task's tests passed."""

    id: int
    title: str
    passed: int
    total: int

    @property
    def done(self) -> bool:
        return self.total > 0 and self.passed == self.total

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "passed": self.passed, "total": self.total}


@dataclass
class RunResult:
    """Everything one run of a suite against one submission produced."""

    kata: str
    submission: str
    status: Status
    tests: list[TestResult] = field(default_factory=list)
    tasks: list[TaskResult] = field(default_factory=list)
    score: float = 0.0
    max_score: float = 0.0
    duration: float = 0.0
    message: str = ""
    #: the submission ran out of time: the whole run was stopped, or a test was
    timed_out: bool = False
    python: str = ""
    integrity: list[str] = field(default_factory=list)
    #: per learner file, what the suite never ran (only when coverage was asked for)
    coverage: dict[str, Any] | None = None
    #: what the learner could do next (`kata check` shows it); never in a report
    advice: str = ""

    @property
    def outcome(self) -> str:
        """The status in words for an instructor: `timed out` when the submission ran out
        of time (the whole run, or a test), else the status."""
        return "timed out" if self.timed_out else self.status.value

    @property
    def passed(self) -> bool:
        return self.status is Status.PASS

    def failures(self) -> list[TestResult]:
        return [t for t in self.tests if t.status in (Status.FAIL, Status.ERROR)]

    @property
    def tasks_passed(self) -> int:
        return sum(1 for task in self.tasks if task.done)

    @property
    def counted(self) -> list[TestResult]:
        """The tests that count: every one but the skipped (they neither earn nor lose)."""
        return [t for t in self.tests if t.status is not Status.SKIP]

    @property
    def tests_passed(self) -> int:
        return sum(1 for test in self.counted if test.status is Status.PASS)

    @property
    def tests_total(self) -> int:
        return len(self.counted)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": RESULT_VERSION,
            "kata": self.kata,
            "submission": self.submission,
            "status": self.status.value,
            "score": round(self.score, 4),
            "max_score": round(self.max_score, 4),
            "tasks": [t.to_dict() for t in self.tasks],
            "tests": [t.to_dict() for t in self.tests],
            "duration": round(self.duration, 4),
            "harness": {"python": self.python, "timed_out": self.timed_out},
        }
        if self.message:
            data["message"] = self.message
        if self.outcome != self.status.value:
            data["outcome"] = self.outcome
        return data


def result_from_dict(data: dict[str, Any]) -> RunResult:
    """Reads back a result written by `RunResult.to_dict` (to merge shards of a batch)."""
    if data.get("version") != RESULT_VERSION:
        raise ValueError(f"result version {data.get('version')!r} is not {RESULT_VERSION}")
    harness = data.get("harness", {})
    return RunResult(
        kata=data["kata"], submission=data["submission"], status=Status(data["status"]),
        tests=[TestResult(id=t.get("id", t["name"]), name=t["name"], task=t.get("task"),
                          status=Status(t["status"]), duration=t.get("duration", 0.0),
                          message=t.get("message", ""), output=t.get("output", ""),
                          score=t.get("score", 0.0), max_score=t.get("max_score", 0.0))
               for t in data.get("tests", [])],
        tasks=[TaskResult(id=t["id"], title=t["title"], passed=t["passed"], total=t["total"])
               for t in data.get("tasks", [])],
        score=data.get("score", 0.0), max_score=data.get("max_score", 0.0),
        duration=data.get("duration", 0.0), message=data.get("message", ""),
        timed_out=harness.get("timed_out", False), python=harness.get("python", ""),
    )
