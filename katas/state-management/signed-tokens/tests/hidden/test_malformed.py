"""Malformed tokens are refused with InvalidToken, never another exception: the number of
segments, the base64url alphabet without padding, JSON objects for header and payload."""

import _support
import pytest
from _support import HEADER, T0, b64, compact, forge, refused, signed

pytestmark = pytest.mark.malformed

PAYLOAD = {"sub": "ana", "iat": T0, "exp": T0 + 600}


SHAPES = {
    "empty": lambda h, p, s: "",
    "one segment": lambda h, p, s: h,
    "two segments": lambda h, p, s: f"{h}.{p}",
    "four segments": lambda h, p, s: f"{h}.{p}.{s}.{s}",
    "a trailing dot": lambda h, p, s: f"{h}.{p}.{s}.",
    "five segments (JWE)": lambda h, p, s: f"{h}.{p}.{s}.{p}.{s}",
    "only dots": lambda h, p, s: "..",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_anything_but_three_segments_is_refused(shape):
    token = SHAPES[shape](*_support.good().split("."))
    refused(token, f"{shape}: a compact JWS has exactly three segments")


def test_a_valid_token_with_a_segment_added_is_refused():
    token = _support.good()
    refused(token + "." + token.split(".")[2], "it has four segments")
    header, payload, signature = token.split(".")
    refused(f"{header}.{payload}.{payload}.{signature}", "it has four segments")


def test_a_truncated_signature_is_refused():
    token = _support.good()
    refused(token[:-1], "the last character of the signature is missing")
    refused(token[:-2], "the last two characters of the signature are missing")
    refused(token.rsplit(".", 1)[0] + ".", "the signature is empty")


def test_a_segment_of_4k_plus_1_characters_is_refused():
    payload = b64(compact(PAYLOAD))
    while len(payload) % 4 != 1:
        payload = payload[:-1]
    refused(signed(b64(compact(HEADER)), payload),
            f"its payload segment has {len(payload)} characters: base64 never has 4k+1")


def test_a_padded_signature_is_refused():
    token = _support.good()
    assert len(token.rsplit(".", 1)[1]) % 4 == 3  # a 32-byte HMAC: 43 characters
    refused(token + "=", "the signature ends in '=': base64url here has no padding")


@pytest.mark.parametrize("which", ["header", "payload"])
def test_a_padded_segment_is_refused_even_when_signed(which):
    # 28 bytes of header: 38 characters, so padding adds '=='
    header, payload = b64(b'{"alg": "HS256","typ":"JWT"}'), b64(compact({**PAYLOAD, "n": 1}))
    assert len(header) % 4 and len(payload) % 4, (header, payload)
    if which == "header":
        header += "=" * (-len(header) % 4)
    else:
        payload += "=" * (-len(payload) % 4)
    refused(signed(header, payload), f"the {which} segment ends in '=': no padding")


def _with_dash_or_underscore() -> tuple[str, str]:
    """A valid token whose signature holds '-' or '_', and the same in standard base64."""
    for n in range(1000):
        token = _support.good({"sub": "ana", "n": n})
        signature = token.rsplit(".", 1)[1]
        if "-" in signature[:-1] or "_" in signature[:-1]:
            return token, token.rsplit(".", 1)[0] + "." + signature.replace(
                "-", "+").replace("_", "/")
    raise AssertionError("no signature with '-' or '_' in 1000 tokens")


def test_standard_base64_characters_are_refused():
    _, standard = _with_dash_or_underscore()
    refused(standard, "the signature uses '+' or '/' (standard base64), not '-' and '_'")


@pytest.mark.parametrize("junk", ["!", " ", "\n", "é", "*", "%3D"])
def test_a_character_outside_base64url_in_the_signature_is_refused(junk):
    head, signature = _support.good().rsplit(".", 1)
    refused(f"{head}.{signature[:20]}{junk}{signature[20:]}",
            f"the signature holds {junk!r}, which is not base64url")


@pytest.mark.parametrize("junk", ["!", " ", "é"])
def test_a_character_outside_base64url_is_refused_even_when_signed(junk):
    header, payload = b64(compact(HEADER)), b64(compact(PAYLOAD))
    refused(signed(header, payload[:8] + junk + payload[8:]),
            f"the payload segment holds {junk!r}, which is not base64url")


NOT_OBJECTS = [b"not json", b"\xff\xfe{}", b"[" * 50_000, b'["HS256"]', b'"HS256"', b"null",
               b"42", b""]
NOT_OBJECT_IDS = ["not json", "not UTF-8", "nested 50000 deep", "a list", "a string", "null",
                  "a number", "empty"]


@pytest.mark.parametrize("raw", NOT_OBJECTS, ids=NOT_OBJECT_IDS)
def test_a_header_that_is_not_a_json_object_is_refused(raw):
    refused(forge(header=raw), f"the header is {raw[:20]!r}, not a JSON object")


@pytest.mark.parametrize("raw", NOT_OBJECTS, ids=NOT_OBJECT_IDS)
def test_a_payload_that_is_not_a_json_object_is_refused(raw):
    refused(forge(payload=raw), f"the payload is {raw[:20]!r}, not a JSON object "
            "(signed with the right key)")
