"""exp and nbf, at the edges of the leeway: a token is valid while now < exp (RFC 7519, as
PyJWT checks it) and from nbf on; the leeway widens the window on both sides."""

import time

import _support
import jwt
import pytest
from _support import KEY, T0, accepted, forge, refused
from tokens import issue

pytestmark = pytest.mark.expiry


def test_valid_until_the_second_before_exp():
    token = issue({"sub": "ana"}, KEY, 60, now=T0)
    accepted(token, now=T0 + 59)
    refused(token, f"exp is {T0 + 60} and now is {T0 + 60}: valid while now < exp",
            now=T0 + 60)
    refused(token, "exp is long past", now=T0 + 10_000)


def test_the_leeway_is_zero_unless_given():
    token = issue({"sub": "ana"}, KEY, 60, now=T0)
    try:
        got = _support.verify(token, KEY, T0 + 60)
    except _support.InvalidToken:
        return
    raise AssertionError(f"verify(token, key, {T0 + 60}) without leeway returned {got!r} for "
                         f"exp={T0 + 60}; expected InvalidToken (the leeway defaults to 0)")


def test_leeway_keeps_a_token_valid_after_exp():
    token = issue({"sub": "ana"}, KEY, 60, now=T0)
    got = accepted(token, now=T0 + 89, leeway=30)
    assert got["sub"] == "ana", f"verify() returned {got!r}"
    refused(token, f"exp is {T0 + 60}, leeway 30: expired once now - leeway >= exp",
            now=T0 + 90, leeway=30)


def test_a_pyjwt_token_expires_at_exp_plus_leeway():
    token = _support.good(ttl=60)
    refused(token, "exp == now - leeway", now=T0 + 60 + 5, leeway=5)
    accepted(token, now=T0 + 60 + 4, leeway=5)


def test_a_token_that_is_not_valid_yet_is_refused():
    token = forge(payload={"sub": "ana", "iat": T0, "nbf": T0 + 100, "exp": T0 + 1000})
    refused(token, f"nbf is {T0 + 100}, now {T0 + 99}: not valid yet", now=T0 + 99)
    accepted(token, now=T0 + 100)
    accepted(token, now=T0 + 999)


def test_leeway_lets_a_token_in_a_little_before_nbf():
    token = forge(payload={"sub": "ana", "iat": T0 - 100, "nbf": T0 + 100, "exp": T0 + 1000})
    accepted(token, now=T0 + 70, leeway=30)
    refused(token, f"nbf is {T0 + 100}, leeway 30: not valid before nbf - leeway",
            now=T0 + 69, leeway=30)


def test_a_token_without_exp_does_not_expire():
    token = jwt.encode({"sub": "ana"}, KEY, algorithm="HS256")
    got = accepted(token, now=T0 + 10**8)
    assert got == {"sub": "ana"}, f"verify(PyJWT's token without exp) returned {got!r}"


@pytest.mark.parametrize("claim", ["exp", "nbf"])
def test_exp_and_nbf_must_be_numbers(claim):
    payload = {"sub": "ana", "iat": T0, "exp": T0 + 600, claim: "tomorrow"}
    refused(forge(payload=payload), f"{claim} is the string 'tomorrow', not a number")


def test_verify_without_now_uses_the_current_time():
    real = int(time.time())
    # a day of margin each way: no machine is that slow, and now=0 or a fixed year fails
    live = forge(payload={"sub": "ana", "iat": real - 86_400, "nbf": real - 86_400,
                          "exp": real + 86_400})
    assert _support.verify(live, KEY)["sub"] == "ana"
    refused_now = [
        forge(payload={"sub": "ana", "iat": real - 2 * 86_400, "exp": real - 86_400}),
        forge(payload={"sub": "ana", "iat": real - 86_400, "nbf": real + 86_400,
                       "exp": real + 2 * 86_400}),
    ]
    for token in refused_now:
        try:
            got = _support.verify(token, KEY)
        except _support.InvalidToken:
            continue
        raise AssertionError(f"verify({token!r}, key) without now returned {got!r}; the time "
                             f"is {real}: now=None means int(time.time())")
