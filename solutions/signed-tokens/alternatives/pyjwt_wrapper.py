"""Signed tokens with PyJWT, the library a production service would use. PyJWT signs,
checks the algorithm and the signature; two things stay here: PyJWT reads the real clock,
so exp and nbf are checked against `now`; and PyJWT accepts '=' padding (some issuers
send it), which this contract refuses, so the format is checked first."""

import re
import time

import jwt

_COMPACT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
# PyJWT's own time checks use the real clock, and it checks aud/sub/jti, which this
# contract leaves to the caller: all off, exp and nbf are checked below against `now`.
_OPTIONS = {"verify_exp": False, "verify_nbf": False, "verify_iat": False,
            "verify_aud": False, "verify_iss": False, "verify_sub": False,
            "verify_jti": False}


class InvalidToken(Exception):
    """The token is malformed, forged, signed with another key or algorithm, or outside
    its validity window."""


def issue(claims: dict, key: bytes, ttl: int, now: int | None = None) -> str:
    now = int(time.time()) if now is None else now
    return jwt.encode({**claims, "iat": now, "exp": now + ttl}, key, algorithm="HS256")


def verify(token: str, key: bytes, now: int | None = None, leeway: int = 0) -> dict:
    if not _COMPACT.fullmatch(token):
        raise InvalidToken("not a compact JWS without padding")
    try:
        payload = jwt.decode(token, key, algorithms=["HS256"], options=_OPTIONS)
    except jwt.PyJWTError as exc:  # signature, algorithm, JSON: all subclasses
        raise InvalidToken(str(exc)) from exc
    now = int(time.time()) if now is None else now
    for claim in ("exp", "nbf"):
        if claim in payload and not isinstance(payload[claim], (int, float)):
            raise InvalidToken(f"{claim} is not a number")
    if "exp" in payload and payload["exp"] <= now - leeway:
        raise InvalidToken("expired")
    if "nbf" in payload and payload["nbf"] > now + leeway:
        raise InvalidToken("not valid yet")
    return payload
