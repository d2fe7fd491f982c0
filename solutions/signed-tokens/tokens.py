"""Signed tokens: compact JWS with HS256 (RFC 7515 / RFC 7519), interoperable with PyJWT."""

import base64
import hashlib
import hmac
import json
import re
import time

# The one header this module writes and the one algorithm it accepts. The algorithm is
# fixed by the verifier, never taken from the token: a token that names its own algorithm
# ("none", or HS512 with a key the attacker chose) must not choose how it is checked.
HEADER = {"alg": "HS256", "typ": "JWT"}
ALGORITHM = "HS256"

# base64url without padding (RFC 7515 section 2): letters, digits, '-' and '_', nothing
# else. Python's decoder is lenient (it skips unknown characters, accepts '+', '/' and
# '='), so the alphabet is checked first: one token has exactly one spelling.
SEGMENT = re.compile(r"[A-Za-z0-9_-]*")


class InvalidToken(Exception):
    """The token is malformed, forged, signed with another key or algorithm, or outside
    its validity window."""


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _segments(token: str) -> list[str]:
    """The three segments of a compact JWS, each checked to be base64url without padding."""
    segments = token.split(".")
    if len(segments) != 3:
        raise InvalidToken("a compact JWS has exactly three segments")
    for segment in segments:
        # a segment of 4k+1 characters is never base64: 6 bits cannot end a byte
        if not SEGMENT.fullmatch(segment) or len(segment) % 4 == 1:
            raise InvalidToken("a segment is not base64url without padding")
    return segments


def _b64decode(segment: str) -> bytes:
    """The bytes of a segment _segments() has checked: decoding cannot fail."""
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _json_object(segment: str, what: str) -> dict:
    try:
        value = json.loads(_b64decode(segment).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InvalidToken(f"the {what} is not JSON") from exc
    if not isinstance(value, dict):
        raise InvalidToken(f"the {what} is not a JSON object")
    return value


def _sign(signing_input: str, key: bytes) -> bytes:
    return hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest()


def _number(payload: dict, claim: str) -> float:
    value = payload[claim]
    if not isinstance(value, (int, float)):
        raise InvalidToken(f"the {claim} claim is not a number")
    return value


def issue(claims: dict, key: bytes, ttl: int, now: int | None = None) -> str:
    """A token carrying `claims` plus `iat` (now) and `exp` (now + ttl), signed with `key`."""
    if now is None:
        now = int(time.time())
    payload = {**claims, "iat": now, "exp": now + ttl}
    # Compact JSON, as PyJWT writes it; any layout that parses to the same object would do.
    header_segment = _b64encode(json.dumps(HEADER, separators=(",", ":")).encode())
    payload_segment = _b64encode(json.dumps(payload, separators=(",", ":")).encode())
    signing_input = f"{header_segment}.{payload_segment}"
    return f"{signing_input}.{_b64encode(_sign(signing_input, key))}"


def verify(token: str, key: bytes, now: int | None = None, leeway: int = 0) -> dict:
    """The claims of a token signed with `key` and valid at `now` (± leeway), or InvalidToken."""
    header_segment, payload_segment, signature_segment = _segments(token)

    header = _json_object(header_segment, "header")
    if header.get("alg") != ALGORITHM:
        raise InvalidToken("only HS256 is accepted")
    signature = _b64decode(signature_segment)
    expected = _sign(f"{header_segment}.{payload_segment}", key)
    # compare_digest takes the same time wherever the first differing byte is, so an
    # attacker cannot find a valid signature byte by byte from response times.
    if not hmac.compare_digest(signature, expected):
        raise InvalidToken("bad signature")

    # Only a signed payload is parsed: an attacker's bytes never reach json.loads.
    payload = _json_object(payload_segment, "payload")
    if now is None:
        now = int(time.time())
    # RFC 7519 (and PyJWT): valid while now < exp; from nbf on (now >= nbf). The leeway
    # widens the window on both sides, for clocks that disagree a little.
    if "exp" in payload and _number(payload, "exp") <= now - leeway:
        raise InvalidToken("the token has expired")
    if "nbf" in payload and _number(payload, "nbf") > now + leeway:
        raise InvalidToken("the token is not valid yet")
    return payload
