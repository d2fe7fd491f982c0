"""Trusted helpers that hidden suites run inside the learner's process, by name.

Some mistakes only show inside the process that makes them: a returned object that
is the store's own (an edit changes the store), ids drawn from `random` (predictable
once it is seeded). Values cross the boundary as copies, so a suite asks for one of
these functions instead (`harness.testing.in_learner`). Each takes and returns plain
data or the learner's objects; none is written by the learner.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import random
import sys
import threading
import time
import traceback
from typing import Any

__all__ = ["call_with_large_bytes", "edit_result", "seed_random", "time_against_dict",
           "function", "hold", "within", "cpu_seconds", "thread_stacks", "module_source",
           "module_globals", "loaded_modules", "log_lines", "network_step", "calls_at",
           "allocated_blocks", "call_numbered", "durability_calls"]

#: set by the learner's peer when it loads the learner's files: `work` (their folder) and
#: `before_load` (the modules this process had imported before them)
context: dict[str, Any] = {}


def seed_random(seed: int) -> None:
    """Seeds the `random` module of the learner's process."""
    random.seed(seed)


def time_against_dict(obj: Any, methods: list, weights: list, keys: int, operations: int,
                      seed: int, limit: float, rounds: int = 3) -> dict:
    """Times a mix of operations on `obj` against the same on a plain dict, here: the O(1)
    check of a mapping, as a ratio that a loaded machine changes on both sides alike.

    `methods` holds `[name, dict_name, arity]` entries: `obj.name` and the dict's
    `dict_name` called with a key (arity 1) or a key and a value (arity 2, the key again).
    `operations` calls are drawn with `random.Random(seed)`: the method by `weights`, the
    key among the ints `range(keys)`; the dict holds every key from the start. Rounds
    alternate the dict and `obj`, up to `rounds`, until one is within `limit` times the
    dict's time; a run of `obj` past twice the limit (and 0.2 s) at one of 40 checkpoints
    stops there, so an O(n) structure costs a second, not minutes. Times are this thread's
    CPU time: other processes of a loaded machine do not count. Returns the best round:
    {"ratio", "seconds", "dict_seconds", "done" (operations run), "rounds"}."""
    if not methods or len(weights) != len(methods) or operations < 1 or keys < 1:
        raise ValueError("time_against_dict needs one weight per method, operations and keys")
    rng = random.Random(seed)
    codes = rng.choices(range(len(methods)), weights=weights, k=operations)
    drawn = rng.choices(range(keys), k=operations)
    plain: dict = dict.fromkeys(range(keys))
    enabled = gc.isenabled()
    gc.disable()  # 600,000 small tuples: collecting while they are made costs seconds
    try:
        arities = [int(m[2]) for m in methods]
        arguments = [(key,) if arities[code] == 1 else (key, key)
                     for code, key in zip(codes, drawn, strict=True)]
        ours_by_code = [getattr(obj, m[0]) for m in methods]
        theirs_by_code = [getattr(plain, m[1]) for m in methods]
        ours = list(zip([ours_by_code[code] for code in codes], arguments, strict=True))
        theirs = list(zip([theirs_by_code[code] for code in codes], arguments, strict=True))
        gc.freeze()  # and none of them is traversed while timing
    finally:
        if enabled:
            gc.enable()
    try:
        return _best_round(ours, theirs, limit, rounds)
    finally:
        gc.unfreeze()


def _best_round(ours: list, theirs: list, limit: float, rounds: int) -> dict:
    step = max(1, len(ours) // 40)
    best: dict = {}
    for round_ in range(1, rounds + 1):
        marks = _timed(theirs, step)
        spent, checkpoint = _timed_until(ours, step, marks, limit)
        ratio = spent / max(marks[checkpoint], 1e-9)
        if not best or ratio < best["ratio"]:
            best = {"ratio": ratio, "seconds": spent, "dict_seconds": marks[checkpoint],
                    "done": min(len(ours), (checkpoint + 1) * step)}
        best["rounds"] = round_
        if best["ratio"] <= limit:
            break
    return best


def _timed(calls: list, step: int) -> list[float]:
    """Runs the calls; the time elapsed after every `step` of them (and at the end)."""
    marks = []
    started = time.thread_time()
    for index in range(0, len(calls), step):
        for method, args in calls[index:index + step]:
            method(*args)
        marks.append(time.thread_time() - started)
    return marks


def _timed_until(calls: list, step: int, marks: list[float], limit: float) -> tuple[float, int]:
    """Runs the calls as `_timed` does, stopping at a checkpoint past twice `limit` times
    the dict's time there (and 0.2 s); returns the seconds spent and the last checkpoint."""
    started = time.thread_time()
    spent, checkpoint = 0.0, -1
    for checkpoint, index in enumerate(range(0, len(calls), step)):
        for method, args in calls[index:index + step]:
            method(*args)
        spent = time.thread_time() - started
        if spent > 0.2 and spent > 2 * limit * marks[checkpoint]:
            break
    return spent, checkpoint


def call_with_large_bytes(module: str, function: str, value: Any, field: str, size: int,
                          fill: int) -> dict:
    """Calls `module.function(value)` with the dataclass `value`'s bytes `field` replaced by
    `size` bytes of `fill`, made here: a 16 MiB argument and result then cost a hash, not two
    crossings. Returns the result's length, first 64 bytes and sha256 (a bytes-like result)."""
    big = dataclasses.replace(value, **{field: bytes([fill]) * size})
    result = bytes(getattr(sys.modules[module], function)(big))
    return {"length": len(result), "head": result[:64],
            "sha256": hashlib.sha256(result).hexdigest()}


def edit_result(obj: Any, method: str, *args: Any) -> None:
    """Calls `obj.method(*args)` and edits what it returned, in place, the way a caller
    might: every public text attribute set to a marker, every dict and list grown by one."""
    _edit(getattr(obj, method)(*args), depth=0)


_MARK = "edited-by-the-caller"


def _edit(value: Any, depth: int) -> None:
    if depth > 4 or value is None or isinstance(value, (str, bytes, int, float, bool)):
        return
    if isinstance(value, dict):
        for item in list(value.values()):
            _edit(item, depth + 1)
        value[_MARK] = True
    elif isinstance(value, list):
        for item in value:
            _edit(item, depth + 1)
        value.append(_MARK)
    elif hasattr(value, "__dict__"):
        for name, item in list(vars(value).items()):
            if name.startswith("_"):
                continue
            if isinstance(item, (dict, list)):
                _edit(item, depth + 1)
            elif isinstance(item, str):
                try:
                    setattr(value, name, _MARK)
                except Exception:  # a frozen dataclass: nothing a caller could change
                    pass


def function(name: str, kwargs: dict) -> Any:
    """A trusted function of harness.learner.functions, made here (see that module)."""
    from harness.learner import functions

    return functions.make(name, **kwargs)


def hold(obj: Any, method: str, *args: Any) -> Any:
    """A thread here that enters `obj.method(*args)` (a context manager) and stays inside
    until released: a `functions.Holding`."""
    from harness.learner import functions

    return functions.Holding(lambda: getattr(obj, method)(*args))


def within(obj: Any, method: str, args: list, body: Any) -> Any:
    """`with obj.method(*args) as value: return body(value)`, entered and left here: a
    context manager of the learner's need not cross, and what `body` (the tests') raises
    passes through it as a real exception."""
    with getattr(obj, method)(*args) as value:
        return body(value)


def cpu_seconds() -> float:
    """CPU seconds this process has used (all its threads, ended ones too), less the
    harness's background reader, which wakes every few milliseconds whatever the
    learner's code does."""
    used = time.process_time()
    for thread in threading.enumerate():
        if thread.name == "kata-peer" and thread.ident is not None:
            try:
                used -= time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
            except (OSError, AttributeError):
                pass
    return used


def thread_stacks() -> list[dict]:
    """Every thread of this process that is inside the learner's files: its name and
    stack (innermost last), the learner's frames and the call it waits in."""
    work = os.path.realpath(context.get("work", os.getcwd())) + os.sep
    names = {t.ident: t.name for t in threading.enumerate()}
    me = threading.get_ident()
    found = []
    for ident, frame in sys._current_frames().items():
        if ident == me:
            continue
        frames = traceback.extract_stack(frame)
        ours = [not f.filename.startswith("<")
                and os.path.realpath(f.filename).startswith(work) for f in frames]
        if not any(ours):
            continue
        first = ours.index(True)  # from the first frame of the learner's, in
        name = names.get(ident, f"thread {ident}")
        if name.startswith("kata-conversation"):
            name = f"serving a call of the tests ({name[17:]})"
        found.append({"name": name, "frames": [
            [os.path.relpath(f.filename, work) if mine else os.path.basename(f.filename),
             f.lineno or 0, f.name, (f.line or "").strip()]
            for f, mine in zip(frames[first:], ours[first:], strict=True)]})
    return found


def module_source(name: str) -> str | None:
    """The source text of the learner's module `name`, read from its file."""
    module = sys.modules.get(name)
    path = getattr(module, "__file__", None)
    if type(path) is not str:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def module_globals(name: str) -> list[str]:
    """The modules the globals of the learner's module `name` come from: every global
    that is a module (its name), or a class or function defined in one (its module)."""
    module = sys.modules.get(name)
    found = set()
    for value in list(vars(module).values()) if module is not None else ():
        kind = type(value)
        if kind.__name__ == "module":
            found.add(str(getattr(value, "__name__", "")))
            continue
        for source in (value, kind):
            owner = getattr(source, "__module__", None) if isinstance(
                source, type) or callable(source) else None
            if type(owner) is str and owner not in ("builtins", name):
                found.add(owner)
                break
    return sorted(m for m in found if m)


def loaded_modules() -> list[str]:
    """The modules imported in this process since the learner's files began to load."""
    before = context.get("before_load", frozenset())
    return sorted(name for name in list(sys.modules) if name not in before)


def log_lines(module: str, steps: list, formatter: str, binder: str,
              timezone: str | None) -> list[dict]:
    """The lines the learner's formatter makes of a scripted scenario of log calls, run here
    (see harness.learner.logs)."""
    from harness.learner import logs

    return logs.run(module, steps, formatter, binder, timezone)


def network_step(nodes: list, outboxes: list, deliveries: list, tick: bool) -> list:
    """One step of a simulated network (`harness.testkit.lossy.LossyNetwork.step`) in one
    call: `nodes[i]` is a node of the learner's whose `send` is `outboxes[i]` (a
    `functions.Outbox`). Drains the sends made since the last step, then for each delivery
    `(i, src, message)` calls `nodes[i].handle(src, message)` and drains, then (with
    `tick`) calls every node's `tick()` and drains. Returns one list per drain, each of
    `(i, dst, message)`: which node sent what where, and after which call, so the grader
    stamps each send with the time of the call that made it."""
    from harness.learner.functions import Outbox

    if len(nodes) != len(outboxes) or not all(type(o) is Outbox for o in outboxes):
        raise ValueError("network_step takes one outbox (learner_function('outbox')) per node")

    def drain() -> list:
        return [(index, dst, message) for index, outbox in enumerate(outboxes)
                for dst, message in outbox.drain()]

    drains = [drain()]
    for index, src, message in deliveries:
        nodes[index].handle(src, message)
        drains.append(drain())
    if tick:
        for node in nodes:
            node.tick()
        drains.append(drain())
    return drains


def calls_at(clock: Any, obj: Any, calls: list) -> list:
    """For each `[t, method, args]` of `calls`: sets `clock` (a `functions.Clock`) to `t`,
    then calls `obj.method(*args)`; returns what the calls returned. A history of calls at
    given times in one message, however often the learner's code reads the clock. What a
    call raises propagates, as a direct call's would."""
    results = []
    for t, method, args in calls:
        clock.set(t)
        results.append(getattr(obj, method)(*args))
    return results


def allocated_blocks() -> int:
    """The memory blocks this process has allocated and not freed (objects alive, however
    small or large), after a garbage collection: `sys.getallocatedblocks`, which costs
    nothing while the learner's code runs, unlike tracing every allocation."""
    gc.collect()
    return sys.getallocatedblocks()


def call_numbered(obj: Any, method: str, template: str, count: int) -> list:
    """Calls `obj.method(template.format(i))` for i in range(count), the arguments made
    here: 100,000 one-off keys cost no message of 100,000 items. Returns each distinct
    result with how many calls returned it, `[[value, n], ...]` in order of first
    appearance."""
    call = getattr(obj, method)
    counts: dict = {}
    for i in range(count):
        result = call(template.format(i))
        counts[result] = counts.get(result, 0) + 1
    return [[value, n] for value, n in counts.items()]


#: the calls `durability_calls` records: what makes data durable, and what moves a file
_DURABLE = ("fsync", "fdatasync", "sync", "replace", "rename")


def durability_calls(obj: Any, method: str, *args: Any) -> list[list[str]]:
    """Calls `obj.method(*args)` and returns, in the order they were made (from any thread),
    its calls that make data durable or move a file: `["fsync", path]` (os.fsync or
    os.fdatasync; the path of the file), `["sync"]` (os.sync), `["move", source, target]`
    (os.replace or os.rename, as Path.replace and shutil.move make them; absolute paths).
    They are seen however the learner's files imported them (`os.fsync`, or `from os import
    fsync`); each still does what it does."""
    originals = {name: getattr(os, name) for name in _DURABLE if hasattr(os, name)}
    made: list[list[str]] = []

    def path_of(fd: Any) -> str:
        number = fd.fileno() if hasattr(fd, "fileno") else fd
        try:
            return os.readlink(f"/proc/self/fd/{number}")
        except (OSError, TypeError):
            return f"<fd {number!r}>"

    def recording(name: str, original: Any) -> Any:
        def call(*a: Any, **kw: Any) -> Any:
            if name in ("fsync", "fdatasync") and a:
                made.append(["fsync", path_of(a[0])])
            elif name == "sync":
                made.append(["sync"])
            elif len(a) >= 2:
                made.append(["move", *(os.path.abspath(os.fsdecode(p)) for p in a[:2])])
            return original(*a, **kw)
        return call

    stand_ins = {id(original): recording(name, original) for name, original in originals.items()}
    work = os.path.realpath(context.get("work", os.getcwd())) + os.sep
    patched: list[tuple[dict, str, Any]] = []  # (namespace, name, original)
    for name, original in originals.items():
        patched.append((vars(os), name, original))
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None) or ""
        if path and os.path.realpath(path).startswith(work):
            for name, value in list(vars(module).items()):
                if id(value) in stand_ins:  # the originals are alive: an id is theirs
                    patched.append((vars(module), name, value))
    try:
        for namespace, name, original in patched:
            namespace[name] = stand_ins[id(original)]
        getattr(obj, method)(*args)
    finally:
        for namespace, name, original in patched:
            namespace[name] = original
    return made
