"""Keys are names, never paths: nothing may land outside root."""

import os

import pytest

from object_store import ObjectStore

pytestmark = pytest.mark.keys

NASTY = ["../escape", "../../escape", "/absolute", "a/../../b", "..", ".", "a//b", "a/./b",
         "with space", "ünïcödé/ключ", "😀", "trailing/", "back\\slash", "C:\\temp", "~user",
         "a" * 300 + "/" + "b" * 300, "\ttab", "x\nnewline", "%2e%2e%2f", "nul\x00byte"]


def test_nasty_keys_round_trip_and_stay_inside_root(tmp_path):
    root, outside = tmp_path / "deep" / "root", tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("untouched")
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "sibling.txt").write_text("untouched")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    store = ObjectStore(root)
    store.create_bucket("bkt")
    for number, key in enumerate(NASTY):
        store.put_object("bkt", key, f"value {number}".encode())
    for number, key in enumerate(NASTY):
        data, info = store.get_object("bkt", key)
        assert data == f"value {number}".encode() and info.key == key, (
            f"get_object('b', {key!r}) returned {data!r}, key {info.key!r}")
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    outside_root = {p for p in after if root.resolve() not in p.resolve().parents}
    assert outside_root == set(before), (
        f"put_object wrote outside root: {sorted(map(str, outside_root - set(before)))[:3]}; "
        "a key must never become a path")
    assert all(after[p] == before[p] for p in before), "a file outside root was changed"
    listed = store.list_objects("bkt").keys
    assert sorted(listed) == sorted(NASTY), f"list_objects returned {len(listed)} keys"


def test_keys_do_not_collide(tmp_path):
    store = ObjectStore(tmp_path)
    store.create_bucket("bkt")
    keys = ["a/b", "a_b", "a%2Fb", "a:b", "A/B", "a/b/", "a\\b"]
    for key in keys:
        store.put_object("bkt", key, key.encode())
    for key in keys:
        assert store.get_object("bkt", key)[0] == key.encode(), f"key {key!r} got another's data"


def test_a_key_of_1024_utf8_bytes_is_accepted(tmp_path):
    store = ObjectStore(tmp_path)
    store.create_bucket("bkt")
    for key in ("k" * 1024, "é" * 512):
        store.put_object("bkt", key, b"x")
        assert store.get_object("bkt", key)[0] == b"x"


@pytest.mark.parametrize("key", ["", "k" * 1025, "é" * 513, "😀" * 257])
def test_empty_or_too_long_keys_raise_value_error(tmp_path, key):
    store = ObjectStore(tmp_path)
    store.create_bucket("bkt")
    with pytest.raises(ValueError):
        store.put_object("bkt", key, b"x")
        pytest.fail(f"a key of {len(key.encode())} UTF-8 bytes ({len(key)} characters) was "
                    "accepted; keys are 1 to 1024 UTF-8 bytes (count bytes, not characters)")
