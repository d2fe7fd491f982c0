"""A learner process holding one implementation for `compare` (the parent's end of
`harness.learner.sequences`): it runs operation sequences and benchmarks on request."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import IO

from harness import sandbox, strays
from harness.catalog import Kata
from harness.errors import HarnessError
from harness.grader_layout import hidden_from_child


class Worker:
    """A learner process holding one implementation, answering requests one at a time (for
    `compare`: operation sequences and benchmarks), under the run's limits and sandbox."""

    def __init__(self, kata: Kata, files: dict[str, Path], *, timeout: float = 5.0,
                 isolation: str = "auto") -> None:
        self.kata = kata
        self.wrapper = sandbox.Wrapper.choose(isolation)
        self.files = files
        self.timeout = timeout
        self._tmp = tempfile.TemporaryDirectory(prefix="kata-worker-")
        self.run_dir = Path(self._tmp.name).resolve()
        self._start()

    def _start(self) -> None:
        work = self.run_dir / "work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        for name, source in self.files.items():
            shutil.copyfile(source, work / name)
        (self.run_dir / "home").mkdir(exist_ok=True)
        (self.run_dir / "tmp").mkdir(exist_ok=True)
        limits = sandbox.Limits(wall=3600, test=self.timeout)
        config = {"work": str(work), "run_dir": str(self.run_dir),
                  # the kata's Python files, and a model's driver when it comes with them
                  "modules": [n[:-3] for n in self.files if n.endswith(".py")],
                  "hidden": [str(p) for p in hidden_from_child(self.kata)],
                  "allow_processes": self.kata.processes, "limits": limits.to_dict()}
        command = sandbox.python_command("harness.learner.sequences", "main(sys.argv[1])",
                                         json.dumps(config))
        command = self.wrapper.wrap(command, run_dir=self.run_dir,
                                    hide=hidden_from_child(self.kata), workdir=work)
        self.process = strays.start(
            command, cwd=work, env=sandbox.child_env(str(self.run_dir)), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True,
            text=True, bufsize=1)
        if self.process.stdin is None or self.process.stdout is None:
            raise HarnessError("the implementation's process was started without its pipes")
        self._requests: IO[str] = self.process.stdin
        self._replies: IO[str] = self.process.stdout
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(self._replies, self._lines),
                         daemon=True).start()

    @staticmethod
    def _read(replies: IO[str], lines: queue.Queue[str | None]) -> None:
        for line in replies:
            lines.put(line)
        lines.put(None)

    def ask(self, request: dict, timeout: float | None = None) -> dict | None:
        """Sends one request; None when the implementation hung or died (it is restarted)."""
        try:
            self._requests.write(json.dumps(request) + "\n")
            self._requests.flush()
            line = self._lines.get(timeout=timeout or self.timeout)
        except (OSError, queue.Empty):
            line = None
        if line is None:
            self.restart()
            return None
        return json.loads(line)

    def restart(self) -> None:
        self._stop()
        self._start()

    def _stop(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        strays.release(self.process)
        strays.sweep()
        for stream in (self._requests, self._replies):
            with contextlib.suppress(OSError):
                stream.close()

    def close(self) -> None:
        self._stop()
        self._tmp.cleanup()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
