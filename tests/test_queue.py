"""Grading on a queue: `kata grade --broker` and real `kata worker` processes, through the
Redis and the RabbitMQ of this machine (127.0.0.1:6379 and :5672), no mock anywhere.

Each test uses a queue of its own, so tests and concurrent runs never take each other's
tasks, and kills only the workers it started, by PID. The class is 60 submissions: the
golden scenarios of the fixture kata, correct, wrong, broken and hanging, some handed in
as folders and some as single files; its reports must equal a local `kata grade`'s (less
timings).
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG, ROOT
from harness.catalog import Catalog

SCENARIOS = Path(__file__).parent / "scenarios"
REDIS = "redis://127.0.0.1:6379/0"
RABBIT = "amqp://guest:guest@127.0.0.1:5672//"
CAT = ("--catalog", str(FIXTURE_CATALOG))
# (scenario, how many as folders, how many as single files): 60 in all, two of them hanging
MIX = [("passing", 14, 4), ("failing", 14, 4), ("syntax_error", 12, 2), ("missing_name", 6, 0),
       ("exception_in_code", 2, 0), ("infinite_loop", 2, 0)]
QUEUE_TESTS = pytest.mark.xdist_group("queue")  # one local grade of the class, shared


def _reachable(port: int) -> str:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return ""
    except OSError as exc:
        return str(exc)


@pytest.fixture(scope="module")
def services():
    """Both brokers, or a clear skip (a failure on CI, whose machines run both)."""
    for port, what in ((6379, "Redis"), (5672, "RabbitMQ")):
        problem = _reachable(port)
        if problem:
            if os.environ.get("CI"):
                pytest.fail(f"CI machines run {what} on 127.0.0.1:{port}: {problem}")
            pytest.skip(f"{what} is not reachable on 127.0.0.1:{port} ({problem})")
    pytest.importorskip("celery", reason="the queue extra (celery[redis]) is not installed")


@pytest.fixture(scope="module")
def classroom(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("queue-class")
    for scenario, folders, files in MIX:
        source = SCENARIOS / scenario / "adder.py"
        for number in range(folders):
            (root / f"{scenario}-{number:02d}").mkdir()
            shutil.copy(source, root / f"{scenario}-{number:02d}" / "adder.py")
        for number in range(files):
            shutil.copy(source, root / f"{scenario}-file-{number:02d}.py")
    assert len(list(root.iterdir())) == 60
    return root


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "KATA_HOME": str(home)}


def _grade(classroom: Path, out: Path, home: Path, *options: str, catalog=CAT,
           timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harness", "grade", "adder", "--each",
                           str(classroom), "--out", str(out), *catalog, *options],
                          env=_env(home), cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def local(classroom, tmp_path_factory) -> Path:
    """The class graded here, with the local pool: what a queue must reproduce."""
    out = tmp_path_factory.mktemp("local") / "grades"
    done = _grade(classroom, out, tmp_path_factory.mktemp("home"), "--jobs", "2")
    assert done.returncode == 1, done.stderr
    return out


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                parent = int((entry / "stat").read_bytes().rsplit(b")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Worker:
    """A real `kata worker` in a subprocess; stop() ends it and what it started, by PID."""

    def __init__(self, folder: Path, broker: str, queue: str, *options: str,
                 catalog: Path = FIXTURE_CATALOG) -> None:
        self.log = folder / f"worker-{uuid.uuid4().hex[:6]}.log"
        backend = ("--backend", REDIS) if broker.startswith("amqp") else ()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "harness", "worker", "--broker", broker, *backend,
                 "--queue", queue, "--concurrency", "2", "--catalog", str(catalog), *options],
                env=_env(folder), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        self.family: set[int] = set()
        deadline = time.monotonic() + 90
        try:
            while " ready." not in self.text():
                assert self.process.poll() is None, f"it stopped:\n{self.text()[-3000:]}"
                assert time.monotonic() < deadline, f"it never got ready:\n{self.text()}"
                time.sleep(0.1)
        except BaseException:
            self.stop()
            raise

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def tasks(self, event: str) -> set[str]:
        """Task ids the worker logged as `received` or `succeeded`."""
        return set(re.findall(rf"Task kata\.grade\[([0-9a-f]+-\d+)\] {event}", self.text()))

    def kill(self) -> None:
        """SIGKILL, as a machine that dies would: nothing is handed back politely."""
        self.family.update(_descendants(self.process.pid))
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.family.update(_descendants(self.process.pid))
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in self.family:  # anything of its runs left behind
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []

    def start(broker: str, queue: str, *options: str, **kwargs) -> Worker:
        worker = Worker(tmp_path, broker, queue, *options, **kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def queue():
    """A queue of the test's own, removed from both brokers afterwards (RabbitMQ keeps a
    durable queue and its exchange until deleted)."""
    name = f"kata-test-{uuid.uuid4().hex[:10]}"
    yield name
    from kombu import Connection

    for url in (RABBIT, REDIS):
        with contextlib.suppress(Exception), Connection(url, connect_timeout=5) as connection:
            connection.default_channel.queue_delete(name)
            connection.default_channel.exchange_delete(name)


_TIMING = re.compile(r"\d+\.\d+ s\b|time=\"[0-9.]+\"")


def _report(folder: Path) -> dict[str, object]:
    """Every file of a grade's output, timings taken out."""
    def untimed(data):
        if isinstance(data, dict):
            return {k: untimed(v) for k, v in data.items()
                    if k not in ("duration", "execution_time")}
        if isinstance(data, list):
            return [untimed(item) for item in data]
        return data

    files: dict[str, object] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name, text = path.relative_to(folder).as_posix(), path.read_text()
        if path.suffix == ".json":
            files[name] = untimed(json.loads(text))
        elif path.suffix == ".csv":
            files[name] = [{k: v for k, v in row.items() if k != "duration"}
                           for row in csv.DictReader(io.StringIO(text))]
        else:
            files[name] = _TIMING.sub("T", text)
    return files


def _same_reports(queued: Path, local: Path) -> None:
    ours, theirs = _report(queued), _report(local)
    assert sorted(ours) == sorted(theirs)
    differing = [name for name in theirs if ours[name] != theirs[name]]
    assert not differing, f"differ from a local grade: {differing[:10]}"


@QUEUE_TESTS
@pytest.mark.parametrize("broker", [REDIS, RABBIT], ids=["redis", "rabbitmq"])
def test_a_class_graded_on_a_queue_reports_as_a_local_run(services, queue, classroom, local,
                                                         workers, tmp_path, broker):
    workers(broker, queue)
    backend = ("--backend", REDIS) if broker == RABBIT else ()
    done = _grade(classroom, tmp_path / "grades", tmp_path, "--broker", broker, *backend,
                  "--queue", queue)
    assert done.returncode == 1, done.stderr  # some fall short, as in the local run
    _same_reports(tmp_path / "grades", local)
    assert "18/60 reached the pass mark" in done.stdout
    assert "queued" in done.stderr and "/s" in done.stderr  # depth and throughput shown


@QUEUE_TESTS
@pytest.mark.parametrize("broker", [REDIS, RABBIT], ids=["redis", "rabbitmq"])
def test_a_worker_killed_mid_batch_loses_no_submission(services, queue, classroom, local,
                                                       workers, tmp_path, broker):
    """RabbitMQ hands a dead worker's tasks back at once; Redis after the visibility
    timeout (short here: the class's longest grading is well within it)."""
    options = ("--visibility-timeout", "15") if broker == REDIS else ()
    doomed, survivor = workers(broker, queue, *options), workers(broker, queue, *options)
    backend = ("--backend", REDIS) if broker == RABBIT else ()
    grading = subprocess.Popen(
        [sys.executable, "-m", "harness", "grade", "adder", "--each", str(classroom), "--out",
         str(tmp_path / "grades"), *CAT, "--broker", broker, *backend, "--queue", queue],
        env=_env(tmp_path), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        # mid-batch: it has graded some, and holds tasks it has not finished
        deadline = time.monotonic() + 120
        while not (len(doomed.tasks("succeeded")) >= 3
                   and doomed.tasks("received") - doomed.tasks("succeeded")):
            assert time.monotonic() < deadline, doomed.text()[-3000:]
            time.sleep(0.02)
        doomed.kill()
        unfinished = doomed.tasks("received") - doomed.tasks("succeeded")
        stdout, stderr = grading.communicate(timeout=300)
    finally:
        if grading.poll() is None:
            grading.kill()
    assert unfinished, "the worker was killed with nothing in hand"
    assert grading.returncode == 1, stderr
    assert unfinished <= survivor.tasks("succeeded"), "a task of the killed worker was lost"
    results = [json.loads(p.read_text()) for p in (tmp_path / "grades" / "results").iterdir()]
    names = [r["submission"] for r in results]
    assert len(names) == 60 and len(set(names)) == 60
    _same_reports(tmp_path / "grades", local)


@QUEUE_TESTS
def test_a_worker_with_another_version_of_the_kata_refuses(services, queue, classroom, workers,
                                                          tmp_path):
    other = tmp_path / "other-catalog"
    shutil.copytree(FIXTURE_CATALOG, other)
    kata = Catalog(other).get("adder")
    hidden = next(kata.hidden_dir.glob("test_*.py"))
    hidden.write_text(hidden.read_text() + "\n# a later edit of the suite\n")
    worker = workers(REDIS, queue, catalog=other)
    few = tmp_path / "few"
    few.mkdir()
    for name in ("passing-00", "failing-00"):
        shutil.copytree(classroom / name, few / name)
    done = _grade(few, tmp_path / "grades", tmp_path, "--broker", REDIS, "--queue", queue)
    assert done.returncode == 3, done.stderr
    assert "2 submissions could not be graded on the queue" in done.stderr
    assert "has another version of adder" in done.stderr
    for name in ("passing-00", "failing-00"):
        result = json.loads((tmp_path / "grades" / "results" / f"{name}.json").read_text())
        assert result["status"] == "error" and result["tests"] == []
        assert "has another version of adder" in result["message"]
    assert "kata.worker" in worker.text() and "refused" in worker.text()


@QUEUE_TESTS
def test_a_poison_submission_ends_as_an_error_after_its_limit(services, queue, workers, tmp_path):
    """A submission whose grading kills the worker each time (here: SIGKILL while it runs)
    is delivered again to the next worker, up to the limit, then graded `error`."""
    poison = tmp_path / "class" / "poison"
    poison.mkdir(parents=True)
    shutil.copy(SCENARIOS / "infinite_loop" / "adder.py", poison / "adder.py")
    grading = subprocess.Popen(
        [sys.executable, "-m", "harness", "grade", "adder", "--each", str(poison.parent),
         "--out", str(tmp_path / "grades"), *CAT, "--broker", RABBIT, "--backend", REDIS,
         "--queue", queue], env=_env(tmp_path), cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    killed = 0
    try:
        while grading.poll() is None:
            worker = workers(RABBIT, queue, "--max-deliveries", "2")
            deadline = time.monotonic() + 60
            while not worker.tasks("received") and grading.poll() is None:
                assert time.monotonic() < deadline, worker.text()[-3000:]
                time.sleep(0.05)
            time.sleep(1.0)  # it is grading the endless loop now
            if worker.tasks("succeeded") or grading.poll() is not None:
                break
            worker.kill()
            killed += 1
            assert killed <= 5, "the poison submission went on being delivered"
        stdout, stderr = grading.communicate(timeout=120)
    finally:
        if grading.poll() is None:
            grading.kill()
    assert killed == 2, stderr
    assert grading.returncode == 1, stderr  # a graded error: the class fell short
    result = json.loads((tmp_path / "grades" / "results" / "poison.json").read_text())
    assert result["status"] == "error"
    assert "stopped 2 workers before they could finish (the limit is 2)" in result["message"]


@QUEUE_TESTS
def test_submissions_no_worker_takes_are_reported_not_waited_for(services, queue, classroom,
                                                                  tmp_path):
    few = tmp_path / "few"
    few.mkdir()
    shutil.copytree(classroom / "passing-00", few / "passing-00")
    began = time.monotonic()
    done = _grade(few, tmp_path / "grades", tmp_path, "--broker", REDIS, "--queue", queue,
                  "--wait", "3")
    assert time.monotonic() - began < 60
    assert done.returncode == 3, done.stderr
    assert "passing-00: no worker returned its result within 3 s" in done.stderr
    result = json.loads((tmp_path / "grades" / "results" / "passing-00.json").read_text())
    assert result["status"] == "error" and "not graded" in result["message"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own (the machine's Redis is never restarted), keeping
    nothing on disk, as the machine's does not: a restart loses what it held."""

    def __init__(self, folder: Path) -> None:
        self.port, self.folder = _free_port(), folder
        self.process: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 30
        while _reachable(self.port):
            assert self.process.poll() is None, "redis-server stopped at once"
            assert time.monotonic() < deadline, "redis-server never took connections"
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("CI machines have redis-server (Debian's redis-server package)")
        pytest.skip("no redis-server here to restart")
    server = PrivateRedis(tmp_path)
    yield server
    server.kill()


@QUEUE_TESTS
def test_a_broker_restart_mid_batch_is_survived_or_reported_never_short(
        services, queue, classroom, workers, tmp_path, private_redis):
    """The broker dies mid-batch and comes back empty: each submission is graded once or
    reported as not graded, and a batch that lost any exits 3; never a short report."""
    few = tmp_path / "few"
    few.mkdir()
    names = sorted(p.name for p in classroom.iterdir()
                   if not p.name.startswith("infinite"))[:16]
    for name in names:
        (shutil.copytree if (classroom / name).is_dir() else shutil.copy)(
            classroom / name, few / name)
    worker = workers(private_redis.url, queue, "--visibility-timeout", "15")
    grading = subprocess.Popen(
        [sys.executable, "-m", "harness", "grade", "adder", "--each", str(few), "--out",
         str(tmp_path / "grades"), *CAT, "--broker", private_redis.url, "--queue", queue,
         "--wait", "30"],
        env=_env(tmp_path), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        deadline = time.monotonic() + 120
        while len(worker.tasks("succeeded")) < 2:
            assert time.monotonic() < deadline, worker.text()[-3000:]
            assert grading.poll() is None, grading.communicate()
            time.sleep(0.02)
        private_redis.kill()
        private_redis.start()
        stdout, stderr = grading.communicate(timeout=300)
    finally:
        if grading.poll() is None:
            grading.kill()
    results = [json.loads(p.read_text()) for p in (tmp_path / "grades" / "results").iterdir()]
    got = sorted(r["submission"] for r in results)
    assert len(got) == len(set(got)) == len(names), (
        f"{len(names)} submissions, reported: {got}", stderr[-3000:])
    lost = [r for r in results if r["status"] == "error" and "not graded" in r["message"]]
    assert grading.returncode == (3 if lost else 1), (grading.returncode, stderr[-3000:])
    if lost:
        assert "could not be graded on the queue" in stderr, stderr[-3000:]


def test_grading_here_never_imports_celery():
    code = ("import sys, harness.cli, harness.batch; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('celery', 'kombu', 'redis', 'amqp')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# --- what travels, checked on both sides (no broker needed) ---

def _kata():
    return Catalog(FIXTURE_CATALOG).get("adder")


def _graded(name: str) -> dict:
    from harness import runner

    result = runner.run(_kata(), runner.Submission(name=name, files={
        "adder.py": SCENARIOS / "failing" / "adder.py"}))
    return result.to_dict()


def test_a_reply_goes_into_a_report_only_when_it_checks_out():
    from harness.distributed import wire

    kata, names = _kata(), ["ana", "bo"]
    good = _graded("bo")

    def reply(**changes) -> str:
        data = {"version": wire.VERSION, "batch": "b1", "index": 1, "submission": "bo",
                "worker": "w", "delivery": 1, "result": good, **changes}
        return json.dumps(data)

    assert wire.read_reply(reply(), "b1", names, kata).result.score == good["score"]
    bad = {
        "another batch": reply(batch="b0"),
        "no submission of this batch": reply(index=2),
        "names 'ana'": reply(submission="ana"),
        "is not the kata's 10": reply(result={**good, "max_score": 5}),
        "do not add up": reply(result={**good, "score": good["score"] + 1}),
        "grades 'other'": reply(result={**good, "kata": "other"}),
        "not JSON": "{",
        "KeyError": reply(result={k: v for k, v in good.items() if k != "status"}),
    }
    for said, raw in bad.items():
        with pytest.raises(wire.BadReply, match=re.escape(said)):
            wire.read_reply(raw, "b1", names, kata)


def test_a_task_cannot_write_outside_its_folder(tmp_path):
    from harness.distributed import wire

    data = base64.b64encode(b"x = 1\n").decode()
    for where in ("../escaped.py", "/tmp/absolute.py", "a/../../b.py"):
        message = {"name": "mallory", "folder": {"folders": [], "links": {},
                                                 "files": {where: data}}}
        submission = wire.materialise(message, tmp_path / uuid.uuid4().hex)
        assert "arrived damaged" in submission.problem, where
    link = {"name": "mallory", "folder": {"folders": [], "files": {},
                                          "links": {"adder.py": "../../etc/passwd"}}}
    assert "outside the submission" in wire.materialise(link, tmp_path / "l").problem
    assert not (tmp_path / "escaped.py").exists()


def test_a_submission_travels_whole(tmp_path):
    from harness import runner
    from harness.distributed import wire

    folder = tmp_path / "ana"
    (folder / "pkg").mkdir(parents=True)
    (folder / "adder.py").write_bytes(b"def add(a, b):\n    return a + b\n")
    (folder / "pkg" / "data.bin").write_bytes(bytes(range(256)))
    os.symlink("adder.py", folder / "alias.py")
    message = json.loads(json.dumps(wire.submission_message(
        runner.Submission(name="ana", directory=folder))))
    arrived = wire.materialise(message, tmp_path / "spool")
    assert arrived.directory is not None and arrived.problem == ""
    assert (arrived.directory / "pkg" / "data.bin").read_bytes() == bytes(range(256))
    assert os.readlink(arrived.directory / "alias.py") == "adder.py"
    outside = tmp_path / "bo"
    outside.mkdir()
    os.symlink(folder / "adder.py", outside / "adder.py")
    refused = wire.submission_message(runner.Submission(name="bo", directory=outside))
    assert "outside the submission" in refused["problem"]


def test_queue_options_are_checked_before_any_work(kata, classroom):
    pytest.importorskip("celery", reason="the queue extra (celery[redis]) is not installed")
    cases = {
        ("--jobs", "2", "--broker", REDIS): "--jobs sizes the pool here",
        ("--sandbox", "none", "--broker", REDIS): "give it to kata worker",
        ("--wait", "5"): "--wait go with --broker URL",
        ("--broker", "http://127.0.0.1:1/"): "give redis://HOST:6379/0 or amqp://",
        ("--broker", RABBIT): "--backend redis://HOST:6379/0",
    }
    for options, said in cases.items():
        done = kata("grade", "adder", str(classroom / "passing-00"), *CAT, *options)
        assert done.returncode == 2, (options, done.stderr)
        assert said in done.stderr, (options, done.stderr)
    done = kata("worker", "--broker", RABBIT, *CAT)
    assert done.returncode == 2 and "--backend redis://HOST:6379/0" in done.stderr, done.stderr
