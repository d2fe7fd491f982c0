"""Limits for the child that runs a learner's code: time, CPU, memory, files, output, environment."""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import asdict, dataclass

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

    @property
    def cpu(self) -> int:
        """CPU seconds: a little over the wall limit, so a CPU-bound loop ends even if unwatched."""
        return int(self.wall) + 10

    def to_dict(self) -> dict:
        return asdict(self)


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
    if sys.platform == "win32":  # pragma: no cover -- resource limits are POSIX only
        return
    import resource

    def cap(kind: int, value: int) -> None:
        soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):  # pragma: no cover -- platform refuses this limit
            pass

    cap(resource.RLIMIT_CPU, int(limits["wall"]) + 10)
    cap(resource.RLIMIT_AS, int(limits["memory"]))
    cap(resource.RLIMIT_FSIZE, int(limits["file_size"]))
    cap(resource.RLIMIT_NOFILE, int(limits["open_files"]))
    cap(resource.RLIMIT_CORE, 0)
    # Past the file size limit a write should fail with an error, not kill the run silently.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
