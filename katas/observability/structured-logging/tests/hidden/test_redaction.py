"""Keys named like secrets have their values replaced, in any case, at any depth."""

import pytest
from _support import S, by_message, calls, lines, show

pytestmark = pytest.mark.redaction

R = "[REDACTED]"


def _one(steps):
    ((line, value),) = lines(*steps)
    return line, value


@pytest.mark.parametrize("key", ["password", "token", "secret", "authorization"])
def test_a_secret_key_in_extra_is_redacted(key):
    steps = [S.log("INFO", "login", extra={key: "hunter2", "user": "ann"})]
    line, value = _one(steps)
    assert value.get(key) == R and value.get("user") == "ann", (
        f"the line {line.text} of\n{calls(steps)}\nexpected {key!r}: {R!r} and user 'ann'")
    assert "hunter2" not in line.text, f"the secret shows in the line {line.text}"


@pytest.mark.parametrize("key", ["Password", "TOKEN", "Secret", "AUTHORIZATION"])
def test_secret_keys_are_matched_in_any_case(key):
    steps = [S.log("INFO", "login", extra={key: "hunter2"})]
    line, value = _one(steps)
    assert value.get(key) == R and "hunter2" not in line.text, (
        f"the line {line.text} of\n{calls(steps)}\nexpected {key!r}: {R!r}")


def test_secret_keys_inside_nested_dicts_are_redacted():
    steps = [S.log("INFO", "signup", extra={"user": {"name": "ann", "Password": "hunter2",
                                                     "profile": {"token": "t0k3n"}}})]
    line, value = _one(steps)
    assert value.get("user") == {"name": "ann", "Password": R, "profile": {"token": R}}, (
        f"the line {line.text} of\n{calls(steps)}\nexpected user {{'name': 'ann', "
        f"'Password': {R!r}, 'profile': {{'token': {R!r}}}}}")


def test_secret_keys_inside_lists_of_dicts_are_redacted():
    steps = [S.log("INFO", "call", extra={"headers": [{"Authorization": "Bearer xyz"},
                                                      {"accept": "json"}]})]
    line, value = _one(steps)
    assert value.get("headers") == [{"Authorization": R}, {"accept": "json"}], (
        f"the line {line.text} of\n{calls(steps)}\nexpected headers "
        f"[{{'Authorization': {R!r}}}, {{'accept': 'json'}}]")


def test_a_secret_key_holding_a_dict_is_redacted_whole():
    steps = [S.log("INFO", "conf", extra={"secret": {"key": "k", "value": "hunter2"}})]
    line, value = _one(steps)
    assert value.get("secret") == R and "hunter2" not in line.text, (
        f"the line {line.text} of\n{calls(steps)}\nexpected secret: {R!r}")


def test_bound_secret_fields_are_redacted():
    steps = [S.bind({"Token": "t0k3n", "request_id": "r1"}, S.log("INFO", "bound"))]
    got = by_message(*steps)["bound"]
    assert got.get("Token") == R and got.get("request_id") == "r1", (
        f"the line {show(got)} of\n{calls(steps)}\nexpected Token: {R!r} and request_id 'r1'")
