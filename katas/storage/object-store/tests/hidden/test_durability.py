"""Persistence across stores, and atomic puts: no reader or crash sees half an object."""

import threading

import pytest

from harness.testing import LearnerDied, learner_process
from object_store import ObjectStore

pytestmark = pytest.mark.durability


def test_a_new_store_on_the_same_root_sees_everything(tmp_path):
    first = ObjectStore(tmp_path)
    first.create_bucket("bkt")
    first.put_object("bkt", "dir/k", b"data", {"owner": "ana", "tag": "x"})
    second = ObjectStore(tmp_path)
    data, info = second.get_object("bkt", "dir/k")
    assert data == b"data" and info.metadata == {"owner": "ana", "tag": "x"}, (
        f"a new ObjectStore on the same root returned {data!r}, metadata {info.metadata}")
    assert second.list_objects("bkt").keys == ["dir/k"]
    with pytest.raises(ValueError):
        second.create_bucket("bkt")


@pytest.mark.parametrize("crash", ["process dies", "write fails"])
def test_a_put_that_fails_part_way_leaves_the_old_object(tmp_path, crash):
    root = tmp_path / "root"
    store = ObjectStore(root)
    store.create_bucket("bkt")
    store.put_object("bkt", "big", b"O" * 1000, {"version": "old"})
    # Files may grow to 1 MiB in the other process: its 4 MiB put stops part-way, as a
    # crash (the process is killed) or a full disk (the write raises) would stop it.
    with learner_process(file_size=1024 * 1024, die_on_file_size=crash == "process dies"
                         ) as other:
        try:
            other.object_store.ObjectStore(root).put_object(
                "bkt", "big", b"N" * (4 * 1024 * 1024), {"version": "new"})
        except Exception:
            pass  # which exception a failed write raises is the store's own choice
        except LearnerDied:
            pass
        else:
            pytest.fail("a put of 4 MiB succeeded although files could grow to 1 MiB only")
    data, info = ObjectStore(root).get_object("bkt", "big")
    assert data == b"O" * 1000 and info.metadata == {"version": "old"}, (
        f"after a put that failed part-way ({crash}), get_object returned {len(data)} bytes "
        f"({data[:10]!r}...), metadata {info.metadata}: write a temporary file and rename it "
        "over the old one, so a failure leaves the old version whole")
    assert ObjectStore(root).list_objects("bkt").keys == ["big"], (
        "the failed put left something that shows up in the listing")


def test_readers_never_see_a_partly_written_object(tmp_path):
    store = ObjectStore(tmp_path)
    store.create_bucket("bkt")
    versions = [bytes([65 + i]) * (512 * 1024) for i in range(2)]
    store.put_object("bkt", "k", versions[0])
    stop = threading.Event()
    seen = []

    def reader():
        while not stop.is_set():
            data, info = store.get_object("bkt", "k")
            seen.append((len(data), data[:1], data[-1:], info.size))

    thread = threading.Thread(target=reader)
    thread.start()
    for i in range(40):
        store.put_object("bkt", "k", versions[i % 2])
    stop.set()
    thread.join()
    torn = [s for s in seen if s[0] != 512 * 1024 or s[1] != s[2] or s[3] != s[0]]
    assert not torn, (f"a reader saw a partly written object (size {torn[0][0]}, first byte "
                      f"{torn[0][1]!r}, last {torn[0][2]!r}): replace objects atomically")
