"""Only absolute http(s) URLs with a host, without whitespace or control characters."""

import pytest

from url_shortener import InvalidURL, URLShortener

pytestmark = pytest.mark.validation

VALID = ["http://example.org", "https://example.org/", "HTTPS://Example.org/Path?q=1#top",
         "Http://example.org:8080/a/b", "https://127.0.0.1/x", "http://[::1]:80/",
         "https://sub.example.co.uk/%20encoded"]
INVALID = ["", "example.org", "//example.org/x", "ftp://example.org/f", "mailto:a@b.org",
           "javascript:alert(1)", "http://", "https:///path-only", "http:example.org",
           "http://exa mple.org/", "https://example.org/a b", "https://example.org/\ttab",
           "https://example.org/\nnext", "https://example.org/\x00", "https://example.org/\x7f",
           " https://example.org/", "file:///etc/passwd", "http://[::1/unclosed",
           # a netloc with no host in it: a port or a user only
           "http://:80/", "http://user@/", "http://@/"]


@pytest.mark.parametrize("url", VALID)
def test_valid_urls_are_accepted(url):
    short = URLShortener()
    try:
        code = short.shorten(url)
    except ValueError as exc:
        pytest.fail(f"shorten({url!r}) raised {type(exc).__name__}: {exc}; it is a valid URL")
    assert short.expand(code) == url


@pytest.mark.parametrize("url", INVALID)
def test_invalid_urls_raise_invalid_url(url):
    with pytest.raises(InvalidURL):
        got = URLShortener().shorten(url)
        pytest.fail(f"shorten({url!r}) returned {got!r}; expected InvalidURL")


def test_invalid_url_is_a_value_error():
    assert issubclass(InvalidURL, ValueError)


def test_a_refused_url_stores_nothing():
    short = URLShortener()
    with pytest.raises(InvalidURL):
        short.shorten("ftp://example.org/f", alias="my-file")
    code = short.shorten("https://example.org/ok", alias="my-file")
    assert code == "my-file", "a refused shorten() must not keep its alias"
