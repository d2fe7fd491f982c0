"""Examples of what the hidden tests check."""

import hashlib

import pytest

from object_store import NoSuchKey, ObjectStore


@pytest.mark.objects
def test_put_then_get(tmp_path):
    store = ObjectStore(tmp_path)
    store.create_bucket("photos")
    etag = store.put_object("photos", "cats/tom.jpg", b"meow", {"type": "image/jpeg"})
    data, info = store.get_object("photos", "cats/tom.jpg")
    assert data == b"meow" and etag == hashlib.md5(b"meow").hexdigest()
    assert info.metadata == {"type": "image/jpeg"}


@pytest.mark.objects
def test_missing_key(tmp_path):
    store = ObjectStore(tmp_path)
    store.create_bucket("photos")
    with pytest.raises(NoSuchKey):
        store.get_object("photos", "nope")


@pytest.mark.listing
def test_delimiter_rolls_up_folders(tmp_path):
    store = ObjectStore(tmp_path)
    store.create_bucket("docs")
    for key in ("a.txt", "dir/b.txt", "dir/c.txt"):
        store.put_object("docs", key, b"x")
    page = store.list_objects("docs", delimiter="/")
    assert page.keys == ["a.txt"] and page.common_prefixes == ["dir/"]
