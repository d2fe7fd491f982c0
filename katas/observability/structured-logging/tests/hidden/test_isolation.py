"""What one thread or asyncio task binds never shows in another's records.

The branches take turns at fixed points (`S.sync()`: a barrier for threads, a yield to
the event loop for tasks), so each interleaving below happens on every run."""

import pytest
from _support import S, by_message, calls, show

pytestmark = pytest.mark.isolation


def _branches():
    """Branch 0 and 1 each bind their own request_id and log while both are bound; branch 2
    binds nothing and logs meanwhile; then branch 0 leaves its block first and logs, and
    branch 1, still inside, logs again."""
    return [
        [S.bind({"request_id": "b0"}, S.sync(), S.log("INFO", "b0 bound"), S.sync()),
         S.sync(), S.log("INFO", "b0 left")],
        [S.bind({"request_id": "b1"}, S.sync(), S.log("INFO", "b1 bound"), S.sync(),
                S.sync(), S.log("INFO", "b1 still bound"))],
        [S.sync(), S.log("INFO", "b2 unbound"), S.sync(), S.sync()],
    ]


def _check(steps, got):
    expected = {"b0 bound": "b0", "b1 bound": "b1", "b2 unbound": None, "b0 left": None,
                "b1 still bound": "b1", "main after": None}
    for message, want in expected.items():
        value = got[message]
        have = value.get("request_id")
        assert have == want, (
            f"the record {message!r} has request_id {have!r} (line {show(value)}); expected "
            f"{want!r}. The branches ran side by side, taking turns at each "
            f"<the others take their turn>:\n{calls(steps)}")


def test_threads_do_not_see_each_others_bound_fields():
    steps = [S.threads(*_branches()), S.log("INFO", "main after")]
    _check(steps, by_message(*steps))


def test_asyncio_tasks_do_not_see_each_others_bound_fields():
    steps = [S.tasks(*_branches()), S.log("INFO", "main after")]
    _check(steps, by_message(*steps))


def test_a_task_sees_what_was_bound_when_it_was_created_and_binds_only_for_itself():
    steps = [S.bind({"request_id": "outer"},
                    S.tasks([S.bind({"user": "t0"}, S.sync(), S.log("INFO", "t0"), S.sync())],
                            [S.sync(), S.log("INFO", "t1"), S.sync()]),
                    S.log("INFO", "parent after"))]
    got = by_message(*steps)
    t0, t1, parent = got["t0"], got["t1"], got["parent after"]
    assert (t0.get("request_id"), t0.get("user")) == ("outer", "t0"), (
        f"the line {show(t0)} of\n{calls(steps)}\nexpected request_id 'outer' (bound when "
        f"the task was created) and user 't0'")
    assert t1.get("request_id") == "outer" and "user" not in t1, (
        f"the line {show(t1)} of\n{calls(steps)}\nexpected request_id 'outer' and no user "
        f"(task 0, inside its block meanwhile, bound it for itself)")
    assert parent.get("request_id") == "outer" and "user" not in parent, (
        f"the line {show(parent)} of\n{calls(steps)}\nexpected request_id 'outer' and no user")
