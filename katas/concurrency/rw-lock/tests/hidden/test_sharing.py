"""Readers share: each lock kind can be taken on a free lock, again and again, and many
readers are inside at once (held by threads of your process, seen from outside)."""

import pytest

import _support
from _support import LONG
from harness.testing import within
from rw_lock import ReadWriteLock

pytestmark = pytest.mark.sharing

held = _support.held  # the fixture: pytest finds it among this module's names


@pytest.mark.parametrize("kind", ["read", "write"])
def test_a_free_lock_lets_the_block_run(kind):
    lock = ReadWriteLock()
    got = within(lock, f"{kind}_lock", body=lambda value: "ran")
    assert got == "ran", (f"`with ReadWriteLock().{kind}_lock(): return 'ran'` gave {got!r}, "
                          "expected 'ran'")


def test_the_lock_can_be_taken_again_and_again():
    lock = ReadWriteLock()
    order = []
    for i in range(4):
        within(lock, "read_lock", body=lambda value, i=i: order.append(f"read {i}"))
        within(lock, "write_lock", body=lambda value, i=i: order.append(f"write {i}"))
    want = [f"{kind} {i}" for i in range(4) for kind in ("read", "write")]
    assert order == want, (f"read_lock() then write_lock(), four times on one lock, ran the "
                           f"blocks {order}; expected {want}: each release must leave the lock "
                           "free")


def test_two_readers_are_inside_together(held):
    lock = ReadWriteLock()
    first = held(lock, "read")
    assert first.inside(LONG), "a reader could not enter a free ReadWriteLock"
    second = held(lock, "read")
    assert second.inside(LONG), (
        "one thread holds read_lock(); a second thread's read_lock() did not get in within "
        f"{LONG:g} s: readers share the lock, any number of them at once")


def test_many_readers_are_inside_at_once(held):
    lock = ReadWriteLock()
    readers = [held(lock, "read") for _ in range(6)]
    inside = [reader.inside(LONG) for reader in readers]
    assert all(inside), (f"6 threads took read_lock() without releasing it; inside: {inside}; "
                         "expected all six at once: readers never exclude each other")


def test_readers_share_after_a_writer_has_come_and_gone(held):
    lock = ReadWriteLock()
    within(lock, "write_lock", body=lambda value: None)
    readers = [held(lock, "read") for _ in range(3)]
    inside = [reader.inside(LONG) for reader in readers]
    assert all(inside), (
        f"after one write_lock() block ended, 3 threads took read_lock(); inside: {inside}; "
        "expected all three: a writer that has finished (and stopped waiting) must not keep "
        "readers out")
