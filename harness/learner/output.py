"""What the learner's code prints: kept here, capped, until the next message to the grader
carries it (the grader's side shows it as the test's output).

A flood keeps its head and its tail, and says how much was printed in all: the first and
the last lines are where a learner looks for what went wrong, and the volume is often the
cause itself."""

from __future__ import annotations

import threading
from typing import Any

OUTPUT_LIMIT = 64 * 1024  # characters of printed output kept per message: half head, half tail
_HALF = OUTPUT_LIMIT // 2
# how the grader's side learns the volume of a flood (harness.feedback.cut_output reads it)
CUT_MARK = "[output cut: {total:,} characters printed in all]"


class Output:
    """Stands in for sys.stdout and sys.stderr: keeps what the learner prints (the first
    and the last characters of a flood, and its size) until the next message to the
    grader carries it."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._head: list[str] = []
        self._head_size = 0
        self._tail: list[str] = []
        self._tail_size = 0
        self._total = 0

    def write(self, text: Any) -> int:
        text = str(text)
        written = len(text)
        with self._lock:
            self._total += len(text)
            room = _HALF - self._head_size
            if room > 0:
                self._head.append(text[:room])
                self._head_size += min(room, len(text))
                text = text[room:]
            if text:
                self._tail.append(text[-_HALF:])
                self._tail_size += min(len(text), _HALF)
                while self._tail_size - len(self._tail[0]) >= _HALF:
                    self._tail_size -= len(self._tail.pop(0))
        return written

    def drain(self) -> str:
        with self._lock:
            if not self._total:
                return ""
            head, tail, total = "".join(self._head), "".join(self._tail), self._total
            self._reset()
        if len(head) + len(tail) >= total:
            return head + tail
        tail = tail[-_HALF:]
        return f"{head}\n{CUT_MARK.format(total=total)}\n{tail}"

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True
