"""What the catalog fixes about generated codes, checked by `kata compare` on the learner's
code alone: which code a URL gets is free (the model compares only its kind, and expands
aliases alone), but a code leads back to its URL, the same URL keeps its code, distinct URLs
get distinct ones, and each is base62, long enough, hard to guess, and taken for aliases."""

import re

from harness.properties import Raised, prop

# URLs the model's sequences never shorten: none of them has an alias
URLS = {"list": {"one_of": [f"https://p.example/{n}" for n in range(12)]
                 + ["HTTP://P.example/up", "https://p.example/a?b=1#c"]}, "max": 8}
MIN_LENGTH = 6  # the model builds URLShortener()
BASE62 = re.compile(r"[0-9a-zA-Z]+")
ALIAS = re.compile(r"[A-Za-z0-9_-]{4,30}")


@prop(urls=URLS)
def a_code_leads_back_to_its_url_and_only_to_it(short, urls):
    """expand(shorten(url)) is url; the same url keeps its code, distinct urls get distinct ones.

    Each expand counts one click on the code."""
    codes: dict[str, str] = {}
    for url in urls:
        code = short.shorten(url)
        if url in codes and code != codes[url]:
            return f"shorten({url!r}) returned {codes[url]!r}, then {code!r}"
        others = [u for u, c in codes.items() if c == code and u != url]
        if others:
            return f"shorten({others[0]!r}) and shorten({url!r}) both returned {code!r}"
        codes[url] = code
    for url, code in codes.items():
        clicks = short.clicks(code)
        if clicks != 0:
            return f"clicks({code!r}) returned {clicks!r} before any expand"
        got = short.expand(code)
        if got != url:
            return f"shorten({url!r}) returned {code!r}, and expand({code!r}) {got!r}"
        clicks = short.clicks(code)
        if clicks != 1:
            return f"after one expand({code!r}), clicks({code!r}) returned {clicks!r}"
    return None


@prop(urls=URLS)
def generated_codes_are_base62_long_and_not_sequential(short, urls):
    """Generated codes are base62, min_length or longer, consecutive ones not a guess apart.

    Two codes generated one after the other differ in more than their last character."""
    previous = None
    for url in dict.fromkeys(urls):  # each url once: a url shortened again is no new code
        code = short.shorten(url)
        if not isinstance(code, str) or not BASE62.fullmatch(code) or len(code) < MIN_LENGTH:
            return (f"shorten({url!r}) returned {code!r}: not base62 of at least "
                    f"{MIN_LENGTH} characters")
        if previous is not None and previous[:-1] == code[:-1]:
            return (f"consecutive codes {previous!r} and {code!r} differ only in their last "
                    "character")
        previous = code
    return None


@prop(urls=URLS)
def a_generated_code_is_taken_for_aliases(short, urls):
    """An alias equal to a generated code is taken: another URL asking for it raises AliasTaken."""
    for url in urls:
        code = short.shorten(url)
        if not isinstance(code, str) or not ALIAS.fullmatch(code):
            continue  # not a valid alias: ValueError is the answer, not this property's
        try:
            short.shorten("https://other.example/", code)
        except Raised as exc:
            if exc.name == "AliasTaken":
                continue
            raise
        return (f"shorten({url!r}) returned {code!r}, and shorten('https://other.example/', "
                f"{code!r}) did not raise AliasTaken")
    return None
