"""Values json cannot serialise are their repr; formatting never fails; exceptions."""

import pytest
from _support import S, calls, field, objects, show

pytestmark = pytest.mark.values


def test_value_json_cannot_serialise_is_its_repr():
    steps = [S.log("INFO", "odd", extra={"widget": S.opaque("Widget(7)", "a widget")})]
    (value,) = objects(*steps)
    got = field(value, "widget", steps, "odd")
    assert got == "Widget(7)", (
        f"the field 'widget' is {got!r} in the line {show(value)} of\n{calls(steps)}\n"
        f"expected 'Widget(7)', its repr() (its str() is 'a widget')")


def test_value_json_cannot_serialise_is_its_repr_inside_dicts_and_lists():
    steps = [S.log("INFO", "deep", extra={"order": {"items": [S.opaque("Item(1)"), 2]},
                                          "count": 3})]
    (value,) = objects(*steps)
    got = field(value, "order", steps, "deep")
    assert got == {"items": ["Item(1)", 2]} and value.get("count") == 3, (
        f"the line {show(value)} of\n{calls(steps)}\nexpected order "
        f"{{'items': ['Item(1)', 2]}}: only the value json cannot serialise becomes its repr")


def test_a_dict_with_keys_json_cannot_take_does_not_break_the_line():
    steps = [S.log("INFO", "pairs", extra={"pairs": {(1, 2): "x"}, "user": "ann"})]
    (value,) = objects(*steps)  # the line must be formatted, one line of JSON
    assert value.get("message") == "pairs" and value.get("user") == "ann", (
        f"the line {show(value)} of\n{calls(steps)}\nlost its message or other fields")
    assert "pairs" in value, f"the line {show(value)} lost the field 'pairs'"


def test_exception_gives_type_message_and_traceback():
    steps = [S.log("ERROR", "charge failed", exc=("ValueError", "bad amount"))]
    (value,) = objects(*steps)
    got = (value.get("exc_type"), value.get("exc_message"))
    assert got == ("ValueError", "bad amount"), (
        f"exc_type, exc_message are {got} in the line {show(value)} of\n{calls(steps)}\n"
        f"expected ('ValueError', 'bad amount')")
    trace = field(value, "traceback", steps, "charge failed")
    assert isinstance(trace, str) and "Traceback" in trace \
        and "ValueError: bad amount" in trace, (
            f"traceback is {trace!r}; expected the formatted traceback as one string, "
            f"ending 'ValueError: bad amount'")
    assert value.get("message") == "charge failed", f"the line {show(value)} lost its message"


def test_exception_message_is_str_of_the_exception():
    steps = [S.log("ERROR", "lookup", exc=("KeyError", "missing"))]
    (value,) = objects(*steps)
    got = (value.get("exc_type"), value.get("exc_message"))
    assert got == ("KeyError", "'missing'"), (
        f"exc_type, exc_message are {got} in the line {show(value)} of\n{calls(steps)}\n"
        f"expected ('KeyError', \"'missing'\"): str(KeyError('missing')) is \"'missing'\"")


def test_exception_with_newlines_stays_on_one_line():
    steps = [S.log("ERROR", "multi", exc=("RuntimeError", "line one\nline two"))]
    (value,) = objects(*steps)  # objects() checks that the line is one line of JSON
    assert value.get("exc_message") == "line one\nline two", (
        f"exc_message is {value.get('exc_message')!r} in the line {show(value)}; expected "
        f"'line one\\nline two'")
