"""Append and replay: every change is a record in the log, flushed before the call returns,
and a new store on the same file replays them all."""

import _support
import pytest
from wal_kv import KVStore

pytestmark = pytest.mark.log


def test_get_returns_what_put_stored(tmp_path):
    store = KVStore(tmp_path / "data.log")
    got = store.get("nope")
    assert got is None, f"get('nope') on an empty store returned {got!r}, expected None"
    store.put("a", b"1")
    store.put("a", b"2")
    store.put("empty", b"")
    store.put("é\n", bytes(range(256)))
    wrong = _support.differences(store, {"a": b"2", "empty": b"", "é\n": bytes(range(256)),
                                         "b": None})
    assert not wrong, ("after put('a', b'1'), put('a', b'2'), put('empty', b''), "
                       "put('é\\n', ...): " + "; ".join(wrong))


def test_delete_removes_a_key(tmp_path):
    store = KVStore(tmp_path / "data.log")
    store.put("a", b"1")
    store.put("b", b"2")
    store.delete("a")
    wrong = _support.differences(store, {"a": None, "b": b"2"})
    assert not wrong, "after put a, put b, delete('a'): " + "; ".join(wrong)
    store.put("a", b"3")
    got = store.get("a")
    assert got == b"3", f"a put after a delete: get('a') returned {got!r}, expected b'3'"


def test_a_new_store_on_the_same_file_replays_every_change(tmp_path):
    log = tmp_path / "data.log"
    store = KVStore(log)
    store.put("a", b"1")
    store.put("b", b"2")
    store.put("a", b"3")
    store.put("c", b"")
    store.put("", b"")
    store.close()
    _support.check_reopened(log, {"a": b"3", "b": b"2", "c": b"", "d": None, "": b""},
                            "after put a, put b, put a again, put('c', b''), put('', b''), "
                            "close() (the empty key and value are a record too)")


def test_a_delete_survives_a_reopen(tmp_path):
    log = tmp_path / "data.log"
    store = KVStore(log)
    store.put("a", b"1")
    store.put("b", b"2")
    store.delete("a")
    store.close()
    _support.check_reopened(log, {"a": None, "b": b"2"},
                            "after put a, put b, delete('a'), close() (log the delete, or the "
                            "key comes back)")


def test_a_long_mixed_history_replays_exactly(tmp_path):
    log = tmp_path / "data.log"
    store = KVStore(log)
    expected = _support.workload(store, seed=7, operations=100)
    wrong = _support.differences(store, expected)
    assert not wrong, ("after 100 seeded puts and deletes (seed 7), before any reopen: "
                       + "; ".join(wrong[:4]))
    store.close()
    _support.check_reopened(log, expected, "after 100 seeded puts and deletes (seed 7) and close()")


def test_every_change_reaches_the_file_before_the_call_returns(tmp_path):
    log = tmp_path / "data.log"
    store = KVStore(log)
    expected = {}
    for i in range(4):
        before = log.stat().st_size if log.exists() else 0
        store.put(f"k{i}", b"v" * i)
        expected[f"k{i}"] = b"v" * i
        after = log.stat().st_size if log.exists() else 0
        assert after > before, (
            f"put('k{i}', ...) returned but the log file did not grow ({before} -> {after} "
            "bytes): write the record and flush it before returning")
        _support.check_reopened(_support.copy_of(log, tmp_path / f"put{i}"), expected,
                                f"a copy of the log taken right after put('k{i}') returned "
                                "(the store still open)")
    before = log.stat().st_size
    store.delete("k1")
    expected["k1"] = None
    assert log.stat().st_size > before, (
        "delete('k1') returned but the log file did not grow: log the delete, flushed")
    _support.check_reopened(_support.copy_of(log, tmp_path / "delete"), expected,
                            "a copy of the log taken right after delete('k1') returned "
                            "(the store still open)")


def test_a_log_larger_than_one_read_replays_whole(tmp_path):
    log = tmp_path / "data.log"
    store = KVStore(log)
    big = bytes(range(256)) * 1024  # 256 KiB: more than one os.read or buffer fill returns
    store.put("big", big)
    store.put("after", b"the record behind the big one")
    store.close()
    _support.check_reopened(log, {"big": big, "after": b"the record behind the big one"},
                            "after put('big', <256 KiB>), put('after', ...), close() (read the "
                            "whole log: one read call may return less than the file holds)")
