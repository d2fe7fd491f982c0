"""A grader prepared once for a batch worker and forked per run: the parent's end
(`ForkServer`); the grader process's end is `harness.grader_forks`."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
from pathlib import Path

from harness import busy, sandbox, strays
from harness.catalog import Kata
from harness.errors import HarnessError
from harness.grader_layout import SUITES, Grader


class ForkServer:
    """A grader prepared once for a batch worker: it has imported pytest and the harness and
    collected the kata's suites (against the stub's mirrors), and forks one grader per run.

    Starting Python, importing pytest and collecting are most of a small run's cost; a batch
    pays them once per worker instead of once per submission. Each run still gets a grader
    process of its own (forked, in a session of its own) and a learner side of its own
    (a fresh zygote in a fresh sandbox), with its own limits and guards. Under bubblewrap
    the server itself is sandboxed, with `scratch` its only writable place; runs are made
    in `scratch` one at a time and removed after.
    """

    def __init__(self, kata: Kata, scratch: Path, isolation: str = "auto",
                 hide: tuple[Path, ...] = (), env: dict[str, str] | None = None,
                 suites: tuple[str, ...] = SUITES, limits: sandbox.Limits | None = None
                 ) -> None:
        self.scratch = Path(scratch).resolve()
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.limits = limits or sandbox.Limits(wall=kata.timeout.total, test=kata.timeout.test)
        folder = self.scratch / "grader"
        folder.mkdir(mode=0o700)
        for name in ("home", "tmp"):
            (folder / name).mkdir()
        self.grader = Grader.lay_out(kata, folder, suites, self.limits)
        setup = folder / "setup.json"
        setup.write_text(json.dumps(self.grader.setup(self.limits)), encoding="utf-8")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = sandbox.python_command("harness.grader_forks",
                                         "serve(int(sys.argv[1]), sys.argv[2])",
                                         str(theirs.fileno()), str(setup))
        wrapper = sandbox.Wrapper.choose(isolation)
        network = (env or {}).get("KATA_DB") == "postgresql"
        command = wrapper.wrap(command, run_dir=self.scratch, hide=list(hide), network=network,
                               workdir=self.grader.suite)
        self.isolation = wrapper.kind
        try:
            self.process = strays.start(
                command, cwd=self.grader.suite, env=sandbox.child_env(str(folder), env),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, pass_fds=(theirs.fileno(),), start_new_session=True)
        finally:
            theirs.close()
        self.socket = ours
        self.socket.settimeout(60)
        try:
            ready = self._receive()
        except (OSError, HarnessError, ValueError):
            ready = {}
        if ready.get("ready") is not True:
            self.close()
            raise HarnessError("the prepared grader did not start: "
                               + str(ready.get("problem") or "it stopped before collecting"))

    def _send(self, message: dict, fds: tuple[int, ...] = ()) -> None:
        data = json.dumps(message).encode()
        if fds:
            socket.send_fds(self.socket, [data], list(fds))
        else:
            self.socket.send(data)

    def _receive(self, timeout: float | None = 60) -> dict:
        self.socket.settimeout(timeout)
        data = self.socket.recv(65536)
        if not data:
            raise HarnessError("the fork server stopped")
        return json.loads(data)

    def run(self, config_path: Path, fds: tuple[int, ...], output_path: Path,
            env: dict[str, str], wall: float) -> tuple[int | None, bool]:
        """Forks one run (handing it the channel and the learner side's control socket);
        returns its exit code and whether it had to be killed."""
        try:
            self._send({"config": str(config_path), "output": str(output_path), "env": env},
                       fds)
        finally:
            for fd in fds:
                os.close(fd)
        self._receive()  # {"pid": ...}: the run has started
        patience = busy.Patience.of(wall)
        while True:
            try:
                return self._receive(timeout=max(patience.remaining(), 0.01)).get("exit"), False
            except TimeoutError:
                if not patience.extend():
                    break
        self._send({"kill": True})
        return self._receive().get("exit"), True

    def close(self) -> None:
        try:
            self.socket.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        strays.release(self.process)
        strays.sweep()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
