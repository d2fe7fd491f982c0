"""`kata worker`: a Celery worker that grades the tasks of `kata grade --broker`.

Each task is one submission, graded exactly as a local `kata grade` grades it
(`batch.grade_one`: the same runner and sandbox, forked from a grader prepared once per
kata and thread, `forkserver.ForkServer`). The worker runs Celery's thread pool: the work
is done in the runs' own processes, and the prepared graders are shared by its threads.

Nothing is lost and nothing is graded twice into a report:
- a task is acknowledged only once its reply is stored (`acks_late`), and a worker that
  dies hands its tasks back (`reject_on_worker_lost`; RabbitMQ at once, Redis after the
  visibility timeout);
- each delivery of a task is counted in Redis: past MAX_DELIVERIES the submission is a
  graded `error` rather than a poison message that stops worker after worker;
- a place already graded is not graded again, and the submitter keeps one reply a place;
- a task for a kata whose folder hashes differently here is refused, never graded with
  another version.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any

from harness import batch, databases, intake
from harness.catalog import Catalog, Kata, load_kata, require_hidden_suite
from harness.distributed import wire
from harness.errors import HarnessError, KataError, UsageError
from harness.forkserver import ForkServer
from harness.grader_layout import hidden_from_child

#: Redis brokers: how long a task may stay unacknowledged before Redis hands it to another
#: worker. It must exceed the longest grading (a kata's total timeout, three times over
#: while a busy machine extends it), else a slow submission is delivered twice.
VISIBILITY_TIMEOUT = 1200
_log = logging.getLogger("kata.worker")


def celery_app(broker: str, queue: str, visibility_timeout: float = VISIBILITY_TIMEOUT) -> Any:
    """The Celery application both ends use: JSON only, one queue, late acknowledgements,
    one task reserved per thread; results travel through Redis, not Celery's backend."""
    try:
        from celery import Celery
    except ImportError:
        raise UsageError("grading on a queue needs Celery: pip install 'kata-harness[queue]'"
                         ) from None
    scheme = broker.split("://", 1)[0]
    if scheme not in ("redis", "rediss", "amqp", "amqps", "pyamqp"):
        raise UsageError(f"--broker {broker}: give redis://HOST:6379/0 or "
                         "amqp://USER:PASSWORD@HOST:5672//")
    app = Celery("kata", broker=broker, set_as_current=False)
    options: dict[str, Any] = {}
    if scheme.startswith("redis"):
        # a dead worker's tasks come back after the visibility timeout; looked for this often
        options = {"visibility_timeout": visibility_timeout,
                   "unacked_restore_interval": max(1, min(10, int(visibility_timeout // 10))),
                   "unacked_restore_throttle": 1}
    else:
        options = {"confirm_publish": True}  # a task is sent once the broker has it
    app.conf.update(
        task_serializer="json", accept_content=["json"], result_serializer="json",
        task_default_queue=queue, task_acks_late=True, task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1, task_ignore_result=True,
        broker_transport_options=options, broker_connection_retry_on_startup=True,
        worker_send_task_events=True, task_send_sent_event=True,
        worker_hijack_root_logger=False, worker_redirect_stdouts=False,
        worker_cancel_long_running_tasks_on_connection_loss=True,
    )
    return app


def redis_client(url: str) -> Any:
    import redis

    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise UsageError(f"--backend {url}: replies are kept in Redis; give redis://HOST:6379/0")
    client = redis.Redis.from_url(url, socket_connect_timeout=10, socket_timeout=30,
                                  health_check_interval=30)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise HarnessError(f"cannot reach Redis at {url} ({exc}): it keeps the replies") from None
    return client


def backend_for(broker: str, backend: str | None) -> str:
    """Where replies are kept: --backend, or the broker itself when it is Redis."""
    if backend:
        return backend
    if broker.startswith(("redis://", "rediss://")):
        return broker
    raise UsageError("with an AMQP broker, name the Redis that keeps the replies and counts "
                     "deliveries: --backend redis://HOST:6379/0")


class Grading:
    """What one worker process holds across tasks: its catalog, a scratch folder, and the
    graders it has prepared (per kata version and database), each lent to one thread at
    a time."""

    def __init__(self, catalog: str | None, isolation: str, store: Any, name: str,
                 max_deliveries: int, keep: int) -> None:
        self.catalog = catalog
        self.isolation = isolation
        self.store = store
        self.name = name
        self.max_deliveries = max_deliveries
        self.keep = keep  # idle prepared graders kept, at most
        self.scratch = Path(tempfile.mkdtemp(prefix="kata-worker-"))
        self.spool = self.scratch / "submissions"
        self.spool.mkdir()
        self._lock = threading.Lock()
        self._idle: list[tuple[tuple[str, str, str], ForkServer]] = []
        self._made = 0
        self._toml: dict[str, Path] = {}  # slug -> its kata.toml
        self._solutions = Path()
        self._katas: dict[tuple[str, str], Kata] = {}  # (slug, identity) -> the kata

    def handle(self, data: object) -> None:
        """Grades one task and stores its reply (or drops it: graded already, or the
        submitter has gone)."""
        try:
            task = wire.read_task(data)
        except wire.BadTask as exc:
            _log.error("dropped a task: %s", exc)
            return
        names = wire.keys(task.batch)
        if self.store.exists(names["closed"]) or self.store.sismember(names["done"], task.index):
            return
        delivery = int(self.store.hincrby(names["deliveries"], str(task.index), 1))
        self.store.expire(names["deliveries"], wire.KEY_TTL)
        try:
            kata, here = self._kata(task.kata)
            require_hidden_suite(kata, "kata worker")
        except KataError as exc:
            self._send(task, names, delivery, refused=f"worker {self.name} cannot grade "
                       f"{task.kata}: {exc}")
            return
        if here != task.identity:
            self._send(task, names, delivery, refused=(
                f"worker {self.name} has another version of {kata.slug} (its folder "
                f"{kata.path} hashes to {here[:12]}, this run's kata to {task.identity[:12]}); "
                "it grades only the kata the run was started with: give every worker the "
                "same catalog"))
            return
        if delivery > self.max_deliveries:
            self._send(task, names, delivery, result=batch.harness_failed(
                kata, task.name, f"grading it stopped {delivery - 1} workers before they "
                f"could finish (the limit is {self.max_deliveries}); it was not tried again"))
            return
        self._send(task, names, delivery, result=self._grade(kata, here, task))

    def _kata(self, slug: str) -> tuple[Kata, str]:
        """The kata as its folder is now, and the folder's identity. Loaded once per
        version: the catalog is read again only for a slug not seen, or whose folder has
        changed (a kata.toml edited, a suite updated)."""
        with self._lock:
            known = self._toml.get(slug)
        if known is None or not known.is_file():
            kata = Catalog(self.catalog).get(slug)
            with self._lock:
                self._toml[slug] = known = kata.path / "kata.toml"
                self._solutions = kata.solution_path.parent
        identity = intake.digest(known.parent) or "unreadable"
        with self._lock:
            cached = self._katas.get((slug, identity))
        if cached is not None:
            return cached, identity
        kata = load_kata(known, self._solutions)
        if kata.identity() == identity:  # unchanged while it was read: keep it
            with self._lock:
                self._katas[(slug, identity)] = kata
        return kata, kata.identity()

    def _grade(self, kata: Kata, identity: str, task: wire.Task) -> Any:
        folder = self.spool / uuid.uuid4().hex
        try:
            submission = wire.materialise(task.submission, folder)
            submission.snapshot()
            env = databases.run_env(kata, task.db)
            key = (kata.slug, identity, repr(sorted(env.items())))
            server = self._borrow(key, kata, env)
            try:
                return batch.grade_one(kata, submission, server, hide=self._hide(kata),
                                       env=env, isolation=self.isolation)
            finally:
                if server is not None:
                    self._give_back(key, server)
        except Exception as exc:  # noqa: BLE001 -- a database this kata does not run on, a
            return batch.harness_failed(kata, task.name, exc)  # full disk: this one's error
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _hide(self, kata: Kata) -> tuple[Path, ...]:
        return (*hidden_from_child(kata), self.spool)  # every submission here but its own copy

    def _borrow(self, key: tuple[str, str, str], kata: Kata,
                env: dict[str, str]) -> ForkServer | None:
        with self._lock:
            for position, (held, server) in enumerate(self._idle):
                if held == key:
                    del self._idle[position]
                    return server
            self._made += 1
            number = self._made
        try:
            return ForkServer(kata, self.scratch / f"grader-{number}", self.isolation,
                              self._hide(kata), env)
        except HarnessError as exc:  # graded from scratch, which reports the suite's problem
            _log.warning("could not prepare a grader for %s: %s", kata.slug, exc)
            return None

    def _give_back(self, key: tuple[str, str, str], server: ForkServer) -> None:
        with self._lock:
            self._idle.append((key, server))
            surplus = self._idle[:-self.keep] if len(self._idle) > self.keep else []
            self._idle = self._idle[len(surplus):]
        for _key, old in surplus:
            old.close()

    def _send(self, task: wire.Task, names: dict[str, str], delivery: int,
              result: Any = None, refused: str = "") -> None:
        message = wire.reply(task, self.name, delivery, result, refused)
        with self.store.pipeline() as pipe:
            pipe.rpush(names["replies"], message)
            pipe.expire(names["replies"], wire.KEY_TTL)
            if result is not None:
                pipe.sadd(names["done"], task.index)
                pipe.expire(names["done"], wire.KEY_TTL)
            pipe.execute()
        _log.info("%s #%d %s: %s", task.batch[:8], task.index, task.name,
                  result.outcome if result is not None else "refused")

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for _key, server in idle:
            with contextlib.suppress(Exception):
                server.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


def run(broker: str, backend: str | None, queue: str, concurrency: int,
        catalog: str | None, isolation: str, max_deliveries: int = wire.MAX_DELIVERIES,
        visibility_timeout: float = VISIBILITY_TIMEOUT, name: str | None = None,
        loglevel: str = "INFO") -> int:
    """Runs a worker in this process until it is stopped (SIGTERM, ^C: a warm shutdown
    that hands back what it has not finished); returns its exit code."""
    Catalog(catalog).all()  # a catalog that does not load stops the worker before it starts
    app = celery_app(broker, queue, visibility_timeout)
    store = redis_client(backend_for(broker, backend))
    node = name or f"kata-{os.getpid()}@{socket.gethostname()}"
    grading = Grading(catalog, isolation, store, node, max_deliveries, keep=concurrency)

    import redis

    @app.task(name=wire.TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True,
              autoretry_for=(redis.ConnectionError, redis.TimeoutError), max_retries=3,
              retry_backoff=True, ignore_result=True)
    def grade(_self: Any, data: object) -> None:
        grading.handle(data)

    logging.basicConfig(level=loglevel.upper(),
                        format="[%(asctime)s %(levelname)s %(name)s] %(message)s")
    worker = app.Worker(hostname=node, pool="threads", concurrency=concurrency,
                        queues=[queue], loglevel=loglevel.upper(), without_gossip=True,
                        without_mingle=True, task_events=True, quiet=False)
    try:
        worker.start()
    finally:
        grading.close()
    return int(worker.exitcode or 0)
