"""Examples of what the hidden tests check."""

import pytest
from wal_kv import KVStore


@pytest.mark.log
def test_put_get_delete(tmp_path):
    store = KVStore(tmp_path / "data.log")
    store.put("a", b"1")
    store.put("a", b"2")
    assert store.get("a") == b"2"
    store.delete("a")
    assert store.get("a") is None


@pytest.mark.log
def test_reopening_replays_the_log(tmp_path):
    store = KVStore(tmp_path / "data.log")
    store.put("a", b"1")
    store.put("b", b"2")
    store.delete("a")
    store.close()
    again = KVStore(tmp_path / "data.log")
    assert again.get("a") is None and again.get("b") == b"2"


@pytest.mark.recovery
def test_a_torn_last_record_is_dropped(tmp_path):
    log = tmp_path / "data.log"
    store = KVStore(log)
    store.put("a", b"kept")
    size = log.stat().st_size
    store.put("b", b"torn")
    store.close()
    data = log.read_bytes()
    cut = tmp_path / "cut.log"
    cut.write_bytes(data[: size + 3])  # the crash wrote only 3 bytes of the last record
    again = KVStore(cut)
    assert again.get("a") == b"kept" and again.get("b") is None


@pytest.mark.recovery
def test_a_corrupt_record_is_never_returned(tmp_path):
    log = tmp_path / "data.log"
    store = KVStore(log)
    store.put("a", b"kept")
    store.put("b", b"hello")
    store.close()
    data = bytearray(log.read_bytes())
    data[-1] ^= 0xFF  # flip the bits of the last byte of b's record
    log.write_bytes(bytes(data))
    again = KVStore(log)
    assert again.get("a") == b"kept" and again.get("b") is None


@pytest.mark.compaction
def test_compact_keeps_the_data_and_shrinks_the_log(tmp_path):
    log = tmp_path / "data.log"
    store = KVStore(log)
    for i in range(100):
        store.put("k", str(i).encode())
    before = log.stat().st_size
    store.compact()
    assert log.stat().st_size < before
    assert store.get("k") == b"99"
    store.put("after", b"x")
    store.close()
    again = KVStore(log)
    assert again.get("k") == b"99" and again.get("after") == b"x"
