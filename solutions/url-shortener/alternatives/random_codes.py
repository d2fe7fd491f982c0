"""A correct alternative: random codes from secrets, a re-entrant lock, urllib's parser."""

import re
import secrets
import threading
from urllib.parse import urlparse

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


class InvalidURL(ValueError):
    pass


class AliasTaken(ValueError):
    pass


def encode_base62(n: int) -> str:
    if n < 0:
        raise ValueError(n)
    if n == 0:
        return "0"
    out = ""
    while n:
        out = DIGITS[n % 62] + out
        n //= 62
    return out


def decode_base62(s: str) -> int:
    if s == "" or any(c not in DIGITS for c in s):
        raise ValueError(s)
    n = 0
    for c in s:
        n = n * 62 + DIGITS.index(c)
    return n


class URLShortener:
    def __init__(self, min_length: int = 6) -> None:
        self.min_length = min_length
        self.table = {}
        self.by_url = {}
        self.hits = {}
        self.lock = threading.RLock()

    def shorten(self, url, alias=None):
        if re.search(r"[\s\x00-\x1f\x7f]", url):
            raise InvalidURL(url)
        try:
            parsed = urlparse(url)
            host = parsed.hostname
        except ValueError:  # e.g. an unclosed IPv6 bracket
            raise InvalidURL(url) from None
        if parsed.scheme.lower() not in {"http", "https"} or not host:
            raise InvalidURL(url)
        if alias is not None and not re.fullmatch(r"[-\w]{4,30}", alias, re.ASCII):
            raise ValueError(alias)
        with self.lock:
            if alias is not None:
                if self.table.get(alias, url) != url:
                    raise AliasTaken(alias)
                self.table[alias] = url
                self.hits.setdefault(alias, 0)
                # this URL may be shortened again without alias: it then gets the alias
                self.by_url.setdefault(url, alias)
                return alias
            if url in self.by_url:
                return self.by_url[url]
            code, length, tries = None, self.min_length, 0
            while code is None or code in self.table:
                tries += 1
                if tries % 8 == 0:  # a crowded length: go one longer
                    length += 1
                code = "".join(secrets.choice(DIGITS) for _ in range(length))
            self.table[code] = url
            self.by_url[url] = code
            self.hits[code] = 0
            return code

    def expand(self, code):
        with self.lock:
            url = self.table[code]
            self.hits[code] += 1
            return url

    def clicks(self, code):
        with self.lock:
            return self.hits[code]
