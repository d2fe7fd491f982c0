"""Examples of what the hidden tests check. Run them with: python -m pytest"""

import pytest
from fencing import LockService, StaleTokenError, Storage

from harness.testing import FakeClock


@pytest.mark.leases
def test_the_lock_is_refused_while_held_and_granted_after_expiry():
    clock = FakeClock(0)
    locks = LockService(clock=clock)
    assert isinstance(locks.acquire("a", 10), int)
    clock.set(5)
    assert locks.acquire("b", 10) is None
    clock.set(10.5)
    assert isinstance(locks.acquire("b", 10), int)


@pytest.mark.tokens
def test_tokens_grow_across_owners():
    locks = LockService(clock=FakeClock(0))
    first = locks.acquire("a", 10)
    locks.release("a", first)
    second = locks.acquire("b", 10)
    assert second > first


@pytest.mark.renew
def test_only_the_holder_renews():
    clock = FakeClock(0)
    locks = LockService(clock=clock)
    token = locks.acquire("a", 10)
    clock.set(8)
    assert locks.renew("a", token, 10) is True
    assert locks.renew("b", token, 10) is False
    clock.set(12)
    assert locks.acquire("b", 10) is None  # a's lease now lasts until t=18


@pytest.mark.storage
def test_the_storage_refuses_an_older_token():
    storage = Storage()
    storage.write("k", "new", 2)
    with pytest.raises(StaleTokenError):
        storage.write("k", "old", 1)
    assert storage.read("k") == "new"
