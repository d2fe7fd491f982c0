"""bind(): fields on every record inside the block, nested, unwound on exit and on error."""

import pytest
from _support import S, by_message, calls, field, show

pytestmark = pytest.mark.context


def test_bound_fields_appear_inside_the_block_and_not_after():
    steps = [S.log("INFO", "before"),
             S.bind({"request_id": "r1", "user": "ann"}, S.log("INFO", "inside")),
             S.log("INFO", "after")]
    got = by_message(*steps)
    inside = got["inside"]
    assert (inside.get("request_id"), inside.get("user")) == ("r1", "ann"), (
        f"the line {show(inside)} of\n{calls(steps)}\nexpected request_id 'r1' and user 'ann'")
    for message in ("before", "after"):
        assert "request_id" not in got[message] and "user" not in got[message], (
            f"the line {show(got[message])} of\n{calls(steps)}\nis outside the block: expected "
            f"no bound fields")


def test_nested_blocks_add_fields_and_unwind_in_order():
    steps = [S.bind({"request_id": "r1"},
                    S.bind({"user": "ann"}, S.log("INFO", "both")),
                    S.log("INFO", "outer only"))]
    got = by_message(*steps)
    both, outer = got["both"], got["outer only"]
    assert (both.get("request_id"), both.get("user")) == ("r1", "ann"), (
        f"the line {show(both)} of\n{calls(steps)}\nexpected request_id 'r1' and user 'ann'")
    assert outer.get("request_id") == "r1" and "user" not in outer, (
        f"the line {show(outer)} of\n{calls(steps)}\nexpected request_id 'r1' and no user "
        f"(the inner block has ended)")


def test_inner_block_overrides_a_key_and_the_outer_value_comes_back():
    steps = [S.bind({"stage": "outer"},
                    S.bind({"stage": "inner"}, S.log("INFO", "in inner")),
                    S.log("INFO", "back in outer"))]
    got = by_message(*steps)
    assert got["in inner"].get("stage") == "inner", (
        f"the line {show(got['in inner'])} of\n{calls(steps)}\nexpected stage 'inner'")
    assert got["back in outer"].get("stage") == "outer", (
        f"the line {show(got['back in outer'])} of\n{calls(steps)}\nexpected stage 'outer' "
        f"again once the inner block ended")


def test_a_block_left_by_an_exception_is_unwound():
    steps = [S.bind({"request_id": "r1"},
                    S.catch(S.bind({"user": "ann"}, S.log("INFO", "inner"), S.fail("boom"))),
                    S.log("INFO", "outer after error")),
             S.catch(S.bind({"job": 7}, S.fail("again"))),
             S.log("INFO", "top after error")]
    got = by_message(*steps)  # a block that swallowed the exception fails the scenario
    assert got["inner"].get("user") == "ann", f"the line {show(got['inner'])} has no user"
    outer = got["outer after error"]
    assert outer.get("request_id") == "r1" and "user" not in outer, (
        f"the line {show(outer)} of\n{calls(steps)}\nexpected request_id 'r1' and no user: "
        f"the inner block was left by an exception")
    top = got["top after error"]
    assert not {"request_id", "user", "job"} & set(top), (
        f"the line {show(top)} of\n{calls(steps)}\nexpected no bound fields: every block was "
        f"left")


def test_extra_wins_over_a_bound_field_of_the_same_key():
    steps = [S.bind({"user": "bound", "request_id": "r1"},
                    S.log("INFO", "call", extra={"user": "from extra"}))]
    got = by_message(*steps)["call"]
    assert field(got, "user", steps, "call") == "from extra" and got.get("request_id") == "r1", (
        f"the line {show(got)} of\n{calls(steps)}\nexpected user 'from extra' (the call's "
        f"extra wins over bound context) and request_id 'r1'")
