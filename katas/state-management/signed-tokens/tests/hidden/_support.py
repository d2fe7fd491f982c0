"""What the hidden tests of signed-tokens share: keys, a fixed `now`, tokens built by hand
(to forge the attacks), PyJWT as the oracle, generated claims, and the check that verify
refuses a token with InvalidToken and nothing else."""

import base64
import hashlib
import hmac
import json
import random

import jwt
from tokens import InvalidToken, verify

KEY = b"the-signing-key-of-the-service-0123456789"
OTHER_KEY = b"another-service-key-9876543210-abcdefghij"
T0 = 1_700_000_000  # the `now` the tests pass: a second since the epoch, in 2023
HEADER = {"alg": "HS256", "typ": "JWT"}
# PyJWT checks nothing the contract leaves to the caller (aud, sub, jti) and reads the real
# clock: the oracle checks the format and the signature only.
NO_CLAIM_CHECKS = {"verify_exp": False, "verify_nbf": False, "verify_iat": False,
                   "verify_aud": False, "verify_iss": False, "verify_sub": False,
                   "verify_jti": False}
# unreserved claim names the generator must not draw: issue() sets iat and exp itself
RESERVED = {"iat", "exp", "nbf"}


def b64(data: bytes) -> str:
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def compact(value) -> bytes:
    """`value` as compact JSON bytes (bytes are taken as they are)."""
    if isinstance(value, bytes):
        return value
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def sign(signing_input: str, key: bytes = KEY, digest=hashlib.sha256) -> str:
    # UTF-8: a test may sign a segment holding a character outside base64url
    return b64(hmac.new(key, signing_input.encode("utf-8"), digest).digest())


def signed(header_segment: str, payload_segment: str, key: bytes = KEY,
           digest=hashlib.sha256) -> str:
    """The two segments as they are, signed with HMAC of `digest` and `key`."""
    text = f"{header_segment}.{payload_segment}"
    return f"{text}.{sign(text, key, digest)}"


def forge(header=None, payload=None, key: bytes = KEY, digest=hashlib.sha256) -> str:
    """A token of this header and payload (objects, or raw bytes), signed with `key`."""
    header = HEADER if header is None else header
    payload = {"sub": "ana", "iat": T0, "exp": T0 + 600} if payload is None else payload
    return signed(b64(compact(header)), b64(compact(payload)), key, digest)


def good(claims=None, ttl: int = 600) -> str:
    """A valid token that PyJWT issues at T0."""
    claims = {"sub": "ana", "role": "admin"} if claims is None else claims
    return jwt.encode({**claims, "iat": T0, "exp": T0 + ttl}, KEY, algorithm="HS256")


def pyjwt_payload(token: str, key: bytes = KEY) -> dict:
    """What PyJWT reads from `token` (signature and format checked, time left out)."""
    return jwt.decode(token, key, algorithms=["HS256"], options=NO_CLAIM_CHECKS)


def show(token: str) -> str:
    return repr(token) if len(token) <= 160 else repr(token[:150] + "...")


def refused(token: str, because: str, key: bytes = KEY, now: int = T0, leeway: int = 0):
    """Asserts that verify refuses `token` with InvalidToken (not another exception)."""
    call = f"verify({show(token)}, key, now={now}, leeway={leeway})"
    try:
        got = verify(token, key, now, leeway)
    except InvalidToken:
        return
    except Exception as exc:  # noqa: BLE001 -- any other class is the learner's mistake
        raise AssertionError(
            f"{call} raised {type(exc).__name__}: {exc}; expected InvalidToken ({because}). "
            "verify raises InvalidToken for every bad token, never another exception") from None
    raise AssertionError(f"{call} returned {got!r}; expected InvalidToken ({because})")


def accepted(token: str, key: bytes = KEY, now: int = T0, leeway: int = 0) -> dict:
    """verify's answer for a token it must accept, with a message when it refuses."""
    try:
        return verify(token, key, now, leeway)
    except InvalidToken as exc:
        raise AssertionError(
            f"verify({show(token)}, key, now={now}, leeway={leeway}) raised InvalidToken "
            f"({exc}); expected the claims {pyjwt_payload(token, key)!r}") from None


# --- generated claims -------------------------------------------------------------------

_ALPHABETS = ["abcxyz_-", "ÄÖÜßéèçñ", "日本語テキスト", "🙂🚀👩‍💻", " \t\n\"\\/'<>&",
              "\x00\x01\x1f\x7f"]


def _text(rng: random.Random, size: int = 8) -> str:
    alphabet = "".join(rng.sample(_ALPHABETS, 2))
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, size)))


def _value(rng: random.Random, depth: int):
    kind = rng.choice(["str", "int", "float", "bool", "null", "list", "dict"] if depth < 3
                      else ["str", "int", "float", "bool", "null"])
    if kind == "str":
        return _text(rng)
    if kind == "int":
        return rng.choice([0, -1, 2**31, -(2**53), rng.randint(-10**6, 10**6)])
    if kind == "float":
        return rng.choice([0.5, -2.25, 1e-7, 6.02e23, rng.uniform(-1e6, 1e6)])
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "null":
        return None
    if kind == "list":
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return claims(rng, depth + 1)


def claims(rng: random.Random, depth: int = 0) -> dict:
    """A random JSON-able dict: unicode keys and values, nested lists and dicts."""
    found = {}
    for _ in range(rng.randint(0 if depth else 1, 5)):
        name = _text(rng) or "k"
        if name not in RESERVED:
            found[name] = _value(rng, depth)
    return found
