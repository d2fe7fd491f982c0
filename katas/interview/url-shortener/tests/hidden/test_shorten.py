"""shorten and expand: stable, short, not sequential codes."""

import string

import pytest

from url_shortener import URLShortener

pytestmark = pytest.mark.shorten

BASE62 = set(string.digits + string.ascii_letters)
URLS = [f"https://example.org/page/{i}" for i in range(200)]


def test_expand_returns_the_url():
    short = URLShortener()
    for url in URLS[:50]:
        code = short.shorten(url)
        got = short.expand(code)
        assert got == url, f"expand({code!r}) returned {got!r}, expected {url!r}"


def test_the_same_url_gets_the_same_code():
    short = URLShortener()
    first = short.shorten(URLS[0])
    short.shorten(URLS[1])
    again = short.shorten(URLS[0])
    assert first == again, f"shorten({URLS[0]!r}) gave {first!r}, then {again!r}"


def test_different_urls_get_different_codes():
    short = URLShortener()
    codes = [short.shorten(url) for url in URLS]
    assert len(set(codes)) == len(URLS), "two different URLs got the same code"


@pytest.mark.parametrize("min_length", [6, 4, 9, 1])
def test_codes_are_base62_and_long_enough(min_length):
    short = URLShortener(min_length=min_length)
    for url in URLS:
        code = short.shorten(url)
        assert len(code) >= min_length and set(code) <= BASE62, (
            f"URLShortener(min_length={min_length}).shorten(...) returned {code!r}; expected "
            f"at least {min_length} characters of 0-9a-zA-Z")


def test_default_min_length_is_six():
    code = URLShortener().shorten(URLS[0])
    assert len(code) >= 6, f"shorten() returned {code!r}, shorter than 6 characters"


def test_consecutive_codes_are_not_guessable():
    short = URLShortener()
    codes = [short.shorten(url) for url in URLS[:100]]
    for before, after in zip(codes, codes[1:]):
        same_prefix = len(before) == len(after) and before[:-1] == after[:-1]
        assert not same_prefix, (
            f"consecutive codes {before!r} and {after!r} differ only in their last "
            "character: anyone can guess the next one; scramble the counter or draw "
            "random codes")


def test_instances_are_independent():
    one, two = URLShortener(), URLShortener()
    code = one.shorten(URLS[0])
    with pytest.raises(KeyError):
        two.expand(code)
        pytest.fail(f"a code from one shortener ({code!r}) expanded in another")


def test_unknown_codes_raise_key_error():
    short = URLShortener()
    short.shorten(URLS[0])
    for call in ("expand", "clicks"):
        with pytest.raises(KeyError):
            got = getattr(short, call)("nope42")
            pytest.fail(f"{call}('nope42') returned {got!r}; expected KeyError")
