"""Examples of what the hidden tests check. Run them with `pytest`."""

import base64
import hashlib
import hmac
import json

import pytest
from tokens import InvalidToken, issue, verify

KEY = b"the-signing-key-of-the-service-0123456789"
NOW = 1_700_000_000


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def forge(header: dict, payload: dict, key: bytes = KEY) -> str:
    text = b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
    return text + "." + b64(hmac.new(key, text.encode(), hashlib.sha256).digest())


@pytest.mark.roundtrip
def test_issue_then_verify_gives_back_the_claims():
    token = issue({"sub": "ana"}, KEY, 60, now=NOW)
    assert verify(token, KEY, now=NOW) == {"sub": "ana", "iat": NOW, "exp": NOW + 60}


@pytest.mark.roundtrip
def test_a_token_is_three_segments_without_padding():
    token = issue({"sub": "ana"}, KEY, 60, now=NOW)
    assert token.count(".") == 2 and "=" not in token


@pytest.mark.roundtrip
def test_verify_reads_a_token_built_by_hand():
    token = forge({"alg": "HS256", "typ": "JWT"}, {"sub": "ben", "exp": NOW + 5})
    assert verify(token, KEY, now=NOW) == {"sub": "ben", "exp": NOW + 5}


@pytest.mark.signatures
def test_another_key_is_refused():
    token = issue({"sub": "ana"}, b"another-key-another-key-another-key", 60, now=NOW)
    with pytest.raises(InvalidToken):
        verify(token, KEY, now=NOW)


@pytest.mark.signatures
def test_alg_none_is_refused():
    token = forge({"alg": "none", "typ": "JWT"}, {"sub": "ana"})
    with pytest.raises(InvalidToken):
        verify(token, KEY, now=NOW)


@pytest.mark.expiry
def test_a_token_is_valid_while_now_is_before_exp():
    token = issue({"sub": "ana"}, KEY, 60, now=NOW)
    assert verify(token, KEY, now=NOW + 59)["sub"] == "ana"
    with pytest.raises(InvalidToken):
        verify(token, KEY, now=NOW + 60)


@pytest.mark.expiry
def test_leeway_widens_the_window():
    token = issue({"sub": "ana"}, KEY, 60, now=NOW)
    assert verify(token, KEY, now=NOW + 65, leeway=10)["sub"] == "ana"


@pytest.mark.expiry
def test_nbf_in_the_future_is_refused():
    token = forge({"alg": "HS256", "typ": "JWT"}, {"sub": "ana", "nbf": NOW + 10})
    with pytest.raises(InvalidToken):
        verify(token, KEY, now=NOW)


@pytest.mark.malformed
def test_garbage_is_refused_with_invalid_token():
    for token in ["", "not-a-token", "a.b", "a.b.c.d", "!!!.???.***"]:
        with pytest.raises(InvalidToken):
            verify(token, KEY, now=NOW)


@pytest.mark.malformed
def test_a_payload_that_is_not_json_is_refused():
    text = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(b"not json")
    token = text + "." + b64(hmac.new(KEY, text.encode(), hashlib.sha256).digest())
    with pytest.raises(InvalidToken):
        verify(token, KEY, now=NOW)
