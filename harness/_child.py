"""The child process's entry: applies limits and guards, loads the learner's code, runs pytest."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys

from harness import integrity, sandbox
from harness.feedback import Places, describe_load_error, describe_missing


def main(config_path: str, channel_fd: int | None = None) -> int:
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    if channel_fd is not None:  # forked by the fork server, which received the pipe
        config["fd"] = channel_fd
    sandbox.apply_in_child(config["limits"])

    # Everything the run needs is imported before the learner's code can shadow or patch it.
    import pytest
    import pytest_timeout  # noqa: F401

    from harness.plugin import Channel, Collector

    channel = Channel(config["fd"])
    places = Places(work=config["work"], suite=config["suite"])
    os.chdir(config["work"])
    # Last on the path: a learner's json.py or pytest_timeout.py cannot shadow the real ones.
    sys.path.append(config["work"])
    integrity.install(integrity.Guard(
        work=config["work"], run_dir=config["run_dir"], hidden=config["hidden"],
        allow_processes=config["allow_processes"],
        report=lambda reason: channel.send("integrity", reason=reason),
    ))
    measure = _start_coverage(config) if config.get("coverage") else None
    code = 0
    try:
        if _load_learner_modules(config, channel, places):
            collector = Collector(channel, places, config["markers"], config["limits"]["test"])
            code = int(pytest.main(config["pytest_args"], plugins=[collector]))
            for name in integrity.always_equal_classes(set(config["modules"])):
                channel.send("integrity", reason=f"{name} claims to be equal to anything")
    finally:
        if measure is not None:
            channel.send("coverage", files=_stop_coverage(measure, config, places))
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave at once: a thread the learner left running must not keep the run alive.
    os._exit(code)


def _start_coverage(config: dict):
    """Measures lines and branches of the learner's files only, from before they load."""
    import coverage

    measure = coverage.Coverage(data_file=None, branch=True, config_file=False,
                                include=[os.path.join(config["work"], "*")])
    measure.start()
    return measure


def _stop_coverage(measure, config: dict, places: Places) -> dict:
    """Summarises what the suite ran of each learner file: missing lines and branches."""
    measure.stop()
    measure.json_report(outfile=config["coverage"], show_contexts=False)
    with open(config["coverage"], encoding="utf-8") as handle:
        files = json.load(handle).get("files", {})
    return {
        places.clean(os.path.realpath(name)): {
            "summary": data["summary"],
            "missing_lines": data.get("missing_lines", []),
            "missing_branches": data.get("missing_branches", []),
        }
        for name, data in files.items()
    }


def _load_learner_modules(config: dict, channel, places: Places) -> bool:
    """Imports the learner's files by path under their plain names, once, so a broken file
    is explained rather than crashing, and no installed package of the same name wins."""
    for module_name, expected in config["modules"].items():
        module_file = os.path.join(config["work"], module_name + ".py")
        try:
            spec = importlib.util.spec_from_file_location(module_name, module_file)
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        except BaseException as exc:  # anything at import time is the learner's to fix
            sys.modules.pop(module_name, None)
            channel.send("load_error", message=describe_load_error(exc, places, module_file))
            return False
        missing = [name for name in expected if not hasattr(module, name)]
        if missing:
            channel.send("load_error", message=describe_missing(module_file, missing))
            return False
    return True


def serve(sock_fd: int) -> None:
    """The fork server: imports what every run needs once, then forks a child per request."""
    import socket
    import tempfile

    import pytest_timeout  # noqa: F401 -- warm what every run imports
    from _pytest.config import default_plugins

    import harness.plugin  # noqa: F401

    for name in default_plugins:
        importlib.import_module(f"_pytest.{name}")

    server = socket.socket(fileno=sock_fd)
    server.send(json.dumps({"ready": True}).encode())
    while True:
        try:
            data, fds, _flags, _addr = socket.recv_fds(server, 65536, 1)
        except OSError:
            return
        if not data:
            return
        request = json.loads(data)
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
                main(request["config"], channel_fd=fds[0])
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
