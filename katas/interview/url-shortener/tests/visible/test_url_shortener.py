"""Examples of what the hidden tests check."""

import pytest

from url_shortener import InvalidURL, URLShortener, decode_base62, encode_base62


@pytest.mark.base62
def test_base62_round_trip():
    assert encode_base62(61) == "Z"
    assert encode_base62(62) == "10"
    assert decode_base62("10") == 62


@pytest.mark.shorten
def test_shorten_then_expand():
    short = URLShortener()
    code = short.shorten("https://example.org/a")
    assert len(code) >= 6
    assert short.expand(code) == "https://example.org/a"


@pytest.mark.validation
def test_ftp_is_refused():
    with pytest.raises(InvalidURL):
        URLShortener().shorten("ftp://example.org/file")
