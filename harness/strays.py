"""Processes the harness starts, and the ones it did not that must not outlive a run.

Learner code can leave a process behind on purpose: a `setsid` daemon is in no process
group the runner kills, and waits for the run to end to rewrite its reports. Under
bubblewrap the run's PID namespace ends them all; without it, this process becomes a
child subreaper (Linux), so that whatever a run orphans is re-parented here rather
than to init, and `sweep()` kills every child of ours that the harness did not start.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

_PR_SET_CHILD_SUBREAPER = 36
_lock = threading.Lock()
_ours: set[int] = set()
_subreaper: bool | None = None


def start(command: list[str], **options: object) -> subprocess.Popen:
    """Popen, with the new process counted as the harness's own until `release`."""
    _become_subreaper()
    with _lock:  # a sweep in another thread never sees it started but not yet counted
        process = subprocess.Popen(command, **options)  # type: ignore[call-overload]
        _ours.add(process.pid)
    return process


def release(process: subprocess.Popen) -> None:
    with _lock:
        _ours.discard(process.pid)


@contextlib.contextmanager
def started(command: list[str], **options: object) -> Iterator[subprocess.Popen]:
    process = start(command, **options)
    try:
        yield process
    finally:
        release(process)


def stop_all() -> int:
    """Kills every process the harness started and has not released, with its process
    group (a run starts each in a session of its own): what a run in progress is made of,
    so the run ends at once as if it had been killed. How `kata watch` cancels a check.
    Returns how many it signalled."""
    with _lock:
        pids = sorted(_ours)
    for pid in pids:
        for kill in (os.killpg, os.kill):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                kill(pid, signal.SIGKILL)
    return len(pids)


def sweep(seconds: float = 2.0) -> int:
    """Kills every child of this process that the harness did not start and that is not
    in our process group (with what they started, as those are re-parented here in
    turn); returns how many it killed."""
    if not _subreaper:
        return 0
    killed = 0
    deadline = time.monotonic() + seconds
    while True:
        with _lock:
            strays = [pid for pid in _children() if pid not in _ours and _foreign(pid)]
            for pid in strays:
                for kill in (os.killpg, os.kill):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        kill(pid, signal.SIGKILL)
        for pid in strays:
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(pid, os.WNOHANG)[0]:
                    killed += 1
        if not strays or time.monotonic() > deadline:
            return killed
        time.sleep(0.01)


def _become_subreaper() -> None:
    global _subreaper
    if _subreaper is not None:
        return
    _subreaper = False
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            _subreaper = libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def _foreign(pid: int) -> bool:
    """Whether a child is in a process group other than ours: what the harness runs
    itself in passing (git, the bubblewrap probe) shares our group; what learner code
    left is in its run's session, which it cannot leave for ours."""
    try:
        return os.getpgid(pid) != os.getpgrp()
    except ProcessLookupError:
        return False
    except OSError:
        return True


def _children() -> list[int]:
    """This process's children, zombies included, from /proc."""
    ours = os.getpid()
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == ours:
            found.append(int(entry.name))
    return found
