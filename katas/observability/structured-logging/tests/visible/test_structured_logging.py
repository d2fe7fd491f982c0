"""Examples of what the hidden tests check, one group per task. Run them with `pytest`.

Log records and context variables only mean something in the process (and thread, and
asyncio task) that made them, and under `kata check` your module runs in a process of its
own. So the tests write a scenario of log calls (`S.log`, `S.bind`, `S.threads`, ...) and
`learner_logs` runs it where your module is: a logger whose handler uses your
JsonFormatter makes the records, and the lines come back as text. `S.describe(steps)`
shows a scenario as the Python it stands for."""

import json
from datetime import datetime

import pytest
import structured_logging

from harness.testing import learner_logs
from harness.testing import log_steps as S


def objects(*steps):
    """The JSON object of each line the steps logged, in order (each must be one line)."""
    found = []
    for line in learner_logs(structured_logging, *steps):
        assert line.error is None, f"format() raised {line.error}"
        assert "\n" not in line.text, f"format() gave several lines: {line.text!r}"
        found.append(json.loads(line.text))
    return found


@pytest.mark.json_lines
def test_core_fields():
    (got,) = objects(S.log("WARNING", "user %s paid", "ann", logger="pay"))
    assert (got["level"], got["logger"], got["message"]) == ("WARNING", "pay", "user ann paid")


@pytest.mark.json_lines
def test_ts_is_utc():
    (got,) = objects(S.log("INFO", "now"))
    ts = datetime.fromisoformat(got["ts"].replace("Z", "+00:00"))
    assert ts.utcoffset().total_seconds() == 0


@pytest.mark.json_lines
def test_extra_fields_and_newlines():
    (got,) = objects(S.log("INFO", "two\nlines", extra={"amount": 12}))
    assert got["amount"] == 12 and got["message"] == "two\nlines"


@pytest.mark.values
def test_value_json_cannot_serialise_is_its_repr():
    (got,) = objects(S.log("INFO", "odd", extra={"w": S.opaque("Widget(7)")}))
    assert got["w"] == "Widget(7)"


@pytest.mark.values
def test_exception_fields():
    (got,) = objects(S.log("ERROR", "failed", exc=("ValueError", "bad amount")))
    assert (got["exc_type"], got["exc_message"]) == ("ValueError", "bad amount")
    assert "ValueError: bad amount" in got["traceback"]


@pytest.mark.context
def test_bind_nests_and_unwinds():
    inner, outer, after = objects(
        S.bind({"request_id": "r1"},
               S.bind({"user": "ann"}, S.log("INFO", "inner")),
               S.log("INFO", "outer")),
        S.log("INFO", "after"))
    assert (inner["request_id"], inner["user"]) == ("r1", "ann")
    assert outer["request_id"] == "r1" and "user" not in outer
    assert "request_id" not in after


@pytest.mark.context
def test_bind_unwinds_on_exception_and_extra_wins():
    after, call = objects(
        S.catch(S.bind({"request_id": "r1"}, S.fail("boom"))),
        S.log("INFO", "after"),
        S.bind({"user": "bound"}, S.log("INFO", "call", extra={"user": "call"})))
    assert "request_id" not in after
    assert call["user"] == "call"


@pytest.mark.isolation
def test_tasks_do_not_share_bound_fields():
    # each task binds, then yields to the other (S.sync()) before it logs
    lines = objects(S.tasks([S.bind({"request_id": "a"}, S.sync(), S.log("INFO", "a"))],
                            [S.bind({"request_id": "b"}, S.sync(), S.log("INFO", "b"))]))
    assert {line["message"]: line["request_id"] for line in lines} == {"a": "a", "b": "b"}


@pytest.mark.isolation
def test_threads_do_not_share_bound_fields():
    # each thread binds, then waits for the other (a barrier) before it logs
    lines = objects(S.threads([S.bind({"request_id": "a"}, S.sync(), S.log("INFO", "a"))],
                              [S.bind({"request_id": "b"}, S.sync(), S.log("INFO", "b"))]))
    assert {line["message"]: line["request_id"] for line in lines} == {"a": "a", "b": "b"}


@pytest.mark.redaction
def test_secrets_are_redacted_at_any_depth():
    (got,) = objects(S.log("INFO", "x", extra={
        "Password": "x", "user": {"token": "y", "name": "ann"},
        "headers": [{"authorization": "z"}]}))
    assert got["Password"] == "[REDACTED]"
    assert got["user"] == {"token": "[REDACTED]", "name": "ann"}
    assert got["headers"] == [{"authorization": "[REDACTED]"}]
