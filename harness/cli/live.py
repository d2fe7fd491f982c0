"""That a command is working: a spinner with the time spent, on a terminal only.

A check or a verify can take a while; a screen that stays still for a minute looks hung.
`Live` draws one line on standard error, redrawn ten times a second, and erases it when the
work ends; lines printed through `note` go above it. When standard error is not a terminal
(piped, a CI log) or the output is JSON, it draws nothing and `note` prints nothing, so what
a program reads is the same as before.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TextIO

_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_INTERVAL = 0.1


class Live:
    def __init__(self, label: str, *, enabled: bool = True, stream: TextIO | None = None
                 ) -> None:
        self.stream = stream or sys.stderr
        self.label = label
        self.active = enabled and self.stream.isatty()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._began = time.monotonic()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Live:
        if self.active:
            self._thread = threading.Thread(target=self._spin, daemon=True, name="kata-live")
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            with self._lock:
                self._erase()

    def note(self, text: str) -> None:
        """Prints a line above the spinner (on a terminal only)."""
        if not self.active:
            return
        with self._lock:
            self._erase()
            self.stream.write(text + "\n")
            self.stream.flush()

    def _spin(self) -> None:
        frame = 0
        while not self._stop.wait(_INTERVAL):
            elapsed = time.monotonic() - self._began
            with self._lock:
                self.stream.write(f"\r\x1b[2K{_FRAMES[frame % len(_FRAMES)]} {self.label} "
                                  f"· {elapsed:.0f} s")
                self.stream.flush()
            frame += 1

    def _erase(self) -> None:
        self.stream.write("\r\x1b[2K")
        self.stream.flush()
