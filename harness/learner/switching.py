"""Forced thread switching in the learner's process: a seeded tracer that releases the GIL
at random opcodes of the learner's own files, so that races show up on demand and replay."""

from __future__ import annotations

import os
import random
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from harness.learner.protocol import ProtocolError


class Switching:
    """Forced thread switches at random opcodes of the learner's files, seeded, while on."""

    def __init__(self, work: str) -> None:
        self.prefix = work + os.sep
        self.seed: int | None = None
        self.probability = 0.2
        self.generation = 0
        self._local = threading.local()
        self._decisions: dict[Any, bool] = {}
        self._ordinal = 0
        self._lock = threading.Lock()
        #: what traced new threads before switching began (coverage's, under kata verify)
        self._before: Callable[..., Any] | None = None  # a trace function

    def set(self, seed: Any, probability: Any) -> None:
        if seed is not None and (type(seed) is not int or type(probability) is not float):
            raise ProtocolError("a malformed switching request")
        with self._lock:
            if seed is not None and self.seed is None:
                self._before = threading.gettrace()  # coverage's, under kata verify
            self.seed, self.probability = seed, probability or 0.2
            self.generation += 1
            self._ordinal = 0
        threading.settrace(self._global if seed is not None else self._before)
        self.follow()

    def follow(self) -> None:
        """Called by each serving thread before it runs a call: trace if switching is on."""
        if getattr(self._local, "generation", 0) == self.generation:
            return
        self._local.generation = self.generation
        self._local.rng = None
        if self.seed is not None:
            if not getattr(self._local, "tracing", False):
                before = sys.gettrace()
                # a thread started while switching was on got this tracer from
                # threading.settrace: what traced it before is what traced new threads then
                self._local.before = self._before if before == self._global else before
                self._local.tracing = True
            _install(self._global)
        elif getattr(self._local, "tracing", False):
            self._local.tracing = False
            _install(self._local.before)  # what traced this thread before (coverage)

    def _rng(self) -> random.Random:
        generator = getattr(self._local, "rng", None)
        if generator is None:
            with self._lock:
                self._ordinal += 1
                ordinal = self._ordinal
            generator = self._local.rng = random.Random(f"{self.seed}:{ordinal}")
        return generator

    def _global(self, frame, event, arg):
        if self.seed is None:
            # switching has ended while this thread was idle (follow() runs only before a
            # call it serves): it puts back what traced it before, so that a thread that
            # only waits costs no CPU for the rest of the run. A trace function must never
            # raise: its exception would surface in whatever harness frame was being entered
            # (a Condition's wait, leaving the lock released; the read of a frame, leaving
            # the reader role taken). So when another thread is installing its own trace
            # function at this moment (see _install), this thread tries again at its next
            # call.
            try:
                sys.settrace(getattr(self._local, "before", self._before))
            except RuntimeError:
                return None
            self._local.tracing = False
            return None
        code = frame.f_code
        ours = self._decisions.get(code)
        if ours is None:
            ours = self._decisions[code] = os.path.realpath(code.co_filename).startswith(
                self.prefix)
        if not ours:
            return None
        frame.f_trace_opcodes = True
        return self._local_trace

    def _local_trace(self, frame, event, arg):
        if event in ("opcode", "line") and self._rng().random() < self.probability:
            time.sleep(0)  # releases the GIL: another thread runs mid-statement
        return self._local_trace


def _install(trace: Callable[..., Any] | None) -> None:
    """sys.settrace(trace) for this thread. On CPython 3.11 and older, sys.settrace raises
    RuntimeError ("Cannot install a trace function while another trace function is being
    installed") when another thread is inside sys.settrace at the same moment, which an
    audit hook (the learner's guard) makes likely: it runs Python code there, so the
    interpreter may switch threads mid-install. The other install ends within
    microseconds; this one is tried again until it takes."""
    for _ in range(_INSTALL_TRIES - 1):
        try:
            sys.settrace(trace)
            return
        except RuntimeError:
            time.sleep(0.0001)  # lets the other thread finish its install
    sys.settrace(trace)


_INSTALL_TRIES = 10_000  # about a second of tries at most; each race lasts microseconds
