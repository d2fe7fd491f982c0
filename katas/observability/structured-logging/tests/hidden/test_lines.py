"""One JSON object per line: ts, level, logger, message and the call's extra fields."""

import re
from datetime import datetime, timezone

import pytest
from _support import S, by_message, calls, field, lines, objects, show

pytestmark = pytest.mark.json_lines

RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")


def test_a_record_is_one_json_object_with_the_core_fields():
    steps = [S.log("INFO", "hello")]
    (value,) = objects(*steps)
    got = {k: value.get(k) for k in ("level", "logger", "message")}
    assert got == {"level": "INFO", "logger": "app", "message": "hello"}, (
        f"the line {show(value)} of\n{calls(steps)}\nexpected level 'INFO', logger 'app', "
        f"message 'hello'")
    assert "ts" in value, f"the line {show(value)} has no 'ts'"


@pytest.mark.parametrize("level", ["DEBUG", "WARNING", "ERROR", "CRITICAL"])
def test_level_is_the_levels_name_and_logger_the_loggers(level):
    steps = [S.log(level, "x", logger="payments.api")]
    (value,) = objects(*steps)
    got = (value.get("level"), value.get("logger"))
    assert got == (level, "payments.api"), (
        f"the line {show(value)} of\n{calls(steps)}\nhas level, logger {got}, expected "
        f"{(level, 'payments.api')}")


def test_message_has_its_arguments_filled_in():
    steps = [S.log("INFO", "user %s paid %d", "ann", 12)]
    (value,) = objects(*steps)
    assert value.get("message") == "user ann paid 12", (
        f"the line {show(value)} of\n{calls(steps)}\nexpected message 'user ann paid 12' "
        f"(record.getMessage())")


def test_message_with_newlines_stays_on_one_line():
    steps = [S.log("WARNING", "two\nlines\r\nand a \"quote\"")]
    (value,) = objects(*steps)  # objects() checks that the line is one line of JSON
    assert value.get("message") == "two\nlines\r\nand a \"quote\"", (
        f"the line {show(value)} of\n{calls(steps)}\nlost the message's text")


def test_ts_is_rfc3339_in_utc_at_the_records_creation():
    steps = [S.log("INFO", "when")]
    ((line, value),) = lines(*steps)
    ts = field(value, "ts", steps, "when")
    assert isinstance(ts, str) and RFC3339.fullmatch(ts), (
        f"ts is {ts!r}; expected RFC 3339, e.g. '2024-05-01T12:00:00.123Z'")
    parsed = datetime.fromisoformat(re.sub(r"[Zz]$", "+00:00", ts))
    assert parsed.utcoffset() is not None and parsed.utcoffset().total_seconds() == 0, (
        f"ts is {ts!r}: not UTC; expected 'Z' or '+00:00' (the process's local zone was "
        f"3 hours east of UTC)")
    created = datetime.fromtimestamp(line.created, tz=timezone.utc)
    off = abs((parsed - created).total_seconds())
    assert off <= 1.0, (
        f"ts is {ts!r} but the record was created at {created.isoformat()} (UTC), "
        f"{off:.0f} s apart; expected the record's time in UTC (was local time written as "
        f"UTC? the process's zone was 3 hours east of UTC)")


def test_extra_fields_appear_with_their_values():
    extra = {"user": "ann", "amount": 12, "ratio": 0.5, "ok": True, "none": None,
             "tags": ["a", "b"], "order": {"id": 7, "items": [{"sku": "x", "qty": 2}]}}
    steps = [S.log("INFO", "paid", extra=extra)]
    (value,) = objects(*steps)
    for key, expected in extra.items():
        got = field(value, key, steps, "paid")
        assert got == expected, (f"extra field {key!r} is {got!r} in the line {show(value)} "
                                 f"of\n{calls(steps)}\nexpected {expected!r}")


def test_each_call_has_its_own_extra_fields():
    steps = [S.log("INFO", "one", extra={"step": 1}), S.log("INFO", "two"),
             S.log("INFO", "three", extra={"other": 3})]
    got = by_message(*steps)
    assert got["one"].get("step") == 1 and "step" not in got["two"] \
        and "step" not in got["three"] and got["three"].get("other") == 3, (
        f"the lines {[show(v) for v in got.values()]} of\n{calls(steps)}\nexpected each "
        f"record to carry only its own call's extra fields")
