"""What the hidden tests of structured-logging share: a scenario of log calls run in the
learner's process, each line checked to be one JSON object, and messages that show the
calls as code."""

import json

import structured_logging

from harness.testing import learner_logs, log_steps

S = log_steps  # the steps: S.log, S.bind, S.catch, S.fail, S.sync, S.threads, S.tasks

# Three hours east of UTC while the scenario runs: a formatter that writes local time
# (time.localtime, datetime.fromtimestamp without tz) is then three hours off.
TIMEZONE = "KATA-3"


def calls(steps):
    return "\n".join("    " + line for line in S.describe(steps).splitlines())


def lines(*steps):
    """[(LogLine, the JSON object of its text)] for each record the steps made, in order.
    Each line must have been formatted without an error into one line of JSON (an object)."""
    found = []
    for line in learner_logs(structured_logging, *steps, timezone=TIMEZONE):
        where = f"the record {line.message!r} (made in {line.where}) of:\n{calls(steps)}\n"
        assert line.error is None, f"{where}format() raised {line.error}; expected one line of JSON"
        assert "\n" not in line.text and "\r" not in line.text, (
            f"{where}format() returned {line.text!r}: it spans several lines; expected one "
            f"line (json.dumps escapes a newline inside a string as \\n)")
        try:
            value = json.loads(line.text)
        except ValueError as exc:
            raise AssertionError(f"{where}format() returned {line.text!r}, which is not JSON "
                                 f"({exc})") from None
        assert isinstance(value, dict), (
            f"{where}format() returned {line.text!r}: JSON, but not an object")
        found.append((line, value))
    return found


def objects(*steps):
    """The JSON objects of the records the steps made, in order."""
    return [value for _, value in lines(*steps)]


def by_message(*steps):
    """{message: JSON object} of the records the steps made (each message once)."""
    return {line.message: value for line, value in lines(*steps)}


def field(value, key, steps, message):
    """value[key], or a failure naming the record and its calls."""
    assert key in value, (f"the record {message!r} has no {key!r}; the line: "
                          f"{json.dumps(value)}; the calls:\n{calls(steps)}")
    return value[key]


def show(value):
    return json.dumps(value)
