"""Only the key's HS256 signature makes a token valid: other keys, forged payloads and
tokens that name their own algorithm are refused."""

import ast
import hashlib

import _support
import jwt
import pytest
import tokens
from _support import HEADER, KEY, OTHER_KEY, T0, b64, compact, forge, refused

from harness.testing import imported_modules, in_learner

pytestmark = pytest.mark.signatures


def test_a_token_signed_with_another_key_is_refused():
    token = jwt.encode({"sub": "ana", "exp": T0 + 600}, OTHER_KEY, algorithm="HS256")
    refused(token, "it is signed with another key")


def test_a_changed_payload_is_refused():
    header, _, signature = _support.good({"sub": "ana", "role": "user"}).split(".")
    forged = b64(compact({"sub": "ana", "role": "admin", "iat": T0, "exp": T0 + 600}))
    refused(f"{header}.{forged}.{signature}", "the payload was changed after signing")


def test_a_changed_signature_is_refused():
    token = _support.good()
    head, signature = token.rsplit(".", 1)
    middle = len(signature) // 2
    flipped = "A" if signature[middle] != "A" else "B"
    refused(f"{head}.{signature[:middle]}{flipped}{signature[middle + 1:]}",
            "one character of the signature was changed")


def test_alg_none_without_a_signature_is_refused():
    header = b64(compact({"alg": "none", "typ": "JWT"}))
    payload = b64(compact({"sub": "ana", "exp": T0 + 600}))
    refused(f"{header}.{payload}.", 'its header says "alg": "none" and it has no signature')


def test_alg_none_is_refused_even_with_a_valid_signature():
    token = forge({"alg": "none", "typ": "JWT"})
    refused(token, 'its header says "alg": "none" (only HS256 is accepted, whatever the signature)')


@pytest.mark.parametrize("header", [
    {"alg": "RS256", "typ": "JWT"}, {"alg": "HS512", "typ": "JWT"},
    {"alg": "hs256", "typ": "JWT"}, {"alg": "HS256 ", "typ": "JWT"}, {"typ": "JWT"},
    {"alg": None, "typ": "JWT"}, {"alg": ["HS256"]},
], ids=["RS256", "HS512", "lower case hs256", "HS256 and a space", "no alg", "alg null",
        "alg list"])
def test_a_header_naming_another_algorithm_is_refused(header):
    refused(forge(header), f"the header is {header!r}: alg must be exactly 'HS256', even "
            "with a valid HS256 signature")


def test_a_token_signed_with_hs512_is_refused():
    token = jwt.encode({"sub": "ana", "exp": T0 + 600}, KEY, algorithm="HS512")
    refused(token, "it is signed with HS512: the algorithm is the verifier's, never the token's")


def test_hs384_signed_with_the_key_is_refused():
    refused(forge({"alg": "HS384", "typ": "JWT"}, digest=hashlib.sha384),
            "it is signed with HS384: the algorithm is the verifier's, never the token's")


def test_the_header_segment_is_part_of_what_is_signed():
    token = _support.good()
    _, payload, signature = token.split(".")
    header = b64(compact({**HEADER, "kid": "other"}))
    refused(f"{header}.{payload}.{signature}", "the header was changed after signing")


def _names(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return ({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
            | {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
            | {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names})


def test_signatures_are_compared_in_constant_time():
    source = in_learner("module_source", "tokens")
    uses_pyjwt = imported_modules(tokens).uses("jwt", loaded=False)
    assert "compare_digest" in _names(source or "") or uses_pyjwt, (
        "tokens.py never calls hmac.compare_digest: comparing signatures with == stops at "
        "the first differing byte, and the time that takes lets an attacker find a valid "
        "signature byte by byte; compare with hmac.compare_digest(a, b)")
