"""renew extends the current lease from now, only for its owner with its token; anyone
else hears False and changes nothing."""

import pytest
from _support import Scene

pytestmark = pytest.mark.renew


def test_renew_by_the_holder_extends_the_lease():
    scene = Scene()
    token = scene.acquire("a", 10)
    scene.at(8)
    renewed = scene.renew("a", token, 10)
    scene.at(12)
    during = scene.acquire("b", 10)
    scene.at(18.5)
    after = scene.acquire("b", 10)
    assert renewed is True, f"renew('a', {token!r}) by the holder returned {renewed!r}, " \
        f"expected True. {scene.told()}"
    assert during is None and after is not None, (
        f"'a' renewed at t=8 with ttl=10, so its lease lasts until t=18: 'b' got {during!r} "
        f"at t=12 (expected None) and {after!r} at t=18.5 (expected a token). {scene.told()}")


def test_a_renewed_lease_expires_ttl_after_the_renewal_not_after_the_old_expiry():
    scene = Scene()
    token = scene.acquire("a", 10)
    scene.at(8)
    scene.renew("a", token, 10)
    scene.at(19)
    got = scene.acquire("b", 10)
    assert got is not None, (
        f"'a' renewed at t=8 with ttl=10, so its lease expired at t=18; at t=19 acquire('b') "
        f"returned {got!r}, expected a token: the new expiry is clock() + ttl at the "
        f"renewal. {scene.told()}")


def test_renew_by_another_owner_is_refused_and_extends_nothing():
    scene = Scene()
    token = scene.acquire("a", 10)
    scene.at(5)
    renewed = scene.renew("b", token, 100)
    scene.at(10.5)
    got = scene.acquire("c", 10)
    assert renewed is False, f"renew('b', {token!r}) of 'a''s lease returned {renewed!r}, " \
        f"expected False. {scene.told()}"
    assert got is not None, (
        f"'b''s refused renew extended 'a''s lease: at t=10.5 acquire('c') returned {got!r}, "
        f"expected a token. {scene.told()}")


def test_an_overtaken_holder_cannot_renew():
    scene = Scene()
    old, new = scene.overtaken()
    renewed = scene.renew("a", old, 10)
    assert renewed is False, (
        f"'a''s lease (token {old!r}) expired and 'b' acquired ({new!r}); renew('a', "
        f"{old!r}) then returned {renewed!r}, expected False: 'a' must learn it lost the "
        f"lock. {scene.told()}")
    scene.at(21.5)  # past b's expiry at t=21; whether t=21 itself is expired is left open
    got = scene.acquire("c", 10)
    assert got is not None, (
        f"'a''s refused renew at t=12 extended 'b''s lease (t=11 + 10 s) past t=21.5: "
        f"acquire('c') returned {got!r}, expected a token. {scene.told()}")


def test_renew_with_another_token_is_refused():
    scene = Scene()
    old, new = scene.reacquired()
    stale = scene.renew("a", old, 10)
    wrong = scene.renew("a", new + 1000, 10)
    fine = scene.renew("a", new, 10)
    assert (stale, wrong, fine) == (False, False, True), (
        f"'a' holds token {new!r} (its older one, {old!r}, was released): renew with "
        f"{old!r} returned {stale!r}, with {new + 1000!r} returned {wrong!r}, with {new!r} "
        f"returned {fine!r}; expected False, False, True. {scene.told()}")


def test_renew_keeps_the_token():
    scene = Scene()
    token = scene.acquire("a", 10)
    scene.at(5)
    scene.renew("a", token, 10)
    scene.at(6)
    scene.release("a", token)
    got = scene.acquire("b", 10)
    assert got is not None and got > token, (
        f"'a' renewed token {token!r} and then released with it; acquire('b') returned "
        f"{got!r}, expected a token above {token!r}: a renewal keeps the lease's token, so "
        f"the release frees it. {scene.told()}")
