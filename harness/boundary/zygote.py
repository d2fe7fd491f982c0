"""The grader's end of the control socket to the learner side's zygote
(`harness.learner.zygote`), which forks the run's learner processes."""

from __future__ import annotations

import json
import socket
import threading
from typing import Any


class Zygote:
    """The grader's end of the control socket to the learner side's zygote."""

    def __init__(self, fd: int) -> None:
        self.socket = socket.socket(fileno=fd)
        self._lock = threading.Lock()
        self.socket.settimeout(30)
        ready = json.loads(self.socket.recv(65536) or b"{}")
        if "ready" not in ready:
            raise OSError("the learner's zygote did not start")

    def fork(self, **options: Any) -> tuple[int, socket.socket]:
        with self._lock:
            self.socket.send(json.dumps({"fork": options}).encode())
            data, fds, _flags, _addr = socket.recv_fds(self.socket, 65536, 1)
        if not data or not fds:
            raise OSError("the learner's zygote did not fork")
        return json.loads(data)["pid"], socket.socket(fileno=fds[0])

    def kill(self, pid: int) -> int | None:
        return self._ask({"kill": pid})

    def status(self, pid: int, wait: float = 0.0) -> int | None:
        return self._ask({"status": pid, "wait": wait})

    def cpu(self, pid: int) -> int | None:
        """Clock ticks of CPU the learner process has used (None: it is gone)."""
        return self._ask({"cpu": pid})

    def _ask(self, request: dict) -> int | None:
        try:
            with self._lock:
                self.socket.send(json.dumps(request).encode())
                return json.loads(self.socket.recv(65536) or b"{}").get("status")
        except (OSError, ValueError):
            return None
