"""A guard installed in the learner's process before its code loads (see docs/security.md).

The process boundary is the defence: the tests, the catalog and the grader are not
in this process, and under bubblewrap not even visible. This audit hook (PEP 578)
is a second, weaker line for the runs without bubblewrap: it refuses reading the
catalog's suites and solutions, writing or deleting outside the run directory,
starting processes (unless the kata needs them), signalling other processes (but its own
children, in a kata that starts processes), and
talking to hosts beyond loopback. It judges every event of the process, whatever is on
the stack. Code in the process can still get around an audit hook (ctypes, raw
system calls); what that buys is written in docs/security.md.
"""

from __future__ import annotations

import ipaddress
import os
import sys
import threading
import types
from collections.abc import Callable

_FILE_EVENTS = {
    "os.remove": 1, "os.rmdir": 1, "os.mkdir": 1, "os.chmod": 1, "os.chown": 1,
    "os.truncate": 1, "os.utime": 1, "os.symlink": 2, "os.link": 2, "os.rename": 2,
    "shutil.rmtree": 1, "shutil.copyfile": 2, "shutil.move": 2,
}
_LISTING_EVENTS = {"os.listdir", "os.scandir", "glob.glob", "os.walk"}
_PROCESS_EVENTS = {"subprocess.Popen", "os.system", "os.fork", "os.forkpty", "os.posix_spawn",
                   "os.spawn", "os.exec", "pty.spawn", "os.startfile"}
_SOCKET_EVENTS = {"socket.connect", "socket.sendto", "socket.bind"}
_WATCHED = frozenset({"open", "os.kill", "os.killpg", *_FILE_EVENTS, *_LISTING_EVENTS,
                      *_PROCESS_EVENTS, *_SOCKET_EVENTS})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _is_child(pid: object) -> bool:
    """Whether `pid` is a child of this process: a kata that starts processes may stop its
    own (`multiprocessing.Pool.terminate`, `Process.kill`, which a `with Pool()` block calls
    on every exit), never anyone else's. Read from /proc; where there is none, no."""
    if type(pid) is not int or pid <= 0:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rpartition(b")")[2].split()
        return int(fields[1]) == os.getpid()
    except (OSError, ValueError, IndexError):
        return False


class Guard:
    """Decides, for each audited event, whether the learner's code may go on."""

    def __init__(self, work: str, run_dir: str, hidden: list[str], allow_processes: bool,
                 report: Callable[[str], None]) -> None:
        self.work = os.path.realpath(work)
        self.run_dir = os.path.realpath(run_dir)
        self.hidden = [os.path.realpath(p) for p in hidden]
        self.allow_processes = allow_processes
        self.report = report
        self._busy = threading.local()
        self._getframe = sys._getframe

    # -- the hook --------------------------------------------------------------------------

    def __call__(self, event: str, args: tuple) -> None:
        if event not in _WATCHED or getattr(self._busy, "on", False):
            return
        self._busy.on = True
        try:
            self._check(event, args)
        finally:
            self._busy.on = False

    def _check(self, event: str, args: tuple) -> None:
        # Everything in this process after the guard is installed runs for the learner's code,
        # whoever is on the stack: a thread whose target is os.system has no learner frame.
        if event == "open":
            self._check_open(args)
        elif event in _FILE_EVENTS:
            for path in args[: _FILE_EVENTS[event]]:
                self._refuse_outside(path, event)
        elif event in _LISTING_EVENTS:
            self._refuse_hidden(args[0] if args else ".", "list")
        elif event in _PROCESS_EVENTS:
            if not self.allow_processes:
                self._refuse(f"starting a process ({event})")
        elif event in ("os.kill", "os.killpg"):
            if args and args[0] not in (0, os.getpid()) and not (
                    event == "os.kill" and self.allow_processes and _is_child(args[0])):
                self._refuse(f"signalling another process ({event} {args[0]})")
        elif event in _SOCKET_EVENTS:
            self._check_address(args[1] if len(args) > 1 else None, event)

    # -- the rules -------------------------------------------------------------------------

    def _refuse(self, what: str) -> None:
        raise PermissionError(f"not allowed while grading: {what}")

    def _check_open(self, args: tuple) -> None:
        path, mode, flags = (tuple(args) + (None, None, None))[:3]
        if isinstance(path, int):
            return
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS)
        if writing and mode is None and not os.path.isabs(os.fsdecode(os.fspath(path))):
            # os.open(name, dir_fd=d) resolves against d, which the event does not say
            self._refuse(f"write {os.fspath(path)!s} by a relative path with os.open "
                         "(give an absolute path)")
        if writing:
            self._refuse_outside(path, "write")
        else:
            self._refuse_hidden(path, "read", quiet=self._from_linecache())

    def _resolve(self, path) -> str:
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        return os.path.realpath(os.fspath(path))

    def _inside(self, path: str, folder: str) -> bool:
        return path == folder or path.startswith(folder + os.sep)

    def _refuse_outside(self, path, what: str) -> None:
        if path is None or isinstance(path, int):
            return
        resolved = self._resolve(path)
        if not self._inside(resolved, self.run_dir) or self._is_hidden(resolved):
            self._refuse(f"{what} {os.fspath(path)!s} (outside the run directory)")

    def _is_hidden(self, resolved: str) -> bool:
        return any(self._inside(resolved, folder) for folder in self.hidden)

    def _refuse_hidden(self, path, what: str, quiet: bool = False) -> None:
        if path is None or isinstance(path, int):
            return
        if self._is_hidden(self._resolve(path)):
            if not quiet:
                self.report(f"your code tried to {what} the hidden tests or the solutions")
            self._refuse(f"{what} {os.fspath(path)!s}")

    def _from_linecache(self) -> bool:
        """A stack trace printed by honest code reads test sources through linecache."""
        frame: types.FrameType | None = self._getframe(4)
        for _ in range(4):
            if frame is None:
                return False
            if os.path.basename(frame.f_code.co_filename) in ("linecache.py", "tokenize.py"):
                return True
            frame = frame.f_back
        return False

    def _check_address(self, address, event: str) -> None:
        if isinstance(address, tuple) and address:
            host = address[0]
            if host in ("", "localhost"):
                return
            try:
                if ipaddress.ip_address(host.split("%")[0]).is_loopback:
                    return
            except ValueError:
                pass
            self._refuse(f"network access to {host} ({event}); only loopback is allowed")
        elif isinstance(address, (str, bytes)):
            self._refuse_outside(address, "socket")


def install(guard: Guard) -> None:
    """Installs the guard for the rest of the process's life (audit hooks cannot be removed)."""
    sys.addaudithook(guard)
