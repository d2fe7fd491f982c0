"""A lease belongs to one owner until it expires (clock() + ttl at the grant) or is
released by that owner with its token; meanwhile every other owner is refused."""

import pytest
from _support import Scene, is_token

pytestmark = pytest.mark.leases


def test_a_free_lock_grants_a_token():
    scene = Scene()
    token = scene.acquire("a", 10)
    assert is_token(token), (
        f"acquire('a', ttl=10) on a lock nobody holds returned {token!r}, expected a fencing "
        "token (an int)")


@pytest.mark.parametrize("t", [0, 5, 9.5])
def test_another_owner_is_refused_while_the_lease_lasts(t):
    scene = Scene()
    scene.acquire("a", 10)
    scene.at(t)
    got = scene.acquire("b", 10)
    assert got is None, (
        f"'b' acquired the lock at t={t:g} while 'a' held a lease until t=10: acquire "
        f"returned {got!r}, expected None. {scene.told()}")


def test_after_the_lease_expires_another_owner_acquires():
    scene = Scene()
    scene.acquire("a", 10)
    scene.at(10.5)
    got = scene.acquire("b", 10)
    assert is_token(got), (
        f"'a' held a lease until t=10; at t=10.5 acquire('b') returned {got!r}, expected a "
        f"token: an expired lease is no lease. {scene.told()}")


def test_expiry_is_counted_from_the_time_of_the_grant():
    scene = Scene(start=1000)
    scene.acquire("a", 10)
    scene.at(1005)
    early = scene.acquire("b", 10)
    scene.at(1010.5)
    late = scene.acquire("b", 10)
    assert early is None and is_token(late), (
        f"'a' acquired at t=1000 with ttl=10, so its lease expires at t=1010: 'b' got "
        f"{early!r} at t=1005 (expected None) and {late!r} at t=1010.5 (expected a token). "
        f"{scene.told()}")


def test_a_refused_acquire_changes_nothing():
    scene = Scene()
    scene.acquire("a", 10)
    scene.at(5)
    scene.acquire("b", 100)
    scene.at(10.5)
    got = scene.acquire("c", 10)
    assert is_token(got), (
        f"'a' held the lock until t=10, and 'b' was refused at t=5; at t=10.5 acquire('c') "
        f"returned {got!r}, expected a token: a refused acquire must not take or extend the "
        f"lease. {scene.told()}")


def test_release_frees_the_lock_at_once():
    scene = Scene()
    token = scene.acquire("a", 10)
    scene.at(1)
    scene.release("a", token)
    got = scene.acquire("b", 10)
    assert is_token(got), (
        f"after release('a', {token!r}) at t=1, acquire('b') returned {got!r}, expected a "
        f"token: a released lock is free before its lease would have expired. {scene.told()}")


@pytest.mark.parametrize("who", ["another owner", "the owner with a wrong token"])
def test_a_release_by_anyone_but_the_holder_does_nothing(who):
    scene = Scene()
    token = scene.acquire("a", 10)
    scene.at(1)
    if who == "another owner":
        scene.release("b", token)
    else:
        scene.release("a", token + 1000)
    got = scene.acquire("b", 10)
    assert got is None, (
        f"a release by {who} freed 'a''s lock: acquire('b') then returned {got!r}, expected "
        f"None. {scene.told()}")


def test_an_overtaken_holder_cannot_release_the_new_lease():
    scene = Scene()
    old, _ = scene.overtaken()
    scene.release("a", old)  # 'a' wakes from a pause and releases what it thinks it holds
    got = scene.acquire("c", 10)
    assert got is None, (
        f"'a''s lease expired and 'b' acquired; then release('a', {old!r}) freed 'b''s lease: "
        f"acquire('c') returned {got!r}, expected None. {scene.told()}")


def test_an_old_token_of_the_same_owner_cannot_release_its_new_lease():
    scene = Scene()
    old, new = scene.reacquired()
    scene.release("a", old)
    got = scene.acquire("b", 10)
    assert got is None, (
        f"'a' released token {old!r} and acquired again ({new!r}); release('a', {old!r}) "
        f"once more freed the new lease: acquire('b') returned {got!r}, expected None. "
        f"{scene.told()}")
