"""What travels between `kata grade --broker` and `kata worker`, and the checks of it.

A task is one submission of one batch, as JSON: the batch id, its place in the class, the
kata by slug and identity (the content hash of its folder), and the submission's files
themselves (base64), so a worker needs no shared disk. A reply is the graded result, or
a refusal saying why the worker would not grade. Nothing here trusts what it reads: a
task's paths are checked before anything is written, and a reply is checked against the
batch (id, place, name, kata, scores) before it goes into a report.

The Redis keys of a batch live here too: the replies (a list the submitter pops), the
deliveries of each task (to stop a poison submission), the places graded (so a task
delivered twice is graded once) and whether the submitter has gone.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import intake, runner
from harness.catalog import Kata
from harness.result import RunResult, Status, result_from_dict, valid_text

TASK_NAME = "kata.grade"
VERSION = 1
DEFAULT_QUEUE = "kata"
#: how long a batch's keys stay in Redis after their last write (seconds)
KEY_TTL = 2 * 24 * 3600
#: deliveries of one task before it is given up as poison and graded `error`
MAX_DELIVERIES = 3


def keys(batch: str) -> dict[str, str]:
    """The Redis keys of one batch."""
    base = f"kata:queue:{batch}"
    return {"replies": f"{base}:replies", "deliveries": f"{base}:deliveries",
            "done": f"{base}:done", "closed": f"{base}:closed"}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def submission_message(submission: runner.Submission) -> dict[str, Any]:
    """A submission as a task carries it: its files read here, with the checks and limits
    of a local run's copy (a refusal travels as the submission's problem, in the words a
    local run would use)."""
    message: dict[str, Any] = {"name": submission.name}
    try:
        if submission.problem:
            message["problem"] = submission.problem
        elif submission.directory is not None:
            packed = intake.pack(submission.directory)
            message["folder"] = {"folders": packed.folders, "links": packed.links,
                                 "files": {n: _b64(d) for n, d in packed.files.items()}}
        else:
            files = {}
            for name, source in sorted(submission.files.items()):
                intake.copy_file(source, None)  # refuses as a local run's copy would
                files[name] = _b64(intake.read_file(source))
            message["files"] = files
    except intake.Refused as refused:
        message = {"name": submission.name, "problem": valid_text(str(refused))}
    return message


def task(batch: str, index: int, kata: Kata, identity: str, db: str | None,
         submission: dict[str, Any]) -> dict[str, Any]:
    return {"version": VERSION, "batch": batch, "index": index, "kata": kata.slug,
            "identity": identity, "db": db, "submission": submission}


class BadTask(Exception):
    """A task this worker cannot read (another version of the harness, or not ours)."""


@dataclass(frozen=True)
class Task:
    batch: str
    index: int
    kata: str
    identity: str
    db: str | None
    submission: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.submission.get("name", f"#{self.index}"))


def read_task(data: object) -> Task:
    if not isinstance(data, dict) or data.get("version") != VERSION:
        version = data.get("version") if isinstance(data, dict) else None
        raise BadTask(f"the task is of wire version {version!r}, this worker reads {VERSION}: "
                      "run the same version of the harness on both sides")
    try:
        found = Task(batch=str(data["batch"]), index=int(data["index"]), kata=str(data["kata"]),
                     identity=str(data["identity"]),
                     db=None if data.get("db") is None else str(data["db"]),
                     submission=dict(data["submission"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise BadTask(f"the task is damaged ({type(exc).__name__}: {exc})") from None
    if not found.batch.isalnum() or not isinstance(found.submission.get("name"), str):
        raise BadTask("the task is damaged (its batch id or submission name)")
    return found


def materialise(message: dict[str, Any], folder: Path) -> runner.Submission:
    """The submission a task carries, written under `folder` (which must not exist), as a
    local run would have found it: a folder, or named files."""
    name = valid_text(str(message["name"]))
    if "problem" in message:
        return runner.Submission(name=name, problem=valid_text(str(message["problem"])))
    try:
        folder.mkdir(parents=True)
        if "folder" in message:
            sent = message["folder"]
            packed = intake.Packed(
                folders=[str(f) for f in sent.get("folders", [])],
                files={str(n): base64.b64decode(d, validate=True)
                       for n, d in sent.get("files", {}).items()},
                links={str(n): str(t) for n, t in sent.get("links", {}).items()})
            intake.unpack(packed, folder / "submission")
            return runner.Submission(name=name, directory=folder / "submission")
        files = {}
        for file_name, data in message.get("files", {}).items():
            if not isinstance(file_name, str) or "/" in file_name or file_name in ("", ".", ".."):
                raise intake.Refused(f"{file_name!r} is not a file name")
            path = folder / "files" / file_name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(base64.b64decode(data, validate=True))
            files[file_name] = path
        return runner.Submission(name=name, files=files)
    except (intake.Refused, binascii.Error, AttributeError, TypeError, ValueError,
            OSError) as exc:
        return runner.Submission(name=name, problem=valid_text(
            f"the submission arrived damaged and was not graded ({exc})"))


def reply(task: Task, worker: str, delivery: int, result: RunResult | None = None,
          refused: str = "") -> str:
    """A worker's answer to a task: the graded result, or why it would not grade."""
    data: dict[str, Any] = {"version": VERSION, "batch": task.batch, "index": task.index,
                            "submission": task.name, "worker": worker, "delivery": delivery}
    if result is not None:
        data["result"] = result.to_dict()
    else:
        data["refused"] = refused
    return json.dumps(data, ensure_ascii=False)


class BadReply(Exception):
    """A reply that cannot go into a report: the message says what is wrong with it, and
    `index` is the submission it was for, when it names one of the batch."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


@dataclass(frozen=True)
class Reply:
    index: int
    worker: str
    result: RunResult | None  # None: refused
    refused: str = ""


def read_reply(raw: bytes | str, batch: str, names: list[str], kata: Kata) -> Reply:
    """Checks a reply against the batch before it goes into a report: its batch and place,
    the submission's name, and a result of the result object's schema for this kata (its
    points, its tasks, scores that add up)."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadReply(f"a reply is not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise BadReply("a reply is of another wire version: run one version of the harness "
                       "on every worker and here")
    if data.get("batch") != batch:
        raise BadReply(f"a reply of another batch ({data.get('batch')!r}) came back")
    index = data.get("index")
    if not isinstance(index, int) or not 0 <= index < len(names):
        raise BadReply(f"a reply names no submission of this batch (place {index!r})")
    name = names[index]
    if data.get("submission") != name:
        raise BadReply(f"the reply for {name} names {data.get('submission')!r}", index)
    worker = str(data.get("worker", "?"))
    if "result" not in data:
        return Reply(index, worker, None, valid_text(str(data.get("refused") or "refused")))
    problem = result_problem(data["result"], name, kata)
    if problem:
        raise BadReply(f"the result for {name} from {worker} is not a valid result: {problem}",
                       index)
    return Reply(index, worker, result_from_dict(data["result"]))


def result_problem(data: object, name: str, kata: Kata) -> str:
    """What is wrong with a result object sent for submission `name` of `kata` ('' if
    nothing)."""
    if not isinstance(data, dict):
        return "it is not an object"
    try:
        result = result_from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    checks = [
        (result.kata == kata.slug, f"it grades {result.kata!r}, not {kata.slug!r}"),
        (result.submission == name, f"it names {result.submission!r}"),
        (abs(result.max_score - kata.points) < 1e-6,
         f"its max_score {result.max_score!r} is not the kata's {kata.points:g}"),
        ([t.id for t in result.tasks] == [t.id for t in kata.tasks],
         "its tasks are not the kata's"),
        (all(isinstance(v, (int, float)) for v in
             [result.score, result.duration, *(t.score for t in result.tests)]),
         "a score or duration is not a number"),
        (result.status is Status.ERROR or abs(sum(t.score for t in result.tests)
                                               - result.score) < 0.01,
         "its tests' scores do not add up to its score"),
        (result.status is not Status.PASS or all(t.status is Status.PASS
                                                for t in result.counted),
         "it passes with a test that did not"),
        (0 <= result.score <= kata.points + 1e-6, f"its score {result.score!r} is out of range"),
    ]
    return next((problem for ok, problem in checks if not ok), "")
