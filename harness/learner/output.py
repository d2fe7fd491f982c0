"""What the learner's code prints: kept here, capped, until the next message to the grader
carries it (the grader's side shows it as the test's output)."""

from __future__ import annotations

import threading
from typing import Any

OUTPUT_LIMIT = 64 * 1024  # characters of printed output kept per process


class Output:
    """Stands in for sys.stdout and sys.stderr: keeps what the learner prints, capped, until
    the next message to the grader carries it."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._lock = threading.Lock()
        self._kept = 0
        self._cut = False

    def write(self, text: Any) -> int:
        text = str(text)
        with self._lock:
            room = OUTPUT_LIMIT - self._kept
            if len(text) > room:
                if not self._cut:
                    self._parts.append(text[:max(room, 0)] + "\n[output cut]\n")
                    self._cut = True
                self._kept = OUTPUT_LIMIT
            else:
                self._parts.append(text)
                self._kept += len(text)
        return len(text)

    def drain(self) -> str:
        if not self._parts:
            return ""
        with self._lock:
            text, self._parts = "".join(self._parts), []
        return text

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True
