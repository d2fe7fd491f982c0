"""What the hidden tests of parallel-map share: a call of parallel_map running in a thread
of the test (to look at the learner's process while it runs), and how what a call gave
reads in a failure message."""

import threading

from harness.testing import stuck_report


class Running:
    """`call()` (a call of parallel_map) in a daemon thread of the test."""

    def __init__(self, call, text):
        self.text = text
        self.value = None
        self.error = None
        self.thread = threading.Thread(target=self._run, args=(call,), daemon=True)
        self.thread.start()

    def _run(self, call):
        try:
            self.value = call()
        except BaseException as exc:  # the test reads it
            self.error = exc

    def still_running(self, seconds):
        """Whether the call is still running after waiting up to `seconds` for it."""
        self.thread.join(seconds)
        return self.thread.is_alive()

    def finish(self, seconds=20.0, why=""):
        """Waits for the call to return; one that does not fails the test with the stacks
        of the learner's threads (and a fresh learner process for the next test)."""
        self.thread.join(seconds)
        if self.thread.is_alive():
            raise AssertionError(f"{self.text} did not return within {seconds:g} s{why}. "
                                 f"Where your threads were:\n{stuck_report([self.thread])}")
        return self

    def outcome(self):
        return outcome(self.value, self.error)


def outcome(value, error):
    """What a call gave, for a message: `returned [...]` or `raised ValueError(...)`."""
    if error is not None:
        return f"raised {kind(error)}{error.args!r}"
    return f"returned {value!r}"


def kind(exc):
    """The class name of an exception the learner's code raised, as it was there: one of a
    module the tests do not know (pickle.PicklingError) crosses as its nearest built-in
    base, with its own name kept beside it."""
    remote = getattr(exc, "__kata_remote__", None)
    if isinstance(remote, dict) and remote.get("type"):
        return str(remote["type"])
    return type(exc).__name__


def outcome_of(call):
    """Runs `call()` here and returns (value, error)."""
    try:
        return call(), None
    except Exception as exc:  # the test reads it
        return None, exc
