"""What a test sees when a call across the boundary fails: the learner's process hung,
died, or sent back what cannot cross (`BoundaryFailure`), or its code raised an exception
of a type the tests cannot receive (`LearnerError`)."""

from __future__ import annotations


class BoundaryFailure(BaseException):
    """A call across the boundary that failed for a reason of the learner's making: it hung,
    its process died, or it returned something that cannot cross. A BaseException, so that
    a suite's `except Exception` or `pytest.raises(Exception)` cannot take it for an answer."""


class CallTimedOut(BoundaryFailure):
    """A call into the learner's code did not return within the test's deadline."""


class LearnerDied(BoundaryFailure):
    """The learner's process ended (or was killed) while a call was running."""


class LearnerError(Exception):
    """The learner's code raised an exception of a type the tests cannot receive."""
