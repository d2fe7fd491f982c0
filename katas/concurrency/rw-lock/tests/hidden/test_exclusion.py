"""A writer is alone: it waits for the readers and the writer inside, keeps everyone out
while it holds the lock, and when it leaves every reader waiting gets in."""

import pytest

import _support
from _support import LONG, SHORT
from rw_lock import ReadWriteLock

pytestmark = pytest.mark.exclusion

held = _support.held  # the fixture: pytest finds it among this module's names


def test_a_writer_waits_for_every_reader_to_leave(held):
    lock = ReadWriteLock()
    first, second = held(lock, "read"), held(lock, "read")
    assert first.inside(LONG) and second.inside(LONG), "two readers could not share the lock"
    writer = held(lock, "write")
    assert not writer.inside(SHORT), "two readers hold the lock; a writer got in"
    first.release()
    assert not writer.inside(SHORT), (
        "two readers held the lock, one left; the waiting writer got in while the other "
        "reader was still inside: a writer waits until NO reader is inside (re-check the "
        "count after every wake-up, in a `while` loop)")
    second.release()
    assert writer.inside(LONG), (
        f"both readers left; the waiting writer was still not in after {LONG:g} s")


def test_a_writer_keeps_other_writers_out(held):
    lock = ReadWriteLock()
    first = held(lock, "write")
    assert first.inside(LONG), "a writer could not enter a free ReadWriteLock"
    second = held(lock, "write")
    assert not second.inside(SHORT), (
        "one thread holds write_lock(); a second thread's write_lock() got in too: a writer "
        "excludes other writers")
    first.release()
    assert second.inside(LONG), (
        f"the first writer released the lock; the second was still not in after {LONG:g} s")


def test_a_writer_keeps_readers_out(held):
    lock = ReadWriteLock()
    writer = held(lock, "write")
    assert writer.inside(LONG), "a writer could not enter a free ReadWriteLock"
    reader = held(lock, "read")
    assert not reader.inside(SHORT), (
        "one thread holds write_lock(); another thread's read_lock() got in: a writer "
        "excludes readers")
    writer.release()
    assert reader.inside(LONG), (
        f"the writer released the lock; the waiting reader was still not in after {LONG:g} s")


def test_every_waiting_reader_gets_in_when_the_writer_leaves(held):
    lock = ReadWriteLock()
    writer = held(lock, "write")
    assert writer.inside(LONG), "a writer could not enter a free ReadWriteLock"
    readers = [held(lock, "read") for _ in range(4)]
    assert not readers[0].inside(SHORT), "a reader got in while a writer held the lock"
    early = [reader.inside(0) for reader in readers]
    assert not any(early), f"readers got in while a writer held the lock: {early}"
    writer.release()
    inside = [reader.inside(LONG) for reader in readers]
    assert all(inside), (
        f"4 readers waited for a writer; it released the lock; inside after: {inside}; "
        "expected all four: a writer leaving must wake EVERY waiting reader (notify_all, "
        "not notify: a wake-up lost here leaves a reader waiting forever)")
