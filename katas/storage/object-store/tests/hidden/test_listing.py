"""Listing: byte order, prefixes, delimiters, pages; checked against a brute-force model."""

import random

import pytest

from harness.testing import call_each
from object_store import ObjectStore

pytestmark = pytest.mark.listing


def filled(tmp_path, keys):
    store = ObjectStore(tmp_path)
    store.create_bucket("bkt")
    call_each(store, "put_object", [("bkt", key, b".") for key in keys])  # one message
    return store


def model(keys, prefix="", delimiter=None):
    """What S3 returns, as one ordered list of entries: (text, is a common prefix)."""
    entries = []
    for key in sorted(set(keys), key=lambda k: k.encode()):
        if not key.startswith(prefix):
            continue
        rest = key[len(prefix):]
        if delimiter and delimiter in rest:
            rolled = prefix + rest[:rest.index(delimiter) + len(delimiter)]
            if (rolled, True) not in entries:
                entries.append((rolled, True))
        else:
            entries.append((key, False))
    return entries


def pages(store, max_keys, **options):
    token, seen, count = None, [], 0
    while True:
        count += 1
        assert count < 500, "list_objects never returned next_token=None"
        page = store.list_objects("bkt", max_keys=max_keys, continuation_token=token, **options)
        size = len(page.keys) + len(page.common_prefixes)
        assert size <= max_keys, (f"a page holds {len(page.keys)} keys and "
                                  f"{len(page.common_prefixes)} common prefixes, more than "
                                  f"max_keys={max_keys} (a common prefix counts as one)")
        seen.append(page)
        if page.next_token is None:
            return seen
        token = page.next_token


def test_keys_come_in_utf8_byte_order(tmp_path):
    keys = ["b", "B", "a", "Z", "é", "ß", "z", "😀", "_", "a/b", "a-b", "10", "9", "ﬀ"]
    got = filled(tmp_path, keys).list_objects("bkt").keys
    want = sorted(keys, key=lambda k: k.encode())
    assert got == want, f"list_objects returned {got}, expected UTF-8 byte order {want}"


def test_prefix_filters(tmp_path):
    store = filled(tmp_path, ["logs/1", "logs/2", "logsx", "img/1", "log"])
    assert store.list_objects("bkt", prefix="logs/").keys == ["logs/1", "logs/2"]
    assert store.list_objects("bkt", prefix="nothing").keys == []


def test_delimiter_rolls_up_at_the_first_delimiter_after_the_prefix(tmp_path):
    store = filled(tmp_path, ["a/b/c.txt", "a/b/d.txt", "a/e.txt", "a/f/g/h", "top.txt",
                              "a.txt", "x/y"])
    root = store.list_objects("bkt", delimiter="/")
    assert (root.keys, root.common_prefixes) == (["a.txt", "top.txt"], ["a/", "x/"]), (
        f"delimiter='/' gave keys {root.keys}, common prefixes {root.common_prefixes}")
    inner = store.list_objects("bkt", prefix="a/", delimiter="/")
    assert (inner.keys, inner.common_prefixes) == (["a/e.txt"], ["a/b/", "a/f/"]), (
        f"prefix='a/', delimiter='/' gave keys {inner.keys}, common prefixes "
        f"{inner.common_prefixes}: roll up at the FIRST delimiter after the prefix")


def test_a_longer_delimiter(tmp_path):
    store = filled(tmp_path, ["x--y--z", "x--w", "plain", "x-single"])
    page = store.list_objects("bkt", delimiter="--")
    assert (page.keys, page.common_prefixes) == (["plain", "x-single"], ["x--"])


def test_the_last_page_has_no_token(tmp_path):
    page = filled(tmp_path, ["a", "b"]).list_objects("bkt", max_keys=5)
    assert page.next_token is None and page.keys == ["a", "b"]


def test_a_page_ending_at_the_last_entry_has_no_token(tmp_path):
    store = filled(tmp_path, ["a", "b", "c", "d"])
    first = store.list_objects("bkt", max_keys=2)
    assert first.keys == ["a", "b"] and first.next_token is not None, (
        f"4 keys, max_keys=2: the first page is {first.keys}, next_token "
        f"{first.next_token!r}; expected ['a', 'b'] and a token")
    last = store.list_objects("bkt", max_keys=2, continuation_token=first.next_token)
    assert last.keys == ["c", "d"] and last.next_token is None, (
        f"4 keys, max_keys=2: the second page is {last.keys}, next_token {last.next_token!r}; "
        "expected ['c', 'd'] and None: no key is left, so this is the last page")


def test_the_default_page_is_1000(tmp_path):
    keys = [f"k{i:04d}" for i in range(1001)]
    page = filled(tmp_path, keys).list_objects("bkt")
    assert len(page.keys) == 1000 and page.next_token is not None


@pytest.mark.parametrize("seed", range(5))
def test_pages_hold_every_entry_exactly_once(tmp_path, seed):
    rng = random.Random(seed)
    parts = ["a", "b", "é", "dir", "x.y", "Z", "😀"]
    keys = {"/".join(rng.choice(parts) for _ in range(rng.randint(1, 4))) for _ in range(60)}
    store = filled(tmp_path, keys)
    for prefix, delimiter in (("", None), ("", "/"), ("a/", "/"), ("dir", "/"), ("bkt", None)):
        want = model(keys, prefix, delimiter)
        for max_keys in (1, 2, 7, 1000):
            got = []
            for page in pages(store, max_keys, prefix=prefix, delimiter=delimiter):
                got += [(k, False) for k in page.keys] + [(p, True) for p in page.common_prefixes]
            got.sort(key=lambda e: e[0].encode())
            assert got == want, (
                f"seed {seed}, prefix={prefix!r}, delimiter={delimiter!r}, max_keys={max_keys}: "
                f"the pages held {len(got)} entries, expected {len(want)}; first difference: "
                f"{next(((g, w) for g, w in zip(got, want) if g != w), (got[len(want):], want[len(got):]))}")
