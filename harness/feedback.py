"""Turns exceptions into messages that teach: the call, what came back, what was expected.

Messages show the learner's own frames and the suite's call, never the harness's paths.
"""

from __future__ import annotations

import functools
import os
import re
import traceback
from dataclasses import dataclass
from types import TracebackType

from harness.boundary.failures import BoundaryFailure

MESSAGE_LIMIT = 2_000
OUTPUT_LIMIT = 4_000
_TIMEOUT_MARK = "Timeout ("  # how pytest-timeout's signal method words its failure
_HARNESS = os.path.dirname(os.path.realpath(__file__))  # the harness package itself


@dataclass(frozen=True)
class Places:
    """Where the learner's files and the suite live inside the run directory."""

    work: str
    suite: str

    def is_learner(self, filename: str) -> bool:
        return _inside(filename, self.work)

    def is_suite(self, filename: str) -> bool:
        return _inside(filename, self.suite)

    def clean(self, text: str) -> str:
        """Removes run-directory paths so a message reads the same on every machine."""
        text = text.replace(self.work + os.sep, "").replace(self.work, ".")
        return text.replace(self.suite + os.sep, "").replace(self.suite, "<tests>")


def _inside(filename: str, folder: str) -> bool:
    if not os.path.isabs(filename):  # "<frozen importlib._bootstrap>", "<string>"
        return False
    path = _real(filename)
    return path == folder or path.startswith(folder + os.sep)


@functools.lru_cache(maxsize=4096)
def _real(path: str) -> str:
    return os.path.realpath(path)


def _frames(tb: TracebackType | None, places: Places) -> list[traceback.FrameSummary]:
    """The frames of a traceback that belong to the learner or the suite, with their lines.

    pytest's and pluggy's frames are skipped before any source line is read: a run of
    a hundred failing tests must not pay for formatting the harness's insides."""
    kept = []
    for frame, lineno in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if places.is_learner(filename) or places.is_suite(filename):
            kept.append(traceback.FrameSummary(filename, lineno, frame.f_code.co_name))
    return kept


def cut(text: str, limit: int, what: str = "output") -> str:
    """Shortens text to `limit` characters and says that it did."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n[{what} cut: {len(text):,} characters in all, first {limit:,} shown]"


_CUT_MARK = re.compile(r"\[output cut: ([\d,]+) characters printed in all\]")
_SHOWN_LINES = 10  # at each end of a flood
_LINE_WIDTH = 200


def cut_output(text: str, limit: int = OUTPUT_LIMIT) -> str:
    """What a test printed, as a learner can read it: whole when short; else its first and
    last ten lines (long lines shortened), under a line that names the volume, since
    printing that much is often the problem itself."""
    marks = [int(m.replace(",", "")) for m in _CUT_MARK.findall(text)]
    rows = _CUT_MARK.sub("[...]", text).splitlines()
    total = max(len(text), sum(marks) if marks else 0)
    if not marks and len(text) <= limit and len(rows) <= 2 * _SHOWN_LINES + 5:
        return text
    clip = [row if len(row) <= _LINE_WIDTH
            else f"{row[:_LINE_WIDTH]} [... {len(row) - _LINE_WIDTH:,} more characters]"
            for row in rows]
    if len(clip) > 2 * _SHOWN_LINES:
        clip = [*clip[:_SHOWN_LINES], f"[... {len(clip) - 2 * _SHOWN_LINES:,} lines cut ...]",
                *clip[-_SHOWN_LINES:]]
    lines = "" if marks else f", {len(rows):,} line{'' if len(rows) == 1 else 's'}"
    head = (f"[too much output: {total:,} characters{lines} printed; the first and the "
            f"last lines follow. Print less: a flood of output slows every test down]")
    return "\n".join([head, *clip])[: limit + 2_000]


def ran_out_of_time(exc: BaseException) -> bool:
    """Whether a test failed because it ran out of time (pytest-timeout stopped it, or a
    call into the learner's code did not return within the deadline)."""
    from harness.boundary.failures import CallTimedOut

    text = _exception_text(exc)
    return isinstance(exc, CallTimedOut) or (_TIMEOUT_MARK in text and "pytest-timeout" in text)


def describe_failure(exc: BaseException, tb: TracebackType | None, places: Places,
                     timeout: float | None = None) -> str:
    """Explains why a test failed, from the exception and where it was raised."""
    frames = _frames(tb, places)
    suite = [f for f in frames if places.is_suite(f.filename)]
    remote = getattr(exc, "__kata_remote__", None)
    if isinstance(remote, dict):  # raised in the learner's process: its frames came as text
        learner = [traceback.FrameSummary(os.path.join(places.work, name), line, function,
                                          line=text)
                   for name, line, function, text in remote.get("frames", [])]
        raised_in_learner = True
    else:
        learner = [f for f in frames if places.is_learner(f.filename)]
        raised_in_learner = _raised_in_learner(tb, places)
    text = _exception_text(exc)

    if _TIMEOUT_MARK in text and "pytest-timeout" in text:
        limit = f"{timeout:g} s" if timeout else "its time limit"
        head = (f"did not finish within {limit}: an endless loop, or waiting for something "
                "that never happens (a lock never released, an event never set)?")
    elif isinstance(exc, NotImplementedError) and raised_in_learner and learner:
        head = f"{learner[-1].name}() is not implemented yet (it raises NotImplementedError)"
    elif isinstance(exc, AssertionError) and not raised_in_learner:
        head = _assertion_text(text)
    elif raised_in_learner:
        head = f"your code raised {_qualname(exc)}: {text}" if text else (
            f"your code raised {_qualname(exc)}")
    else:
        head = text or _qualname(exc)

    lines = [head]
    # the suite's last line is the call into the learner's code only when the exception
    # came out of that code or out of the boundary while calling it; when the suite raised
    # by itself (pytest.fail, an assert, a helper of its own) its message names the call
    if suite and (raised_in_learner or isinstance(exc, BoundaryFailure)
                  or _through_harness(tb, places)):
        call = suite[-1].line
        if call:
            lines.append(f"  the call: {call.strip()}")
    if isinstance(remote, dict) and remote.get("one_of"):  # one call of a batch raised
        lines.append(f"  the one that raised ({remote['one_of']}): {remote.get('call')}")
    for frame in learner[-3:]:
        lines.append(f"  at {_short(frame.filename, places)}:{frame.lineno} in {frame.name}")
        if frame.line:
            lines.append(f"      {frame.line.strip()}")
    return cut(places.clean("\n".join(lines)), MESSAGE_LIMIT, "message")


def _through_harness(tb: TracebackType | None, places: Places) -> bool:
    """Whether the exception came up through the harness below the suite's last frame: out
    of a call across the boundary (a hang cut short by the time limit while waiting for the
    learner's process) or a harness.testing helper calling the learner's code."""
    crossed = False
    for frame, _ in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if places.is_suite(filename):
            crossed = False
        elif _inside(filename, _HARNESS):
            crossed = True
    return crossed


def _raised_in_learner(tb: TracebackType | None, places: Places) -> bool:
    last = None
    while tb is not None:
        last, tb = tb, tb.tb_next
    return last is not None and places.is_learner(last.tb_frame.f_code.co_filename)


def describe_missing(module_file: str, missing: list[str]) -> str:
    """Explains that public names of the stub are gone from the learner's file."""
    names = ", ".join(missing)
    return (f"{os.path.basename(module_file)} does not define {names}: the tests need every "
            "public name of the stub. Did you rename or delete it?")


def _exception_text(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # a learner's exception whose __str__ breaks must not break grading
        return f"<{_qualname(exc)} whose str() failed>"


def _assertion_text(text: str) -> str:
    """Keeps the suite's own message, dropping pytest's rewritten explanation below it."""
    if not text:
        return "an assertion failed"
    lines = text.splitlines()
    if lines[0].startswith("assert "):  # a bare assert: pytest's explanation is all there is
        return "\n".join(lines[:12])
    kept = []
    for line in lines:
        if line.startswith("assert "):
            break
        kept.append(line)
    return "\n".join(kept)


def _qualname(exc: BaseException) -> str:
    remote = getattr(exc, "__kata_remote__", None)
    if isinstance(remote, dict):
        return str(remote.get("type"))
    kind = type(exc)
    return kind.__name__ if kind.__module__ in ("builtins", "__main__") else kind.__qualname__


def _short(filename: str, places: Places) -> str:
    return places.clean(os.path.realpath(filename))


def describe_learner_load(problem: dict, places: Places) -> str:
    """Explains, from what the learner's process reported as data, why its files did not load."""
    if "missing" in problem:
        return describe_missing(f"{problem.get('module')}.py", [str(n) for n in problem["missing"]])
    if "timeout" in problem:
        return (f"your code did not finish loading within {problem['timeout']:g} s: is there an "
                "endless loop at the top level of the module?")
    if "crash" in problem:
        return (f"the run ended before any test could start: {problem['crash']}. Did your code "
                "exit or crash while loading?")
    error = problem["error"] if isinstance(problem.get("error"), dict) else {}
    if error.get("kind") == "syntax":
        lines = [f"{error.get('file')}, line {error.get('lineno')}: {error.get('type')}: "
                 f"{error.get('msg')}"]
        text = str(error.get("text") or "")
        if text:
            lines.append(f"    {text.rstrip()}")
            offset = int(error.get("offset") or 0)
            if offset:
                indent = len(text) - len(text.lstrip())
                lines.append("    " + " " * max(offset - 1 - indent, 0) + "^")
        return places.clean("\n".join(lines))
    frames = error.get("frames") or []
    name = frames[0][0] if frames else "your module"
    lines = [f"importing {name} failed: {error.get('type')}: {error.get('text')}"]
    for file, line, function, source in frames[-3:]:
        lines.append(f"  at {file}:{line} in {function}")
        if source:
            lines.append(f"      {str(source).strip()}")
    if error.get("module_not_found"):
        lines.append("Only the standard library (and the kata's declared packages) can be "
                     "imported during grading.")
    return cut(places.clean("\n".join(lines)), MESSAGE_LIMIT, "message")
