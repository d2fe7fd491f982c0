"""The learner's exceptions as plain data: their text, their frames in the learner's own
files (never the harness's), and what a file that did not import says."""

from __future__ import annotations

import os
import traceback
from types import TracebackType

TEXT_LIMIT = 2_000


def text_of(exc: BaseException) -> str:
    try:
        return str(exc)[:TEXT_LIMIT]
    except Exception:  # a learner's exception whose __str__ breaks
        return f"<{type(exc).__name__} whose str() failed>"


def learner_frames(tb: TracebackType | None, work: str) -> list:
    """The last frames of `tb` that are in the learner's files under `work` (a real path):
    [file relative to work, line number, function, source line]."""
    frames = []
    for frame in traceback.extract_tb(tb)[-20:]:
        path = os.path.realpath(frame.filename)
        if path.startswith(work + os.sep):
            frames.append([os.path.relpath(path, work), frame.lineno or 0, frame.name,
                           (frame.line or "")[:200]])
    return frames


def describe_load_error(exc: BaseException, module: str, work: str) -> dict:
    """What the grader needs to explain a failed import, as plain data."""
    if isinstance(exc, SyntaxError):
        return {"kind": "syntax", "type": type(exc).__name__, "msg": str(exc.msg)[:TEXT_LIMIT],
                "file": os.path.basename(exc.filename or module + ".py"),
                "lineno": exc.lineno or 0, "text": (exc.text or "")[:500],
                "offset": exc.offset or 0}
    return {"kind": "import", "type": type(exc).__name__, "text": text_of(exc),
            "module_not_found": isinstance(exc, ModuleNotFoundError),
            "frames": learner_frames(exc.__traceback__, os.path.realpath(work))}
