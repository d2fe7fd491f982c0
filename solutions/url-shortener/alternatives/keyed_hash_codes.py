"""A correct alternative: codes are a keyed hash of the URL, lengthened on collision.

Each shortener draws a secret key; a URL's candidate code is BLAKE2b(key, url, try
number) reduced modulo 62**length and written in base 62. A candidate that is already
a code or an alias, or that shares all but its last character with the previous
generated code, is skipped by hashing again with the next try number; after a few
misses at one length the code grows by one character, so the search always ends.
Generated codes are at least two characters long, so "differ in more than the last
character" can always hold (min_length=1 is still honoured: 2 >= 1).
"""

import hashlib
import secrets
import threading
import unicodedata
from urllib.parse import urlsplit

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGIT_VALUE = {digit: value for value, digit in enumerate(ALPHABET)}
ALIAS_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
TRIES_PER_LENGTH = 4


class InvalidURL(ValueError):
    """The URL is not an absolute http(s) URL with a host."""


class AliasTaken(ValueError):
    """The alias already points at another URL, or is a generated code."""


def encode_base62(n: int) -> str:
    if n < 0:
        raise ValueError("base 62 encodes non-negative numbers only")
    digits = [ALPHABET[n % 62]]
    n //= 62
    while n:
        n, low = divmod(n, 62)
        digits.append(ALPHABET[low])
    return "".join(digits[::-1])


def decode_base62(s: str) -> int:
    if not s:
        raise ValueError("empty base 62 string")
    total = 0
    for digit in s:
        try:
            total = total * 62 + DIGIT_VALUE[digit]
        except KeyError:
            raise ValueError(f"not a base 62 digit: {digit!r}") from None
    return total


def _is_web_url(url) -> bool:
    if not isinstance(url, str):
        return False
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url):
        return False  # whitespace, control characters (C0, DEL, C1)
    scheme, sep, _ = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return False
    try:
        host = urlsplit(url).hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return bool(host)


def _valid_alias(alias) -> bool:
    return isinstance(alias, str) and 4 <= len(alias) <= 30 and set(alias) <= ALIAS_CHARS


class URLShortener:
    def __init__(self, min_length: int = 6) -> None:
        self._length = max(min_length, 2)
        self._key = secrets.token_bytes(32)
        self._target = {}    # code or alias -> URL
        self._hits = {}      # code or alias -> clicks
        self._code_of = {}   # URL -> its generated code
        self._previous = None
        self._mutex = threading.Lock()

    def _candidate(self, url: str, attempt: int, length: int) -> str:
        digest = hashlib.blake2b(f"{attempt}\n{url}".encode(), key=self._key).digest()
        number = int.from_bytes(digest, "big") % 62**length
        return encode_base62(number).rjust(length, "0")

    def _guessable(self, code: str) -> bool:
        before = self._previous
        return before is not None and len(before) == len(code) and before[:-1] == code[:-1]

    def _generate(self, url: str) -> str:
        attempt, length = 0, self._length
        while True:
            code = self._candidate(url, attempt, length)
            if code not in self._target and not self._guessable(code):
                return code
            attempt += 1
            if attempt % TRIES_PER_LENGTH == 0:
                length += 1

    def shorten(self, url: str, alias: str | None = None) -> str:
        if not _is_web_url(url):
            raise InvalidURL(url)
        if alias is not None and not _valid_alias(alias):
            raise ValueError(f"invalid alias: {alias!r}")
        with self._mutex:
            if alias is not None:
                if alias in self._target and self._target[alias] != url:
                    raise AliasTaken(alias)
                self._target[alias] = url
                self._hits.setdefault(alias, 0)
                return alias
            code = self._code_of.get(url)
            if code is None:
                code = self._generate(url)
                self._code_of[url] = code
                self._target[code] = url
                self._hits[code] = 0
                self._previous = code
            return code

    def expand(self, code: str) -> str:
        with self._mutex:
            url = self._target[code]
            self._hits[code] += 1
        return url

    def clicks(self, code: str) -> int:
        with self._mutex:
            return self._hits[code]
