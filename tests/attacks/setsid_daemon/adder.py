"""Leaves a daemon behind: forked through libc (no audit event), in a session of its own, so
no process group the harness kills holds it. Under bubblewrap the run's PID namespace ends
it; without, the harness must find and kill it before the run is over."""

import ctypes

_libc = ctypes.CDLL(None)
if _libc.fork() == 0:  # only libc from here on: no Python runtime after a raw fork
    _libc.setsid()
    if _libc.fork() == 0:
        _libc.sleep(60)
    _libc._exit(0)


def add(a: int, b: int) -> int:
    return a + b


def sub(a: int, b: int) -> int:
    return a + b  # wrong, so that the run does not pass
