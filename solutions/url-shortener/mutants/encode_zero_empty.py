"""Mutant: encode_base62(0) returns "" instead of "0"."""
from __future__ import annotations

import re
import threading
from urllib.parse import urlsplit

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_INDEX = {char: value for value, char in enumerate(_ALPHABET)}
_ALIAS = re.compile(r"[A-Za-z0-9_-]{4,30}")
_SCRAMBLE = 1_580_030_173  # odd and not a multiple of 31: coprime to 62**n


class InvalidURL(ValueError):
    """The URL is not an absolute http(s) URL with a host."""


class AliasTaken(ValueError):
    """The alias already points at another URL, or is a generated code."""


def encode_base62(n: int) -> str:
    """Writes n in base 62 with the alphabet 0-9a-zA-Z; 0 is "0"."""
    if n < 0:
        raise ValueError(f"cannot encode a negative number ({n})")
    digits = []
    if n == 0:
        return ""
    while True:
        n, digit = divmod(n, 62)
        digits.append(_ALPHABET[digit])
        if n == 0:
            return "".join(reversed(digits))


def decode_base62(s: str) -> int:
    """Reads a base 62 number written by encode_base62."""
    if not s:
        raise ValueError("an empty string is not a base 62 number")
    value = 0
    for char in s:
        if char not in _INDEX:
            raise ValueError(f"{char!r} is not a base 62 digit")
        value = value * 62 + _INDEX[char]
    return value


def _valid_url(url: str) -> bool:
    if not isinstance(url, str) or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


class URLShortener:
    """Maps short codes to URLs and counts the clicks on each code. Thread-safe."""

    def __init__(self, min_length: int = 6) -> None:
        self._min_length = min_length
        self._urls: dict[str, str] = {}  # code or alias -> URL
        self._generated: dict[str, str] = {}  # URL -> its generated code
        self._clicks: dict[str, int] = {}
        self._counter = 0
        self._lock = threading.Lock()  # one lock: every operation is a few dict lookups

    def shorten(self, url: str, alias: str | None = None) -> str:
        """Returns a code for url: the alias if given, else a generated code (the same one
        every time for the same URL)."""
        if not _valid_url(url):
            raise InvalidURL(f"not an absolute http(s) URL with a host: {url!r}")
        if alias is not None and not (isinstance(alias, str) and _ALIAS.fullmatch(alias)):
            raise ValueError(f"an alias is 4 to 30 of A-Z a-z 0-9 _ -, not {alias!r}")
        with self._lock:
            if alias is not None:
                owner = self._urls.get(alias)
                if owner is not None and owner != url:
                    raise AliasTaken(f"{alias!r} already points at another URL")
                self._urls[alias] = url
                self._clicks.setdefault(alias, 0)
                return alias
            code = self._generated.get(url)
            if code is None:
                code = self._next_code()
                self._generated[url] = code
                self._urls[code] = url
                self._clicks[code] = 0
            return code

    def _next_code(self) -> str:
        while True:  # skips codes someone already took as an alias
            length = self._min_length
            while self._counter >= 62**length:
                length += 1
            number = (self._counter * _SCRAMBLE) % 62**length
            self._counter += 1
            code = encode_base62(number).rjust(length, "0")
            if code not in self._urls:
                return code

    def expand(self, code: str) -> str:
        """Returns the URL of a code and counts one click; unknown codes raise KeyError."""
        with self._lock:
            url = self._urls[code]
            self._clicks[code] += 1
            return url

    def clicks(self, code: str) -> int:
        """How many times the code was expanded; unknown codes raise KeyError."""
        with self._lock:
            return self._clicks[code]
