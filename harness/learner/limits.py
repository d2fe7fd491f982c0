"""Resource limits a process applies to itself before any learner code runs."""

from __future__ import annotations

import os
import signal
import sys

UNPRIVILEGED_UID = 65534  # "nobody": who the learner's code runs as when the harness is root


def apply(limits: dict) -> None:
    """Caps CPU seconds, address space, file size, open files and core dumps."""
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

    cap(resource.RLIMIT_CPU, int(limits.get("cpu", int(limits["wall"]) + 10)))
    cap(resource.RLIMIT_AS, int(limits["memory"]))
    cap(resource.RLIMIT_FSIZE, int(limits["file_size"]))
    cap(resource.RLIMIT_NOFILE, int(limits["open_files"]))
    cap(resource.RLIMIT_CORE, 0)
    # Past the file size limit a write should fail with an error, not kill the run silently.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def drop_privileges() -> None:
    """Run as an unprivileged user when started as root (CI runs as root)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.setgroups([])
        os.setgid(UNPRIVILEGED_UID)
        os.setuid(UNPRIVILEGED_UID)
