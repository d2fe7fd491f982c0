"""The submitting side of `kata grade --broker`: a task per submission, the replies
collected and checked, and a result for every submission, whatever came back.

A batch has an id of its own (a fresh one each time, so no reply of an earlier batch is
ever taken for one of this). Replies are popped from Redis as workers store them; each
is checked (`wire.read_reply`) and kept once per submission, duplicates dropped. The wait
is bounded: when no new reply has come for `wait` seconds, the submissions still out
are reported as not graded, and so are those a worker refused or answered with a result
that is not one; each gets an `error` result that says so, so no report is silently short.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness import busy, grading, runner
from harness.catalog import Kata
from harness.distributed import wire
from harness.distributed.worker import backend_for, celery_app, redis_client
from harness.errors import HarnessError
from harness.result import RunResult, Status, valid_text


@dataclass(frozen=True)
class Progress:
    graded: int
    total: int
    waiting: int | None  # tasks in the broker's queue, not yet taken by a worker
    rate: float  # submissions graded per second since the first task was sent
    elapsed: float


@dataclass
class Outcome:
    results: list[RunResult]  # one per submission, in submission order
    #: submission name -> why it has no graded result (never came back, refused, bad reply)
    problems: dict[str, str] = field(default_factory=dict)
    duplicates: int = 0  # replies dropped as a second for one submission
    bad: list[str] = field(default_factory=list)  # replies dropped that named no one still out
    workers: dict[str, int] = field(default_factory=dict)  # who graded how many
    sent: float = 0.0  # seconds to send every task


def default_wait(kata: Kata, broker: str) -> float:
    """How long to wait for the next reply before giving the rest up: two gradings of
    the kata at their longest, plus, on Redis, the visibility timeout after which a dead
    worker's tasks are handed to another."""
    longest = kata.timeout.total + busy.backstop(kata.timeout.total) + 5.0  # + start-up
    from harness.distributed.worker import VISIBILITY_TIMEOUT

    extra = VISIBILITY_TIMEOUT if broker.startswith("redis") else 0
    return 2 * longest + 60 + extra


def grade(kata: Kata, submissions: list[runner.Submission], *, broker: str,
          backend: str | None, queue: str, db: str | None, wait: float,
          on_progress: Callable[[Progress], None] = lambda _p: None) -> Outcome:
    """Grades `submissions` on the workers of `queue`; returns every submission's result."""
    app = celery_app(broker, queue)
    store = redis_client(backend_for(broker, backend))
    try:
        connection = app.connection_for_write()
        connection.ensure_connection(max_retries=2)
    except Exception as exc:  # noqa: BLE001 -- kombu raises many kinds
        raise HarnessError(f"cannot reach the broker at {broker} ({exc})") from None
    identity = kata.identity()
    batch_id = uuid.uuid4().hex
    names = [s.name for s in submissions]
    keys = wire.keys(batch_id)
    began = time.monotonic()
    outcome = Outcome(results=[])
    try:
        with connection, app.producer_or_acquire() as producer:
            for index, submission in enumerate(submissions):
                message = wire.task(batch_id, index, kata, identity, db,
                                    wire.submission_message(submission))
                try:
                    app.send_task(wire.TASK_NAME, args=[message], queue=queue,
                                  task_id=f"{batch_id}-{index}", producer=producer)
                except Exception as exc:  # noqa: BLE001 -- kombu raises many kinds
                    raise HarnessError(
                        f"the broker at {broker} stopped taking tasks after {index} of "
                        f"{len(submissions)} ({exc}); nothing was graded into a report: "
                        "grade the class again once it is back") from None
            outcome.sent = time.monotonic() - began
            graded = _collect(store, connection, queue, batch_id, names, kata, wait, began,
                              outcome, on_progress)
    finally:
        with contextlib.suppress(Exception):  # what is still queued is dropped unread
            store.set(keys["closed"], 1, ex=wire.KEY_TTL)
            store.delete(keys["replies"])
    for index, name in enumerate(names):
        if index not in graded:
            outcome.problems.setdefault(name, f"no worker returned its result within "
                                              f"{wait:g} s of the last one")
            graded[index] = not_graded(kata, name, outcome.problems[name])
    outcome.results = [graded[i] for i in range(len(names))]
    return outcome


def not_graded(kata: Kata, name: str, why: str) -> RunResult:
    """The result of a submission the queue did not grade: an `error` that says why."""
    result = RunResult(kata=kata.slug, submission=name, status=Status.ERROR,
                       message=valid_text(f"not graded on the queue: {why}"))
    return grading.grade(result, kata)


def _collect(store: Any, connection: Any, queue: str, batch_id: str, names: list[str],
             kata: Kata, wait: float, began: float, outcome: Outcome,
             on_progress: Callable[[Progress], None]) -> dict[int, RunResult]:
    keys = wire.keys(batch_id)
    graded: dict[int, RunResult] = {}
    last_news = shown = time.monotonic()
    waiting = _depth(connection, queue)
    on_progress(Progress(0, len(names), waiting, 0.0, 0.0))
    import redis

    while len(graded) < len(names):
        try:
            popped = store.blpop([keys["replies"]], timeout=1)
        except (redis.ConnectionError, redis.TimeoutError):  # Redis restarting: wait on
            popped = None
            time.sleep(1)
        now = time.monotonic()
        if popped is not None:
            last_news = now
            try:
                reply = wire.read_reply(popped[1], batch_id, names, kata)
            except wire.BadReply as exc:
                _record_bad(exc, names, kata, graded, outcome)
                continue
            if reply.index in graded:
                outcome.duplicates += 1
                continue
            name = names[reply.index]
            if reply.result is None:
                outcome.problems[name] = reply.refused
                graded[reply.index] = not_graded(kata, name, reply.refused)
            else:
                graded[reply.index] = reply.result
                outcome.workers[reply.worker] = outcome.workers.get(reply.worker, 0) + 1
        if now - shown >= 1 or len(graded) == len(names):
            shown = now
            waiting = _depth(connection, queue)
            elapsed = now - began
            on_progress(Progress(len(graded), len(names), waiting,
                                 len(graded) / elapsed if elapsed else 0.0, elapsed))
        if now - last_news > wait:
            break
    return graded


def _record_bad(exc: wire.BadReply, names: list[str], kata: Kata,
                graded: dict[int, RunResult], outcome: Outcome) -> None:
    """A reply that failed its checks: when it is for a submission still out, that
    submission is an error saying so; else it is only counted."""
    if exc.index is not None and exc.index not in graded:
        name = names[exc.index]
        outcome.problems[name] = str(exc)
        graded[exc.index] = not_graded(kata, name, str(exc))
    else:
        outcome.bad.append(str(exc))


def _depth(connection: Any, queue: str) -> int | None:
    """Tasks waiting in the broker's queue (None when the broker will not say)."""
    try:
        channel = connection.default_channel
        if connection.transport_cls in ("redis", "rediss"):  # an empty queue has no key
            return int(channel.client.llen(queue))
        return int(channel.queue_declare(queue=queue, passive=True).message_count)
    except Exception:  # noqa: BLE001 -- a depth is shown when known, never a failure
        return None
