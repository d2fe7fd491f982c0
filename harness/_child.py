"""The grader process's entry: applies limits, opens the boundary to the learner's process,
runs pytest on the suites. It never imports the learner's files.

Either way the suites are collected first, against the stub's mirrors, before any
learner process exists; where pytest would start running tests, the run begins: it
gets its channel and learner side and loads the learner's files there. A single run
(`main`) does that in place. A batch worker (`serve`) collects once and forks one
grader per run at that point; each fork goes on to run the tests it inherited.
"""

from __future__ import annotations

import importlib
import json
import os
import sys

from harness import sandbox
from harness.feedback import Places, describe_learner_load


def main(config_path: str) -> int:
    """One run: the setup and the run's own fields come in one config file."""
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    sandbox.apply_in_child(config["limits"])

    import pytest
    import pytest_timeout  # noqa: F401

    collector, frontier = _prepare(config)
    start = _Start(config, collector, frontier)
    pytest.hookimpl(tryfirst=True)(_Start.pytest_runtestloop)
    code = 0
    try:
        code = int(pytest.main(config["pytest_args"], plugins=[collector, start]))
    finally:
        if frontier is not None and config.get("coverage") and start.channel is not None:
            _send_coverage(frontier, start.channel)
    _leave(code)


def _prepare(setup: dict):
    """The plugin that reports outcomes, and the boundary whose mirror modules the suites
    import, both made before any run has a channel or a learner side."""
    from harness.plugin import Collector

    os.chdir(setup["suite"])
    frontier = _boundary(setup) if setup["stubs"] else None
    places = Places(work=setup["placeholder_work"], suite=setup["suite"])
    collector = Collector(None, places, setup["markers"], setup["limits"]["test"])
    return collector, frontier


class _Start:
    """The pytest plugin of a single run: where the tests would run, the run begins."""

    def __init__(self, config: dict, collector, frontier) -> None:
        self.config, self.collector, self.frontier = config, collector, frontier
        self.channel = None

    def pytest_runtestloop(self, session) -> None:
        self.channel = _begin(self.config, self.collector, self.frontier,
                              self.config["fd"], self.config.get("zygote"))


def _begin(config: dict, collector, frontier, channel_fd: int, zygote_fd: int | None):
    """Gives the collected suites the run's channel and learner side, and loads the
    learner's files before any test runs; a file that does not load ends the run."""
    from harness.channel import Channel

    channel = Channel(channel_fd)
    places = Places(work=config["work"], suite=config["suite"])
    os.chdir(config["work"])  # a SQL kata's suite reads the learner's schema.sql as data
    if frontier is not None:
        from harness.boundary import Zygote

        frontier.attach(Zygote(zygote_fd))
        if not _load(frontier, config, channel, places):
            _leave(0)
    collector.attach(channel, places, frontier, config["shared_tmp"])
    return channel


def _boundary(setup: dict):
    """The boundary and its mirror modules, installed for the suites to import; its learner
    side is attached when the run begins."""
    from harness import boundary

    stubs = {name: boundary.Stub.load(name, path) for name, path in setup["stubs"].items()}
    frontier = boundary.Boundary(None, stubs, float(setup["limits"]["test"]))
    boundary.install(frontier)
    return frontier


def _load(frontier, config: dict, channel, places: Places) -> bool:
    """Starts the first learner process and loads the learner's files there; a file that
    does not load is reported as data, and the run ends."""
    from harness import boundary

    frontier.alarm = lambda reason: channel.send("integrity", reason=reason)
    # The first load is the run's to time: an endless loop at import is the whole run's
    # timeout, which the parent enforces (and stretches while the machine is busy).
    frontier.load_seconds = float(config["limits"]["wall"]) * 4 + 20
    try:
        frontier.current()
    except boundary.BoundaryFailure:
        problem = frontier.load_problem or {"crash": "it did not start"}
        channel.send("load_error", message=describe_learner_load(problem, places))
        return False
    frontier.load_seconds = max(frontier.limit, 10.0)
    return True


def _send_coverage(frontier, channel) -> None:
    """What the suites ran of each learner file, as measured in the learner's process."""
    from harness.boundary import BoundaryFailure

    try:
        files = frontier.current().control("coverage")
    except (BoundaryFailure, Exception):
        return
    if isinstance(files, dict):
        channel.send("coverage", files=files)


def _leave(code: int) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave at once: a thread a test left waiting must not keep the run alive.
    os._exit(code)


def serve(sock_fd: int, setup_path: str) -> None:
    """A batch worker's grader: collects the suites once, then forks a grader per run."""
    import socket

    import pytest
    import pytest_timeout  # noqa: F401 -- warm what every run imports
    from _pytest.config import default_plugins

    for name in default_plugins:
        importlib.import_module(f"_pytest.{name}")
    with open(setup_path, encoding="utf-8") as handle:
        setup = json.load(handle)
    server = socket.socket(fileno=sock_fd)
    collector, frontier = _prepare(setup)
    forks = _Forks(server, setup, collector, frontier)
    # the forks take over where the tests would run: before pytest's own test loop
    pytest.hookimpl(tryfirst=True)(_Forks.pytest_runtestloop)
    try:
        code = int(pytest.main(setup["pytest_args"], plugins=[collector, forks]))
    except BaseException as exc:  # noqa: BLE001 -- said to the parent, in both processes
        if forks.in_run:
            raise
        code, forks.problem = 3, f"{type(exc).__name__}: {exc}"
    if forks.in_run:  # the forked grader has run its tests
        _leave(code)
    if not forks.served:  # pytest ended before its test loop: the parent hears why
        problem = forks.problem or f"pytest ended with exit code {code} before running tests"
        server.send(json.dumps({"ready": False, "problem": problem}).encode())
    os._exit(0)


class _Forks:
    """The pytest plugin of a prepared grader: where the tests would run, it waits for runs
    and forks one grader for each; the fork returns to pytest and runs the tests."""

    def __init__(self, server, setup: dict, collector, frontier) -> None:
        self.server, self.setup, self.collector, self.frontier = server, setup, collector, frontier
        self.in_run = False
        self.served = False
        self.problem = ""

    def pytest_runtestloop(self, session) -> None:
        self.served = True
        self.server.send(json.dumps({"ready": True}).encode())
        while True:
            try:
                data, fds, _flags, _addr = _recv_fds(self.server)
            except OSError:
                os._exit(0)
            if not data:
                os._exit(0)
            request = json.loads(data)
            channel_fd, zygote_fd = (fds + [None, None])[:2]
            pid = os.fork()
            if pid == 0:
                self.in_run = True
                self._begin(request, channel_fd, zygote_fd)
                return None  # pytest goes on: its own test loop runs the collected tests
            for fd in fds:
                os.close(fd)
            self.server.send(json.dumps({"pid": pid}).encode())
            self.server.send(json.dumps({"exit": _reap(self.server, pid)}).encode())

    def _begin(self, request: dict, channel_fd: int, zygote_fd: int | None) -> None:
        """In the fork: a session of its own, the run's output, environment and limits."""
        import tempfile

        self.server.close()
        os.setsid()
        output = os.open(request["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.environ.clear()
        os.environ.update(request["env"])
        tempfile.tempdir = None
        with open(request["config"], encoding="utf-8") as handle:
            config = {**self.setup, **json.load(handle)}
        sandbox.apply_in_child(config["limits"])
        _begin(config, self.collector, self.frontier, channel_fd, zygote_fd)


def _recv_fds(server):
    import socket

    return socket.recv_fds(server, 65536, 2)


def _reap(server, pid: int) -> int | None:
    """Waits for the run to end, or kills its group when the parent says so."""
    import select
    import signal

    pidfd = os.pidfd_open(pid)
    try:
        while True:
            ready, _, _ = select.select([server, pidfd], [], [])
            if server in ready:
                message = server.recv(65536)
                if not message or json.loads(message).get("kill"):
                    _kill_group(pid, signal.SIGKILL)
            if pidfd in ready:
                break
    finally:
        os.close(pidfd)
    _, status = os.waitpid(pid, 0)
    _kill_group(pid, signal.SIGKILL)  # whatever it started goes with it
    return os.waitstatus_to_exitcode(status)


def _kill_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
