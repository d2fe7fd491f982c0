"""Which learner process a helper of harness.testkit talks to: the one a handle belongs to,
the one `learner_process` gave, or the run's current one."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any


def boundary() -> Any:
    from harness.boundary import frontier

    if frontier.active is None:
        raise RuntimeError("this helper works in a grading run (kata check), where the "
                           "learner's code runs in a process of its own")
    return frontier.active


def is_mirror(target: Any) -> bool:
    return bool(getattr(target, "__kata_mirror__", False))


def learner(process: Any = None) -> Any:
    """The learner process of `process`: a handle (an object of the learner's), a
    process from `learner_process` (`.process`), or None for the current one."""
    from harness.boundary.mirror import Handle, learner_of
    from harness.boundary.peer import Learner

    if isinstance(process, Learner):
        return process
    if isinstance(process, Handle):
        return learner_of(process)
    inner = vars(process).get("process") if isinstance(process, SimpleNamespace) else None
    if isinstance(inner, Learner):
        return inner
    return boundary().current()


def probe(name: str, *args: Any, process: Any = None) -> Any:
    """Runs `harness.learner.probes.<name>(*args)` in the learner process of `process`."""
    return learner(process).probe(name, args)
