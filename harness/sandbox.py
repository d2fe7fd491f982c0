"""Limits for the child that runs a learner's code: time, CPU, memory, files, output,
environment."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from harness import busy
from harness.errors import UsageError
from harness.learner import limits as learner_limits

MiB = 1024 * 1024

# Variables a test run may see; everything else (tokens, CI secrets, HOME) stays behind.
_PASSED_THROUGH = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT")


@dataclass(frozen=True)
class Limits:
    """What one run may use. `wall` is enforced by the parent, the rest inside the child."""

    wall: float = 60.0  # seconds for the whole run; the process group is killed after it
    test: float = 5.0  # seconds per test (pytest-timeout)
    memory: int = 4096 * MiB  # address space
    file_size: int = 64 * MiB  # largest file the child may write (captured output included)
    open_files: int = 512
    disk: int = 256 * MiB  # all the learner side may write in a run, its private /tmp included

    @property
    def cpu(self) -> int:
        """CPU seconds: a little over the longest the wall limit can stretch on a busy machine
        (harness.busy), so a CPU-bound loop ends even if unwatched, and never before the
        parent's own timeout would have ended it."""
        return int(self.wall + busy.backstop(self.wall)) + 10

    def to_dict(self) -> dict:
        return {**asdict(self), "cpu": self.cpu}


def child_env(run_dir: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Builds the child's environment from scratch: no secrets, HOME inside the run."""
    env = {name: os.environ[name] for name in _PASSED_THROUGH if name in os.environ}
    env.setdefault("PATH", os.defpath)
    home = os.path.join(run_dir, "home")
    env.update(
        HOME=home,
        TMPDIR=os.path.join(run_dir, "tmp"),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONIOENCODING="utf-8",
        PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
    )
    env.update(extra or {})
    return env


def apply_in_child(limits: dict) -> None:
    """Applies resource limits to the current process; called before the learner's code loads."""
    learner_limits.apply(limits)


#: the folder that holds the `harness` package this process loaded
HARNESS_ROOT = str(Path(__file__).resolve().parent.parent)


def python_command(module: str, call: str, *args: str) -> list[str]:
    """The command that runs `module.call` of the harness in a fresh, isolated interpreter
    with `args` in sys.argv. The child imports the harness from wherever this one was
    loaded, then forgets that path so the learner's code cannot use it to reach the
    catalog and the solutions."""
    package, _, name = module.rpartition(".")
    code = (f"import sys; sys.path.insert(0, {HARNESS_ROOT!r}); from {package} import {name}; "
            f"sys.path.remove({HARNESS_ROOT!r}); {name}.{call}")
    return [sys.executable, "-I", "-c", code, *args]


ISOLATIONS = ("auto", "bwrap", "none")


@functools.lru_cache(maxsize=1)
def bwrap_works() -> bool:
    """Whether bubblewrap is installed and allowed to make namespaces on this machine."""
    executable = shutil.which("bwrap")
    if executable is None:
        return False
    try:
        probe = subprocess.run([executable, "--ro-bind", "/", "/", "--unshare-all",
                                "--die-with-parent", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


@dataclass(frozen=True)
class Wrapper:
    """How the child is started: directly, or inside bubblewrap (the strong mode)."""

    kind: str = "none"

    @classmethod
    def choose(cls, isolation: str) -> Wrapper:
        if isolation not in ISOLATIONS:
            raise UsageError(f"unknown sandbox '{isolation}'; use one of: {', '.join(ISOLATIONS)}")
        if isolation == "none":
            return cls("none")
        if bwrap_works():
            return cls("bwrap")
        if isolation == "bwrap":
            raise UsageError("--sandbox bwrap needs bubblewrap, and it is not installed or not "
                             "allowed here (Debian/Ubuntu: apt-get install bubblewrap)")
        return cls("none")

    def wrap(self, command: list[str], *, run_dir: Path, hide: list[Path],
             network: bool = False, workdir: Path | None = None,
             private: Path | None = None) -> list[str]:
        """Returns the command that starts the child under this wrapper. `run_dir` is its one
        writable folder; `private`, a folder around it the child must not see the rest of."""
        if self.kind == "none":
            return command
        run = str(run_dir)
        args = [shutil.which("bwrap") or "bwrap", "--ro-bind", "/", "/", "--dev", "/dev",
                "--proc", "/proc", "--size", str(_PRIVATE_TMP), "--tmpfs", "/tmp"]
        needed = _needed_paths()
        # The private /tmp hides everything under it: bring back, read-only, what the child
        # needs to run (an interpreter, the harness or packages living in /tmp).
        tmp = Path("/tmp").resolve()
        for path in sorted({p for p in needed if _within(p, tmp) and p != tmp and p.exists()}):
            args += ["--ro-bind", str(path), str(path)]
        if private is not None and not _within(Path(private).resolve(), tmp):
            args += ["--tmpfs", str(Path(private).resolve())]
        args += ["--bind", run, run]
        for folder in hide:
            folder = folder.resolve()
            if folder.is_dir() and not any(_within(n, folder) for n in [*needed, run_dir]):
                args += ["--tmpfs", str(folder)]
        args += ["--unshare-all", "--die-with-parent", "--new-session",
                 "--chdir", str(workdir or run_dir / "work")]
        if network:  # a PostgreSQL kata talks to the server over the host's loopback
            args.append("--share-net")
        return [*args, "--", *command]


_PRIVATE_TMP = 64 * MiB  # the sandbox's own /tmp (the learner's TMPDIR is in its run folder)


class DiskWatch(threading.Thread):
    """Watches how much a folder holds while a run goes on; past `limit` bytes (or a
    hundred thousand entries) it calls `exceeded` once. RLIMIT_FSIZE caps one file only:
    many files below it would fill the disk that every other run writes to."""

    INTERVAL = 0.05
    MAX_ENTRIES = 100_000

    def __init__(self, folder: Path, limit: int, exceeded: Callable[[str], None]) -> None:
        super().__init__(daemon=True, name="kata-disk-watch")
        self.folder, self.limit, self.exceeded = str(folder), limit, exceeded
        self.reason: str | None = None
        self._ended = threading.Event()

    def run(self) -> None:
        while not self._ended.wait(self.INTERVAL):
            used, entries = _usage(self.folder, self.limit, self.MAX_ENTRIES)
            if used > self.limit or entries > self.MAX_ENTRIES:
                self.reason = (f"your code wrote more than {self.limit // MiB} MiB to disk"
                               if used > self.limit else
                               f"your code made more than {self.MAX_ENTRIES:,} files")
                self.exceeded(self.reason)
                return

    def stop(self) -> None:
        self._ended.set()
        self.join(5)


def _usage(folder: str, limit: int, max_entries: int) -> tuple[int, int]:
    """Bytes on disk and entries under `folder`, counting no further than the limits."""
    used, entries, pending = 0, 0, [folder]
    while pending and used <= limit and entries <= max_entries:
        try:
            scan = os.scandir(pending.pop())
        except OSError:
            continue
        with scan:
            for entry in scan:
                entries += 1
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                used += max(info.st_blocks * 512, 0)
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
    return used, entries


def _needed_paths() -> list[Path]:
    """What the child cannot run without: the interpreter, its packages, the harness."""
    paths = [sys.prefix, sys.base_prefix, str(Path(__file__).resolve().parent.parent)]
    paths += [p for p in sys.path if p]
    return [Path(p).resolve() for p in paths]


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
