"""Signed tokens, by hand and the other way round: the token is matched as a whole by one
pattern, the signature is compared as base64url text (the expected one is encoded, the
token's is never decoded), and the checks run as a list of rules over the parsed token."""

import base64
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass

# Three base64url segments, no padding; a segment of 4k+1 characters cannot be base64.
_TOKEN = re.compile(r"([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)")


class InvalidToken(Exception):
    """The token is malformed, forged, signed with another key or algorithm, or outside
    its validity window."""


@dataclass(frozen=True)
class _Parsed:
    signing_input: str
    signature: str
    header: dict
    payload_segment: str


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _object(segment: str) -> dict:
    if len(segment) % 4 == 1:
        raise InvalidToken("not base64url")
    raw = base64.urlsafe_b64decode(segment + "==")  # the decoder ignores excess padding
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidToken("not JSON") from None
    if type(value) is not dict:
        raise InvalidToken("not a JSON object")
    return value


def _parse(token: str) -> _Parsed:
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise InvalidToken("not a compact JWS")
    header, payload, signature = match.groups()
    return _Parsed(f"{header}.{payload}", signature, _object(header), payload)


def _mac(key: bytes, text: str) -> str:
    return _encode(hmac.new(key, text.encode("ascii"), hashlib.sha256).digest())


def _time(payload: dict, claim: str) -> float | None:
    value = payload.get(claim)
    if claim in payload and not isinstance(value, (int, float)):
        raise InvalidToken(f"{claim} is not a number")
    return value


def issue(claims: dict, key: bytes, ttl: int, now: int | None = None) -> str:
    now = int(time.time()) if now is None else now
    body = dict(claims)
    body.update(iat=now, exp=now + ttl)
    # another layout than PyJWT's (keys sorted, spaces, non-ASCII kept as UTF-8): free
    text = (_encode(json.dumps({"typ": "JWT", "alg": "HS256"}, sort_keys=True).encode())
            + "." + _encode(json.dumps(body, ensure_ascii=False).encode("utf-8")))
    return text + "." + _mac(key, text)


def verify(token: str, key: bytes, now: int | None = None, leeway: int = 0) -> dict:
    parsed = _parse(token)
    if parsed.header.get("alg") != "HS256":
        raise InvalidToken("wrong algorithm")
    if not hmac.compare_digest(parsed.signature.encode(), _mac(key, parsed.signing_input).encode()):
        raise InvalidToken("bad signature")
    payload = _object(parsed.payload_segment)
    now = int(time.time()) if now is None else now
    exp, nbf = _time(payload, "exp"), _time(payload, "nbf")
    if exp is not None and not now - leeway < exp:
        raise InvalidToken("expired")
    if nbf is not None and not nbf <= now + leeway:
        raise InvalidToken("not valid yet")
    return payload
