"""The grader process's entry: applies limits, opens the boundary to the learner's process,
runs pytest on the suites. It never imports the learner's files."""

from __future__ import annotations

import importlib
import json
import os
import sys

from harness import sandbox
from harness.feedback import Places, describe_learner_load


def main(config_path: str, channel_fd: int | None = None, zygote_fd: int | None = None) -> int:
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    if channel_fd is not None:  # forked by the fork server, which received the pipes
        config["fd"], config["zygote"] = channel_fd, zygote_fd
    sandbox.apply_in_child(config["limits"])

    import pytest
    import pytest_timeout  # noqa: F401

    from harness.channel import Channel
    from harness.plugin import Collector

    channel = Channel(config["fd"])
    places = Places(work=config["work"], suite=config["suite"])
    os.chdir(config["work"])  # a SQL kata's suite reads the learner's schema.sql as data
    code = 0
    frontier = None
    if config["stubs"]:
        frontier = _open_boundary(config, channel, places)
        if frontier is None:
            os._exit(0)
    try:
        collector = Collector(channel, places, config["markers"], config["limits"]["test"],
                              boundary=frontier, shared_tmp=config["shared_tmp"])
        code = int(pytest.main(config["pytest_args"], plugins=[collector]))
    finally:
        if frontier is not None and config.get("coverage"):
            _send_coverage(frontier, channel)
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave at once: a thread a test left waiting must not keep the run alive.
    os._exit(code)


def _open_boundary(config: dict, channel, places: Places):
    """Starts the first learner process and loads the learner's files there; a file that
    does not load is reported as data, and the run ends."""
    from harness import boundary

    stubs = {name: boundary.Stub.load(name, path) for name, path in config["stubs"].items()}
    frontier = boundary.Boundary(
        boundary.Zygote(config["zygote"]), stubs, float(config["limits"]["test"]),
        alarm=lambda reason: channel.send("integrity", reason=reason))
    # The first load is the run's to time: an endless loop at import is the whole run's
    # timeout, which the parent enforces (and stretches while the machine is busy).
    frontier.load_seconds = float(config["limits"]["wall"]) * 4 + 20
    try:
        frontier.current()
    except boundary.BoundaryFailure:
        problem = frontier.load_problem or {"crash": "it did not start"}
        channel.send("load_error", message=describe_learner_load(problem, places))
        return None
    frontier.load_seconds = max(frontier.limit, 10.0)
    boundary.install(frontier)
    return frontier


def _send_coverage(frontier, channel) -> None:
    """What the suites ran of each learner file, as measured in the learner's process."""
    from harness.boundary import BoundaryFailure

    try:
        files = frontier.current().control("coverage")
    except (BoundaryFailure, Exception):
        return
    if isinstance(files, dict):
        channel.send("coverage", files=files)


def serve(sock_fd: int) -> None:
    """The fork server: imports what every run needs once, then forks a child per request."""
    import socket
    import tempfile

    import pytest_timeout  # noqa: F401 -- warm what every run imports
    from _pytest.config import default_plugins

    import harness.boundary  # noqa: F401
    import harness.plugin  # noqa: F401

    for name in default_plugins:
        importlib.import_module(f"_pytest.{name}")

    server = socket.socket(fileno=sock_fd)
    server.send(json.dumps({"ready": True}).encode())
    while True:
        try:
            data, fds, _flags, _addr = socket.recv_fds(server, 65536, 2)
        except OSError:
            return
        if not data:
            return
        request = json.loads(data)
        channel_fd, zygote_fd = (fds + [None, None])[:2]
        pid = os.fork()
        if pid == 0:  # the run: a session of its own, its own output and environment
            server.close()
            os.setsid()
            output = os.open(request["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(output, 1)
            os.dup2(output, 2)
            os.environ.clear()
            os.environ.update(request["env"])
            tempfile.tempdir = None
            try:
                main(request["config"], channel_fd=channel_fd, zygote_fd=zygote_fd)
            finally:
                os._exit(70)
        for fd in fds:
            os.close(fd)
        server.send(json.dumps({"pid": pid}).encode())
        server.send(json.dumps({"exit": _reap(server, pid)}).encode())


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
