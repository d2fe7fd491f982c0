"""Torn writes and corruption: a log cut inside its last record loses that record only, and
a corrupt record stops replay there, so the store never returns corrupted data."""

import _support
import pytest
from wal_kv import KVStore

from harness.testing import LearnerDied, learner_process

pytestmark = pytest.mark.recovery

EARLIER = {"a": b"alpha", "b": b"", "c": b"x" * 40, "last": b"old value"}


def _log_with_history(tmp_path):
    log = tmp_path / "live" / "data.log"
    log.parent.mkdir()
    store = KVStore(log)
    for key, value in EARLIER.items():
        store.put(key, value)
    store.put("gone", b"soon deleted")
    store.delete("gone")
    return log, store


def _cut_every_byte(tmp_path, log, start, end, expected, what):
    """Reopens a copy of the log cut at every size from start to end - 1."""
    for size in range(start, end):
        copy = _support.copy_of(log, tmp_path / f"cut{size}", size)
        _support.check_reopened(copy, expected, f"{what}, with the log cut after byte {size} "
                                f"(that record spans bytes {start}-{end - 1})")


def test_a_log_cut_anywhere_in_its_last_put_keeps_every_earlier_record(tmp_path):
    log, store = _log_with_history(tmp_path)
    start = log.stat().st_size
    store.put("last", b"new value!")
    end = log.stat().st_size
    expected = dict(EARLIER, gone=None)
    _cut_every_byte(tmp_path, log, start, end, expected, "put('last', b'new value!') torn")
    _support.check_reopened(log, dict(expected, last=b"new value!"),
                            "with the whole log (the last record complete)")


def test_a_log_cut_anywhere_in_its_last_delete_keeps_the_key(tmp_path):
    log, store = _log_with_history(tmp_path)
    start = log.stat().st_size
    store.delete("last")
    end = log.stat().st_size
    _cut_every_byte(tmp_path, log, start, end, dict(EARLIER, gone=None), "delete('last') torn")
    _support.check_reopened(log, {"last": None}, "with the whole log (the delete complete)")


def test_changes_after_a_torn_tail_survive_the_next_reopen(tmp_path):
    log, store = _log_with_history(tmp_path)
    start = log.stat().st_size
    store.put("last", b"torn")
    end = log.stat().st_size
    for size in sorted({start + 1, (start + end) // 2, end - 1}):
        copy = _support.copy_of(log, tmp_path / f"cut{size}", size)
        recovered = KVStore(copy)
        recovered.put("after", b"written after recovery")
        recovered.delete("a")
        recovered.close()
        _support.check_reopened(copy, dict(EARLIER, a=None, after=b"written after recovery"),
                                f"a log cut after byte {size} (inside its last record), "
                                "reopened, then put('after', ...) and delete('a'), then reopened "
                                "again (cut the torn tail off before appending, or the new "
                                "records follow garbage)")


def test_a_corrupt_record_stops_replay_there(tmp_path):
    log = tmp_path / "live" / "data.log"
    log.parent.mkdir()
    store = KVStore(log)
    extents = []
    for i in range(8):
        start = log.stat().st_size if log.exists() else 0
        store.put(f"key{i}", f"value {i}".encode())
        extents.append((start, log.stat().st_size))
    store.close()
    original = log.read_bytes()
    start, end = extents[4]
    expected = {f"key{i}": f"value {i}".encode() if i < 4 else None for i in range(8)}
    for position in range(start, end):
        damaged = bytearray(original)
        damaged[position] ^= 0x5A
        copy = tmp_path / f"flip{position}" / "data.log"
        copy.parent.mkdir()
        copy.write_bytes(bytes(damaged))
        _support.check_reopened(copy, expected, (
            f"eight puts key0..key7, then byte {position} flipped (inside the record of key4, "
            f"bytes {start}-{end - 1}): keys before it must be recovered, and replay must stop "
            "at the corrupt record, never returning it or anything after it"))


@pytest.mark.parametrize("written", ["none", "one byte", "half", "all but one byte"])
def test_a_process_killed_in_the_middle_of_a_put_loses_that_put_only(tmp_path, written):
    log, store = _log_with_history(tmp_path)
    store.close()
    size = log.stat().st_size
    probe = KVStore(_support.copy_of(log, tmp_path / "probe"))
    probe.put("last", b"N" * 300)
    record = (tmp_path / "probe" / log.name).stat().st_size - size
    probe.close()
    allowed = {"none": 0, "one byte": 1, "half": record // 2,
               "all but one byte": record - 1}[written]
    with learner_process(file_size=size + allowed, die_on_file_size=True) as other:
        try:
            other.wal_kv.KVStore(log).put("last", b"N" * 300)
        except LearnerDied:
            pass
        else:
            pytest.fail(f"put of a {record}-byte record succeeded although the log could grow by "
                        f"{allowed} bytes only")
    _support.check_reopened(log, dict(EARLIER, gone=None),
                            f"a process killed while appending put('last', b'N' * 300) ({allowed} "
                            f"of its {record} bytes written)")
