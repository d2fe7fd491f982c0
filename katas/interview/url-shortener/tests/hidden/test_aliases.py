"""Aliases: 4-30 characters of A-Za-z0-9_-, never shared, never a generated code."""

import pytest

from url_shortener import AliasTaken, URLShortener

pytestmark = pytest.mark.aliases

URL, OTHER = "https://example.org/spring", "https://example.org/autumn"


@pytest.mark.parametrize("alias", ["sale", "spring-sale_2026", "A" * 30, "x-_0"])
def test_a_valid_alias_is_the_code(alias):
    short = URLShortener()
    got = short.shorten(URL, alias=alias)
    assert got == alias, f"shorten(url, alias={alias!r}) returned {got!r}"
    assert short.expand(alias) == URL


@pytest.mark.parametrize("alias", ["abc", "A" * 31, "has space", "dot.ted", "slash/y",
                                   "émoji", "", "tab\tx", "x" * 100,
                                   "sale\n"])  # `$` of re.match lets a last newline by
def test_an_invalid_alias_raises_value_error(alias):
    with pytest.raises(ValueError):
        got = URLShortener().shorten(URL, alias=alias)
        pytest.fail(f"shorten(url, alias={alias!r}) returned {got!r}; expected ValueError")


def test_the_same_alias_for_the_same_url_returns_it():
    short = URLShortener()
    short.shorten(URL, alias="spring")
    try:
        again = short.shorten(URL, alias="spring")
    except AliasTaken:
        pytest.fail("shorten(url, alias='spring') twice for the same URL raised AliasTaken; "
                    "it should return 'spring' again")
    assert again == "spring"


def test_an_alias_of_another_url_is_taken():
    short = URLShortener()
    short.shorten(URL, alias="season")
    with pytest.raises(AliasTaken):
        short.shorten(OTHER, alias="season")
        pytest.fail("shorten(other_url, alias='season') returned normally although 'season' "
                    "points at another URL; expected AliasTaken")
    assert short.expand("season") == URL, "a refused alias must keep pointing at its URL"


def test_an_alias_equal_to_a_generated_code_is_taken():
    short = URLShortener()
    code = short.shorten(URL)
    with pytest.raises(AliasTaken):
        short.shorten(OTHER, alias=code)
        pytest.fail(f"shorten(other_url, alias={code!r}) took the generated code of another "
                    "URL; expected AliasTaken")
    assert short.expand(code) == URL


def test_generated_codes_never_equal_an_alias():
    urls = [f"https://example.org/{i}" for i in range(60)]
    probe = URLShortener()
    codes = [probe.shorten(url) for url in urls]  # what this generator hands out
    short = URLShortener()
    taken = {}
    for number, code in enumerate(codes):
        if 4 <= len(code) <= 30:
            short.shorten(f"https://aliases.example.org/{number}", alias=code)
            taken[code] = f"https://aliases.example.org/{number}"
    for url in urls:
        code = short.shorten(url)
        assert code not in taken, (f"shorten({url!r}) generated {code!r}, which is already an "
                                   "alias of another URL; skip codes that are taken")
        assert short.expand(code) == url


def test_alias_taken_is_a_value_error():
    assert issubclass(AliasTaken, ValueError)
