"""An exception raised inside a `with` block releases the lock (and still reaches the
caller), and the threads waiting for the lock get in."""

import threading

import pytest

import _support
from _support import LONG, SHORT, settle
from harness.testing import within
from rw_lock import ReadWriteLock

pytestmark = pytest.mark.exceptions

held = _support.held  # the fixture: pytest finds it among this module's names


class Boom(Exception):
    """Raised inside a `with` block by the tests."""


def _explode(value):
    raise Boom("raised inside the with block")


def raised_inside(lock, kind):
    """Runs `with lock.<kind>_lock(): raise Boom(...)`; the exception must come out."""
    try:
        within(lock, f"{kind}_lock", body=_explode)
    except Boom:
        return
    raise AssertionError(f"`with lock.{kind}_lock(): raise Boom()` did not raise Boom: the "
                         "exception must reach the caller (the lock is released, not the "
                         "error swallowed; __exit__ must not return True)")


@pytest.mark.parametrize("kind", ["read", "write"])
def test_an_exception_releases_the_lock(held, kind):
    lock = ReadWriteLock()
    raised_inside(lock, kind)
    writer = held(lock, "write")
    assert writer.inside(LONG), (
        f"`with lock.{kind}_lock(): raise Boom()` then write_lock() in another thread: the "
        f"writer was not in after {LONG:g} s; the exception left the lock taken (release it "
        "in a `finally:`, or in __exit__ whatever the exception)")


@pytest.mark.parametrize("kind", ["read", "write"])
def test_the_lock_works_as_before_after_an_exception(held, kind):
    lock = ReadWriteLock()
    raised_inside(lock, kind)
    raised_inside(lock, kind)
    readers = [held(lock, "read") for _ in range(2)]
    assert all(reader.inside(LONG) for reader in readers), (
        f"two `with lock.{kind}_lock(): raise Boom()`, then two readers: they could not both "
        "get in")
    for reader in readers:
        reader.release()
    writer = held(lock, "write")
    assert writer.inside(LONG), (
        f"two `with lock.{kind}_lock(): raise Boom()`, then two readers came and went; a "
        f"writer was still not in after {LONG:g} s: the exception path left the counts wrong")


@pytest.mark.parametrize("kind, waiting", [("read", "write"), ("write", "read")])
def test_an_exception_lets_the_waiting_thread_in(held, kind, waiting):
    lock = ReadWriteLock()
    inside, leave = threading.Event(), threading.Event()
    outcome = []

    def body(value):
        inside.set()
        leave.wait(LONG * 2)
        raise Boom("raised inside the with block")

    def run():
        try:
            within(lock, f"{kind}_lock", body=body)
            outcome.append("returned")
        except Boom:
            outcome.append("raised")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        assert inside.wait(LONG), f"{kind}_lock() on a free lock did not let the block run"
        other = held(lock, waiting)
        settle(1)
        assert not other.inside(SHORT), (
            f"a thread is inside {kind}_lock(); another thread's {waiting}_lock() got in")
    finally:
        leave.set()
    thread.join(LONG * 2)
    assert outcome == ["raised"], (f"the block inside {kind}_lock() raised Boom; the caller "
                                   f"saw {outcome}, expected the exception")
    assert other.inside(LONG), (
        f"a thread waited in {waiting}_lock() while a {kind}_lock() block raised an "
        f"exception; it was still not in after {LONG:g} s: leaving by an exception must wake "
        "the waiting threads exactly as leaving normally does")
