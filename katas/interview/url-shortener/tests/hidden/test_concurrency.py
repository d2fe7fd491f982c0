"""Clicks are counted exactly, and concurrent callers never share a code."""

import pytest

import url_shortener
from harness.testing import race_seeds, run_threads
from url_shortener import URLShortener

pytestmark = pytest.mark.concurrency


def test_clicks_count_expands_only():
    short = URLShortener()
    code = short.shorten("https://example.org/x")
    assert short.clicks(code) == 0, "a new code has 0 clicks"
    for _ in range(3):
        short.expand(code)
    short.clicks(code)
    got = short.clicks(code)
    assert got == 3, f"three expand() calls then clicks() gave {got}; asking must not count"


def test_alias_clicks_are_counted():
    short = URLShortener()
    short.shorten("https://example.org/x", alias="promo")
    short.expand("promo")
    assert short.clicks("promo") == 1


@pytest.mark.parametrize("seed", race_seeds(4))
def test_concurrent_expands_lose_no_click(seed):
    short = URLShortener()
    code = short.shorten("https://example.org/hot")
    run_threads(lambda: [short.expand(code) for _ in range(50)], threads=8,
                switching=[url_shortener], seed=seed)
    got = short.clicks(code)
    assert got == 400, (f"8 threads x 50 expand() calls counted {got} clicks, expected 400 "
                        f"(seed={seed}): the count is a read-modify-write; guard it with a lock")


@pytest.mark.parametrize("seed", race_seeds(4))
def test_concurrent_shortens_give_distinct_codes(seed):
    short = URLShortener()
    results = run_threads(
        lambda i: [short.shorten(f"https://example.org/{i}/{n}") for n in range(10)],
        threads=8, args=lambda i: (i,), switching=[url_shortener], seed=seed)
    codes = [code for batch in results for code in batch]
    assert len(set(codes)) == len(codes), (
        f"8 threads shortening 10 distinct URLs each got {len(codes) - len(set(codes))} "
        f"duplicate codes (seed={seed}): taking the next code must be atomic")
    for i, batch in enumerate(results):
        for n, code in enumerate(batch):
            assert short.expand(code) == f"https://example.org/{i}/{n}", (
                f"code {code!r} expands to the wrong URL (seed={seed})")


@pytest.mark.parametrize("seed", race_seeds(3))
def test_concurrent_shortens_of_one_url_agree(seed):
    short = URLShortener()
    results = run_threads(lambda: short.shorten("https://example.org/same"), threads=8,
                          switching=[url_shortener], seed=seed)
    assert len(set(results)) == 1, (f"8 threads shortening the same URL got {sorted(set(results))} "
                                    f"(seed={seed}); expected one code")
