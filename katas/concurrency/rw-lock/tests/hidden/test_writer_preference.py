"""Writer preference: once a writer is waiting, NEW readers wait until it has had the lock
and released it, so a stream of readers can never starve a writer."""

import pytest

import _support
from _support import LONG, SHORT, settle
from rw_lock import ReadWriteLock

pytestmark = pytest.mark.writer_preference

held = _support.held  # the fixture: pytest finds it among this module's names


def test_a_new_reader_waits_behind_a_waiting_writer(held):
    lock = ReadWriteLock()
    old = held(lock, "read")
    assert old.inside(LONG), "a reader could not enter a free ReadWriteLock"
    writer = held(lock, "write")
    settle(1)
    assert not writer.inside(SHORT), "one reader holds the lock; a writer got in"
    new = held(lock, "read")
    assert not new.inside(SHORT), (
        "a reader holds the lock and a writer is waiting for it; a NEW reader's read_lock() "
        "got in: with writer preference a new reader waits while a writer waits, or a "
        "steady stream of readers would keep the writer out forever")
    old.release()
    assert writer.inside(LONG), (
        f"the old reader left; the waiting writer was still not in after {LONG:g} s (a new "
        "reader was also waiting: the writer goes first)")
    assert not new.inside(0), "the writer got in, and so did the new reader beside it"
    writer.release()
    assert new.inside(LONG), (
        f"the writer released the lock; the new reader was still not in after {LONG:g} s: "
        "the writer that finished must wake the readers waiting behind it")


def test_a_waiting_writer_gets_in_before_a_crowd_of_new_readers(held):
    lock = ReadWriteLock()
    old = [held(lock, "read") for _ in range(2)]
    assert all(reader.inside(LONG) for reader in old), "two readers could not share the lock"
    writer = held(lock, "write")
    settle(1)
    assert not writer.inside(SHORT), "two readers hold the lock; a writer got in"
    crowd = [held(lock, "read") for _ in range(4)]
    assert not crowd[0].inside(SHORT), (
        "readers hold the lock, a writer waits; a new reader got in ahead of the writer")
    early = [reader.inside(0) for reader in crowd]
    assert not any(early), f"new readers got in ahead of the waiting writer: {early}"
    for reader in old:
        reader.release()
    assert writer.inside(LONG), (
        f"the old readers left and 4 new readers were waiting; the writer was not in after "
        f"{LONG:g} s: the writer waiting first must get the lock first")
    writer.release()
    inside = [reader.inside(LONG) for reader in crowd]
    assert all(inside), (
        f"the writer released the lock; the 4 readers that waited behind it, inside: {inside}; "
        "expected all four")
