"""Signed tokens: compact JWS with HS256 (RFC 7515 / RFC 7519), interoperable with PyJWT.

A token is three base64url segments joined by dots: header, payload, signature.

    base64url(header) "." base64url(payload) "." base64url(HMAC-SHA256(key, first two parts))

base64url here is RFC 4648 section 5 (letters, digits, '-' and '_') WITHOUT '=' padding.
"""


class InvalidToken(Exception):
    """The token is malformed, forged, signed with another key or algorithm, or outside
    its validity window."""


def issue(claims: dict, key: bytes, ttl: int, now: int | None = None) -> str:
    """A signed token carrying `claims` plus `iat` and `exp`.

    - header: a JSON object equal to {"alg": "HS256", "typ": "JWT"} (key order and
      whitespace are yours to choose);
    - payload: a JSON object holding every claim of `claims`, plus "iat": now and
      "exp": now + ttl;
    - signature: HMAC-SHA256 with `key` over the ASCII text "<header>.<payload>" (the two
      segments as they appear in the token);
    - every segment is base64url without padding.
    `now` is seconds since the epoch (an int); None means int(time.time()).
    PyJWT's jwt.decode(token, key, algorithms=["HS256"]) must accept the token (while
    it is valid) and read the same claims.
    """
    # TODO: build the header and payload JSON, encode, sign, join with dots.
    raise NotImplementedError


def verify(token: str, key: bytes, now: int | None = None, leeway: int = 0) -> dict:
    """The payload (a dict: the claims, iat and exp included) of a valid token.

    Raises InvalidToken, and never another exception, for a token that is:
    - malformed: not exactly three segments; a segment that is not base64url without
      padding (any character other than A-Z a-z 0-9 - _, '=' included); a header or payload
      that is not UTF-8 JSON, or is JSON but not an object; an exp or nbf that is not a number;
    - signed with another algorithm: the header's "alg" must be exactly "HS256" ("none",
      "HS512", "RS256" or a missing alg are refused, whatever the signature);
    - forged or signed with another key: the signature is not HMAC-SHA256 with `key` of
      "<header>.<payload>". Compare signatures with hmac.compare_digest (constant time);
    - expired: "exp" <= now - leeway (a token is valid while now < exp, RFC 7519);
    - not valid yet: "nbf" > now + leeway (valid from nbf on).
    exp and nbf are checked when present; a token without them (PyJWT can issue one)
    does not expire. An iat in the future may be refused or not, as you choose (PyJWT
    refuses it); other claims (sub, aud, ...) are returned as they are, unchecked.
    `now` is seconds since the epoch; None means int(time.time()).
    Tokens issued by PyJWT's jwt.encode(claims, key, algorithm="HS256") must verify.
    """
    # TODO: split, check the header's alg, check the signature, then parse the payload
    # and check exp and nbf.
    raise NotImplementedError
