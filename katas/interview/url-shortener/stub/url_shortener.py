"""A URL shortener: base62 codes, custom aliases, click counts.

Fill in every function and method marked TODO; the docstrings are the contract.
"""

from __future__ import annotations

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


class InvalidURL(ValueError):
    """The URL is not an absolute http(s) URL with a host."""


class AliasTaken(ValueError):
    """The alias already points at another URL, or is a generated code."""


def encode_base62(n: int) -> str:
    """Writes n in base 62 with the alphabet 0-9a-zA-Z (0 is "0", 61 is "Z", 62 is "10").

    A negative n raises ValueError.
    """
    # TODO: repeated divmod by 62, digits from _ALPHABET
    raise NotImplementedError


def decode_base62(s: str) -> int:
    """The inverse of encode_base62. "" or any character outside the alphabet: ValueError."""
    # TODO: read the digits from the left
    raise NotImplementedError


class URLShortener:
    """Maps short codes to URLs and counts clicks. Thread-safe.

    - Only absolute http/https URLs (the scheme in any case) with a host, and without
      whitespace or control characters, are accepted; anything else raises InvalidURL.
    - Generated codes are base62, at least `min_length` characters, and not guessable
      from one another: two consecutive codes differ in more than their last character.
    - Shortening the same URL again without an alias returns the same code.
    - An alias is 4 to 30 characters of A-Z a-z 0-9 _ - (else ValueError) and must be
      free (else AliasTaken): the same alias again for the same URL returns it, for
      another URL raises. A generated code never equals an alias, and an alias equal to
      a generated code is taken.
    """

    def __init__(self, min_length: int = 6) -> None:
        # TODO: the tables, a counter or a random source, a lock
        raise NotImplementedError

    def shorten(self, url: str, alias: str | None = None) -> str:
        """Returns the code for url: the alias when one is given, else a generated code."""
        # TODO: validate, then store
        raise NotImplementedError

    def expand(self, code: str) -> str:
        """Returns the URL of code and counts one click; an unknown code raises KeyError."""
        # TODO: look up and count
        raise NotImplementedError

    def clicks(self, code: str) -> int:
        """How many times code was expanded (asking does not count); unknown: KeyError."""
        # TODO: return the count
        raise NotImplementedError
