"""compact(): the log rewritten with only the live keys, atomically, so a crash at any
byte of it leaves the old log or the new one, each complete."""

import os

import _support
import pytest
from wal_kv import KVStore

from harness.testing import LearnerDied, in_learner, learner_process

pytestmark = pytest.mark.compaction


def _history(log):
    store = KVStore(log)
    expected = _support.workload(store, seed=11, operations=60)
    return store, expected


def test_compact_keeps_every_live_key_and_no_deleted_one(tmp_path):
    log = tmp_path / "data.log"
    store, expected = _history(log)
    store.compact()
    wrong = _support.differences(store, expected)
    assert not wrong, ("after 60 seeded puts and deletes (seed 11) and compact(): "
                       + "; ".join(wrong[:4]))
    store.close()
    _support.check_reopened(log, expected,
                            "after 60 seeded puts and deletes (seed 11), compact() and close()")


def test_compact_shrinks_a_log_of_overwrites(tmp_path):
    log = tmp_path / "data.log"
    store = KVStore(log)
    for i in range(60):
        store.put("counter", str(i).encode() * 20)
    store.put("other", b"x")
    before = log.stat().st_size
    store.compact()
    after = log.stat().st_size
    assert after < before / 10, (
        f"60 overwrites of one key then compact(): the log went from {before} to {after} "
        "bytes; compaction keeps only each live key's last value")
    wrong = _support.differences(store, {"counter": b"59" * 20, "other": b"x"})
    assert not wrong, "after compact(): " + "; ".join(wrong)


def test_compact_syncs_the_new_log_in_the_same_folder_before_renaming_it(tmp_path):
    """A power cut is not a killed process: the rename may reach the disk before data still
    in the page cache, unless the new log was fsynced first (write, fsync, rename); and a
    rename is atomic only within one file system, so the new log is made in the log's
    folder. What compact() called is recorded in your process."""
    store, expected = _history(tmp_path / "data.log")
    calls = in_learner("durability_calls", store, "compact")
    moves = [c for c in calls if c[0] == "move" and os.path.basename(c[2]) == "data.log"]
    assert moves, (
        f"compact() made these calls {calls}; expected the new log renamed over data.log "
        "(os.replace or os.rename): write, fsync, rename")
    source, target = moves[-1][1:]
    assert os.path.dirname(source) == os.path.dirname(target), (
        f"compact() renamed {source} over {target}: the new log must be written in the "
        "log's own folder, where a rename is atomic (across file systems it is a copy)")
    before = calls[:calls.index(moves[-1])]
    assert ["sync"] in before or ["fsync", source] in before, (
        f"compact() made these calls {calls}: it renamed {os.path.basename(source)} over "
        "the log without an fsync of it first; after a power cut the rename may be on disk "
        "and the new log's data not: fsync the new file, then rename")
    wrong = _support.differences(store, expected)
    assert not wrong, "after compact(): " + "; ".join(wrong[:4])


def test_changes_after_compact_survive_a_reopen(tmp_path):
    log = tmp_path / "data.log"
    store, expected = _history(log)
    store.compact()
    before = log.stat().st_size
    store.put("after", b"written after compact")
    store.delete("a")
    assert log.stat().st_size > before, (
        "put() after compact() did not grow the log file at the path: append to the new log, "
        "not the old file")
    store.compact()
    store.put("later", b"after the second compact")
    store.close()
    expected.update({"after": b"written after compact", "a": None,
                     "later": b"after the second compact"})
    _support.check_reopened(log, expected, "compact(), put('after', ...), delete('a'), compact(), "
                            "put('later', ...), close()")


@pytest.mark.parametrize("crash", ["process dies", "write fails"])
def test_a_crash_at_any_point_of_compact_leaves_a_complete_log(tmp_path, crash):
    log = tmp_path / "live" / "data.log"
    log.parent.mkdir()
    store, expected = _history(log)
    store.close()
    probe = _support.copy_of(log, tmp_path / "probe")
    compacting = KVStore(probe)
    compacting.compact()
    compacting.close()
    new_size = probe.stat().st_size
    assert new_size < log.stat().st_size, (f"compact() did not shrink a log of 60 puts and deletes "
                                           f"({log.stat().st_size} -> {new_size} bytes)")
    limits = sorted({1, new_size - 1} | set(range(new_size // 7, new_size, max(1, new_size // 7))))
    if crash == "write fails":
        limits = limits[1::3]  # a full disk: the write raises, the process lives on
    for limit in limits:
        crashed = _support.copy_of(log, tmp_path / f"crash{limit}")
        with learner_process(file_size=limit, die_on_file_size=crash == "process dies") as other:
            try:
                other.wal_kv.KVStore(crashed).compact()
            except LearnerDied:
                pass
            except Exception:
                pass  # which exception a failed write raises is the store's own choice
            else:
                pytest.fail(f"compact() writing a {new_size}-byte log succeeded although files "
                            f"could grow to {limit} bytes only")
        _support.check_reopened(crashed, expected, (
            f"{'the process was killed' if crash == 'process dies' else 'a write failed'} "
            f"during compact() once {limit} of the new log's {new_size} "
            "bytes were written (write a temporary file in the same folder, flush and fsync it, "
            "then os.replace it over the log)"))
