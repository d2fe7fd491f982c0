"""Buckets, puts, gets, heads, deletes, etags, metadata, errors."""

import hashlib

import pytest

from object_store import NoSuchBucket, NoSuchKey, ObjectInfo, ObjectStore

pytestmark = pytest.mark.objects


@pytest.fixture
def store(tmp_path):
    store = ObjectStore(tmp_path / "root")
    store.create_bucket("media")
    return store


def test_put_returns_the_md5_etag_and_get_returns_the_data(store):
    etag = store.put_object("media", "song.mp3", b"\x00\xffdata")
    assert etag == hashlib.md5(b"\x00\xffdata").hexdigest(), f"put_object returned etag {etag!r}"
    data, info = store.get_object("media", "song.mp3")
    assert data == b"\x00\xffdata", f"get_object returned {data!r}"
    assert isinstance(info, ObjectInfo)
    assert (info.key, info.size, info.etag, info.metadata) == (
        "song.mp3", 6, etag, {}), f"get_object info is {info}"


def test_head_gives_the_info_without_the_data(store):
    store.put_object("media", "a", b"12345", {"owner": "ana"})
    info = store.head_object("media", "a")
    assert (info.key, info.size, info.metadata) == ("a", 5, {"owner": "ana"}), f"head: {info}"


def test_a_put_replaces_the_object_and_its_metadata(store):
    store.put_object("media", "a", b"old", {"v": "1"})
    store.put_object("media", "a", b"newer", {"v": "2"})
    data, info = store.get_object("media", "a")
    assert data == b"newer" and info.metadata == {"v": "2"} and info.size == 5


def test_empty_data_is_an_object(store):
    store.put_object("media", "empty", b"")
    data, info = store.get_object("media", "empty")
    assert data == b"" and info.size == 0 and info.etag == hashlib.md5(b"").hexdigest()


def test_delete_removes_and_a_missing_key_is_fine(store):
    store.put_object("media", "a", b"1")
    store.delete_object("media", "a")
    with pytest.raises(NoSuchKey):
        store.get_object("media", "a")
    store.delete_object("media", "a")
    store.delete_object("media", "never-was")


@pytest.mark.parametrize("call", ["get_object", "head_object"])
def test_a_missing_key_raises_no_such_key(store, call):
    with pytest.raises(NoSuchKey):
        got = getattr(store, call)("media", "missing")
        pytest.fail(f"{call}('media', 'missing') returned {got!r}; expected NoSuchKey")


CALLS = {
    "put_object": lambda s: s.put_object("ghost", "k", b"x"),
    "get_object": lambda s: s.get_object("ghost", "k"),
    "head_object": lambda s: s.head_object("ghost", "k"),
    "delete_object": lambda s: s.delete_object("ghost", "k"),
    "list_objects": lambda s: s.list_objects("ghost"),
}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_a_missing_bucket_raises_no_such_bucket_everywhere(store, call):
    with pytest.raises(NoSuchBucket):
        got = CALLS[call](store)
        pytest.fail(f"{call} on a bucket that does not exist returned {got!r}; "
                    "expected NoSuchBucket")


def test_errors_are_key_errors():
    assert issubclass(NoSuchBucket, KeyError) and issubclass(NoSuchKey, KeyError)


@pytest.mark.parametrize("name", ["abc", "my-bucket.v2", "a" * 63, "0data9"])
def test_valid_bucket_names(tmp_path, name):
    store = ObjectStore(tmp_path)
    store.create_bucket(name)
    store.put_object(name, "k", b"v")


@pytest.mark.parametrize("name", ["ab", "a" * 64, "Upper", "under_score", "-start", "end-",
                                  ".dot", "dot.", "sp ace", "", "ünï"])
def test_invalid_bucket_names_raise_value_error(tmp_path, name):
    with pytest.raises(ValueError):
        ObjectStore(tmp_path).create_bucket(name)
        pytest.fail(f"create_bucket({name!r}) was accepted; expected ValueError")


def test_an_existing_bucket_raises_value_error(store):
    with pytest.raises(ValueError):
        store.create_bucket("media")
        pytest.fail("create_bucket('media') twice was accepted; expected ValueError")


def test_buckets_are_separate(store):
    store.create_bucket("other")
    store.put_object("media", "k", b"one")
    store.put_object("other", "k", b"two")
    assert store.get_object("media", "k")[0] == b"one"
    assert store.get_object("other", "k")[0] == b"two"
