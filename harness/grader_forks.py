"""A batch worker's prepared grader: the grader process's end of `harness.forkserver`.

It collects the suites once (`grader_process.prepare`), then, where pytest would start
running tests, waits for runs and forks one grader per run; the fork begins its run
(`grader_process.begin`) and returns to pytest, which runs the tests it inherited.
"""

from __future__ import annotations

import importlib
import json
import os
import select
import signal
import socket
import tempfile
from typing import TYPE_CHECKING, Any, NoReturn

from harness import sandbox
from harness.grader_process import begin, leave, prepare

if TYPE_CHECKING:
    from harness.boundary.frontier import Boundary
    from harness.plugin import Collector


def serve(sock_fd: int, setup_path: str) -> NoReturn:
    """A batch worker's grader: collects the suites once, then forks a grader per run."""
    import pytest
    import pytest_timeout  # noqa: F401 -- warm what every run imports
    from _pytest.config import default_plugins

    for name in default_plugins:
        importlib.import_module(f"_pytest.{name}")
    with open(setup_path, encoding="utf-8") as handle:
        setup = json.load(handle)
    server = socket.socket(fileno=sock_fd)
    collector, frontier = prepare(setup)
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
        leave(code)
    if not forks.served:  # pytest ended before its test loop: the parent hears why
        problem = forks.problem or f"pytest ended with exit code {code} before running tests"
        server.send(json.dumps({"ready": False, "problem": problem}).encode())
    os._exit(0)


class _Forks:
    """The pytest plugin of a prepared grader: where the tests would run, it waits for runs
    and forks one grader for each; the fork returns to pytest and runs the tests."""

    def __init__(self, server: socket.socket, setup: dict, collector: Collector,
                 frontier: Boundary | None) -> None:
        self.server, self.setup, self.collector, self.frontier = server, setup, collector, frontier
        self.in_run = False
        self.served = False
        self.problem = ""

    def pytest_runtestloop(self, session: Any) -> None:
        self.served = True
        self.server.send(json.dumps({"ready": True}).encode())
        while True:
            try:
                data, fds, _flags, _addr = socket.recv_fds(self.server, 65536, 2)
            except OSError:
                os._exit(0)
            if not data:
                os._exit(0)
            request = json.loads(data)
            channel_fd = fds[0]  # the run's result channel, always passed
            zygote_fd = fds[1] if len(fds) > 1 else None  # its learner side, if it has one
            pid = os.fork()
            if pid == 0:
                self.in_run = True
                self._begin(request, channel_fd, zygote_fd, session.items)
                return None  # pytest goes on: its own test loop runs the collected tests
            for fd in fds:
                os.close(fd)
            self.server.send(json.dumps({"pid": pid}).encode())
            self.server.send(json.dumps({"exit": _reap(self.server, pid)}).encode())

    def _begin(self, request: dict, channel_fd: int, zygote_fd: int | None,
               items: list) -> None:
        """In the fork: a session of its own, the run's output, environment and limits."""
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
        begin(config, self.collector, self.frontier, channel_fd, zygote_fd, items)


def _reap(server: socket.socket, pid: int) -> int | None:
    """Waits for the run to end, or kills its group when the parent says so."""
    pidfd = os.pidfd_open(pid)
    control = server.fileno()
    try:
        while True:
            ready, _, _ = select.select([control, pidfd], [], [])
            if control in ready:
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
