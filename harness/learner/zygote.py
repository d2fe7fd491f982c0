"""The first process on the learner's side: limits itself, imports the server once, then
forks a fresh learner process whenever the grader asks for one.

Requests arrive on a control socket (one JSON object per packet): `fork` (answered with
the new process's id and, as an attached file descriptor, the grader's end of its
socket), `kill`, `status` and `cpu` (the CPU time a learner process has used). The
zygote leads a process group (a session under bubblewrap) that its learner processes
stay in, so that the harness kills all of them at once when the run ends. With `env`, the
fork starts a fresh interpreter (a different PYTHONHASHSEED needs one).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time

from harness.learner import limits, server

_BOOT = ("import sys; sys.path.insert(0, {root!r}); from harness.learner import zygote; "
         "sys.path.remove({root!r}); zygote.serve_one(int(sys.argv[1]), sys.argv[2])")


def main(control_fd: int, config_json: str) -> None:
    config = json.loads(config_json)
    limits.apply(config["limits"])
    if config.get("drop_privileges"):
        limits.drop_privileges()
    control = socket.socket(fileno=control_fd)
    children: set[int] = set()
    try:
        control.send(json.dumps({"ready": os.getpid()}).encode())
        while True:
            data = control.recv(65536)
            if not data:
                return
            request = json.loads(data)
            if "fork" in request:
                pid, theirs = _fork(control, config, config_json, request["fork"] or {})
                children.add(pid)
                try:
                    socket.send_fds(control, [json.dumps({"pid": pid}).encode()],
                                    [theirs.fileno()])
                finally:
                    theirs.close()
            elif "kill" in request:
                _kill(request["kill"])
                control.send(json.dumps({"status": _status(request["kill"], 10.0)}).encode())
            elif "cpu" in request:
                control.send(json.dumps({"status": _cpu_ticks(request["cpu"])}).encode())
            elif "status" in request:
                status = _status(request["status"], float(request.get("wait", 0)))
                control.send(json.dumps({"status": status}).encode())
    except (OSError, ValueError):
        return
    finally:
        for pid in children:
            _kill(pid)
        os._exit(0)


def _fork(control: socket.socket, config: dict, config_json: str,
          request: dict) -> tuple[int, socket.socket]:
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        try:
            control.close()
            theirs.close()
            if request.get("file_size"):
                import resource

                size = int(request["file_size"])
                resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
                if request.get("die_on_file_size"):  # past it the process dies, as in a crash
                    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
            if request.get("env"):
                os.set_inheritable(ours.fileno(), True)
                env = {**os.environ, **{str(k): str(v) for k, v in request["env"].items()}}
                os.execve(sys.executable, [sys.executable, "-I", "-c",
                                           _BOOT.format(root=config["root"]),
                                           str(ours.fileno()), config_json], env)
            server.main(ours, config)
        except BaseException:  # a bug of the harness's: leave its trace in learner.out
            import traceback

            os.write(2, traceback.format_exc().encode("utf-8", "replace"))
        finally:
            os._exit(70)
    ours.close()
    return pid, theirs


def serve_one(fd: int, config_json: str) -> None:
    """A learner process started as a fresh interpreter (by a fork asked to with `env`)."""
    server.main(socket.socket(fileno=fd), json.loads(config_json))


def _cpu_ticks(pid: int) -> int | None:
    """CPU time the process has used so far (all its threads), in clock ticks."""
    try:
        with open(f"/proc/{int(pid)}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, ValueError, IndexError):
        return None


def _kill(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _status(pid: int, wait: float) -> int | None:
    """The exit code (negative: the signal) once the process has ended, else None."""
    deadline = time.monotonic() + wait
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.01)
