"""Issuing tokens PyJWT accepts, and verifying the tokens PyJWT issues."""

import json
import random
import re
import time

import _support
import jwt
import pytest
from _support import KEY, T0, unb64
from tokens import issue, verify

pytestmark = pytest.mark.roundtrip

BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


def test_a_token_is_three_base64url_segments_without_padding():
    token = issue({"sub": "ana"}, KEY, 60, now=T0)
    assert isinstance(token, str), f"issue() returned {token!r}, expected a str"
    parts = token.split(".")
    assert len(parts) == 3, f"issue() returned {token!r}: {len(parts)} segments, expected 3"
    bad = [p for p in parts if not BASE64URL.fullmatch(p)]
    assert not bad, (f"issue() returned {token!r}: segment {bad[0]!r} is not base64url without "
                     "padding (only A-Z a-z 0-9 - _, no '=')")


def test_the_header_is_hs256_jwt():
    token = issue({"sub": "ana"}, KEY, 60, now=T0)
    header = json.loads(unb64(token.split(".")[0]))
    assert header == {"alg": "HS256", "typ": "JWT"}, (
        f"issue() wrote the header {header!r}, expected {{'alg': 'HS256', 'typ': 'JWT'}}")


def test_the_payload_holds_the_claims_iat_and_exp():
    token = issue({"sub": "ana", "role": "admin"}, KEY, 90, now=T0)
    payload = json.loads(unb64(token.split(".")[1]))
    expected = {"sub": "ana", "role": "admin", "iat": T0, "exp": T0 + 90}
    assert payload == expected, (
        f"issue({{'sub': 'ana', 'role': 'admin'}}, key, 90, now={T0}) wrote the payload "
        f"{payload!r}, expected {expected!r} (iat = now, exp = now + ttl)")


def test_pyjwt_accepts_our_tokens():
    token = issue({"sub": "ana", "n": 3}, KEY, 60, now=T0)
    try:
        got = _support.pyjwt_payload(token)
    except jwt.PyJWTError as exc:
        raise AssertionError(f"PyJWT's jwt.decode refused issue()'s token {token!r}: "
                             f"{type(exc).__name__}: {exc}") from None
    assert got == {"sub": "ana", "n": 3, "iat": T0, "exp": T0 + 60}, f"PyJWT read {got!r}"


def test_our_tokens_are_signed_with_the_key_given():
    token = issue({"sub": "ana"}, _support.OTHER_KEY, 60, now=T0)
    with pytest.raises(jwt.InvalidSignatureError):
        _support.pyjwt_payload(token, KEY)
    assert _support.pyjwt_payload(token, _support.OTHER_KEY)["sub"] == "ana"


def test_verify_returns_the_payload_of_our_own_token():
    token = issue({"sub": "ana", "role": "admin"}, KEY, 60, now=T0)
    got = verify(token, KEY, T0 + 10)
    expected = {"sub": "ana", "role": "admin", "iat": T0, "exp": T0 + 60}
    assert got == expected, (
        f"verify(issue(...), key, now={T0 + 10}) returned {got!r}, expected {expected!r}")


def test_tokens_pyjwt_issues_verify_here():
    token = _support.good({"sub": "ben", "scope": ["read", "write"]})
    got = _support.accepted(token, now=T0 + 1)
    expected = {"sub": "ben", "scope": ["read", "write"], "iat": T0, "exp": T0 + 600}
    assert got == expected, f"verify(PyJWT's token) returned {got!r}, expected {expected!r}"


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_claims_round_trip_both_ways(seed):
    rng = random.Random(seed)
    cases = [(_support.claims(rng), rng.choice([1, 60, 3600, 86_400])) for _ in range(60)]
    ours = [issue(c, KEY, ttl, T0) for c, ttl in cases]
    theirs = [jwt.encode({**c, "iat": T0, "exp": T0 + ttl}, KEY, algorithm="HS256")
              for c, ttl in cases]
    read = [verify(t, KEY, T0) for t in ours + theirs]
    for n, ((c, ttl), token) in enumerate(zip(cases, ours, strict=True)):
        expected = {**c, "iat": T0, "exp": T0 + ttl}
        call = f"issue({c!r}, key, {ttl}, now={T0}) (seed {seed}, case {n})"
        got = _support.pyjwt_payload(token)
        assert got == expected, f"PyJWT read {got!r} from {call}; expected {expected!r}"
        assert read[n] == expected, f"verify() read {read[n]!r} from {call}; expected {expected!r}"
        from_pyjwt = read[len(cases) + n]
        assert from_pyjwt == expected, (
            f"verify() of PyJWT's token for the claims {c!r} (seed {seed}, case {n}) returned "
            f"{from_pyjwt!r}; expected {expected!r}")


def test_issue_without_now_uses_the_current_time():
    before = time.time()
    token = issue({"sub": "ana"}, KEY, 600)
    payload = _support.pyjwt_payload(token)
    # a generous margin: a loaded machine may take seconds between the two clocks
    assert abs(payload["iat"] - before) < 300, (
        f"issue(claims, key, 600) without now wrote iat={payload['iat']!r}; the time is "
        f"{before:.0f}: now=None means int(time.time())")
    assert payload["exp"] == payload["iat"] + 600, f"issue() wrote {payload!r}: exp = iat + ttl"
