"""What the catalog fixes about a token, checked by `kata compare` on the learner's code
alone: its layout (JSON key order, spacing) is free, so the model compares issue's tokens
only by kind and verifies each side's own, but a token is a compact HS256 JWS that PyJWT
reads, and verify reads the tokens PyJWT writes."""

import base64
import hashlib
import hmac
import json

from harness.differential import Data
from harness.properties import prop

CLAIMS = {"dict": {"sub": {"one_of": ["ana", "bén", "日本", "a/b+c?"]},
                   "n": {"integers": [0, 300]}}}
KEYS = ["key-one-key-one-key-one-key-one", "key-two-key-two-key-two-key-two"]
KEY = {"one_of": KEYS}
TTL = {"one_of": [1, 60, 3600]}
NOW = {"integers": [1000, 2_000_000_000]}
HEADER = {"alg": "HS256", "typ": "JWT"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _read(segment: str) -> bytes:
    """A base64url segment without padding, as PyJWT decodes it; ValueError otherwise."""
    if "=" in segment or not segment.isascii():
        raise ValueError(f"{segment!r} is not base64url without padding")
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


@prop(claims=CLAIMS, key=KEY, ttl=TTL, now=NOW)
def issue_makes_a_compact_hs256_jws_of_the_claims(tokens, claims, key, ttl, now):
    """issue gives a compact HS256 JWS (unpadded base64url) of the claims with iat and exp.

    header.payload.signature: the JWT header {"alg": "HS256", "typ": "JWT"}, the claims with
    iat = now and exp = now + ttl, and the HMAC-SHA256 of the first two under the key."""
    token = tokens.issue(claims, Data(key), ttl, now)
    call = f"issue({claims!r}, {key.encode()!r}, {ttl}, {now}) returned {token!r}"
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        return f"{call}: not three segments joined by '.'"
    try:
        header, payload, signature = (_read(part) for part in parts)
    except ValueError as exc:
        return f"{call}: {exc}"
    try:
        header_object, payload_object = json.loads(header), json.loads(payload)
    except ValueError:
        return f"{call}: its header {header!r} or payload {payload!r} is not JSON"
    if header_object != HEADER:
        return f"{call}: its header is {header_object!r}, not {HEADER!r}"
    expected = {**claims, "iat": now, "exp": now + ttl}
    if payload_object != expected:
        return f"{call}: its payload is {payload_object!r}, not {expected!r}"
    signing_input = f"{parts[0]}.{parts[1]}".encode()
    if not hmac.compare_digest(signature,
                               hmac.new(key.encode(), signing_input, hashlib.sha256).digest()):
        return f"{call}: its signature is not HMAC-SHA256 of {signing_input!r} under the key"
    return None


@prop(claims=CLAIMS, key=KEY, ttl=TTL, now=NOW)
def verify_reads_the_tokens_pyjwt_writes(tokens, claims, key, ttl, now):
    """verify accepts a token PyJWT writes with the same key and gives back its claims."""
    payload = {**claims, "iat": now, "exp": now + ttl}
    signing_input = ".".join(_b64(json.dumps(part, separators=(",", ":")).encode())
                             for part in (HEADER, payload))
    signature = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{_b64(signature)}"
    got = tokens.verify(token, Data(key), now)
    if got != payload:
        return f"verify({token!r}, {key.encode()!r}, {now}) returned {got!r}, not {payload!r}"
    return None
