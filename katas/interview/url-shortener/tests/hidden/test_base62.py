"""encode_base62 / decode_base62: the alphabet 0-9a-zA-Z, exact inverses, clear errors."""

import random

import pytest

from url_shortener import decode_base62, encode_base62

pytestmark = pytest.mark.base62

KNOWN = [(0, "0"), (9, "9"), (10, "a"), (35, "z"), (36, "A"), (61, "Z"), (62, "10"),
         (3843, "ZZ"), (3844, "100"), (238_327, "ZZZ"), (62**6, "1000000")]


@pytest.mark.parametrize(("number", "text"), KNOWN)
def test_encode_known_values(number, text):
    got = encode_base62(number)
    assert got == text, f"encode_base62({number}) returned {got!r}, expected {text!r}"


@pytest.mark.parametrize(("number", "text"), KNOWN)
def test_decode_known_values(number, text):
    got = decode_base62(text)
    assert got == number, f"decode_base62({text!r}) returned {got!r}, expected {number}"


def test_round_trip_over_many_numbers():
    rng = random.Random(62)
    for number in [rng.randrange(10**30) for _ in range(300)] + list(range(200)):
        text = encode_base62(number)
        assert decode_base62(text) == number, (
            f"decode_base62(encode_base62({number})) gave {decode_base62(text)}; "
            f"encode_base62({number}) was {text!r}")


@pytest.mark.parametrize("number", [-1, -62])
def test_negative_numbers_raise(number):
    with pytest.raises(ValueError):
        encode_base62(number)
        pytest.fail(f"encode_base62({number}) returned normally; expected ValueError")


@pytest.mark.parametrize("text", ["", "a-b", "abc!", " 1", "é", "1.5", "_"])
def test_invalid_text_raises(text):
    with pytest.raises(ValueError):
        got = decode_base62(text)
        pytest.fail(f"decode_base62({text!r}) returned {got!r}; expected ValueError")
