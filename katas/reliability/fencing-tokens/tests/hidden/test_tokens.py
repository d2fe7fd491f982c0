"""Fencing tokens grow with every grant: one counter for the whole service, whoever the
owner and however the lease before ended (released or expired)."""

import itertools
import random

import pytest
from _support import Scene, is_token

from harness.testing import race_seeds

pytestmark = pytest.mark.tokens


def test_each_grant_has_a_higher_token_than_every_one_before():
    scene = Scene()
    tokens = []
    for step, owner in enumerate(["a", "b", "a", "c", "b"]):
        token = scene.acquire(owner, 10)
        assert is_token(token), (
            f"acquire({owner!r}) on a free lock returned {token!r}. {scene.told()}")
        tokens.append(token)
        if step % 2:
            scene.release(owner, token)  # half of the leases end by release...
        else:
            scene.at(scene.clock.now + 11)  # ...the other half expire
    assert all(x < y for x, y in itertools.pairwise(tokens)), (
        f"the tokens of five grants in a row were {tokens}: each must be higher than every "
        f"token granted before it. {scene.told()}")


def test_tokens_are_not_counted_per_owner():
    scene = Scene()
    first = scene.acquire("a", 10)
    scene.release("a", first)
    second = scene.acquire("b", 10)
    assert is_token(second) and second > first, (
        f"'a' got token {first!r}, released it, then 'b' got {second!r}: a token must be "
        f"higher than every token granted before, to any owner. {scene.told()}")


def test_a_new_grant_to_the_same_owner_has_a_new_higher_token():
    scene = Scene()
    first = scene.acquire("a", 10)
    scene.at(11)
    second = scene.acquire("a", 10)
    assert is_token(second) and second > first, (
        f"'a''s lease (token {first!r}) expired; a new acquire('a') returned {second!r}, "
        f"expected a higher token: the old one may still be in flight. {scene.told()}")


@pytest.mark.parametrize("seed", race_seeds(3))
def test_generated_histories_grant_and_refuse_as_a_lease_should(seed):
    """A seeded history of acquires, releases and waits by four owners, checked against
    what a lease means: refused while another owner's lease lasts, granted otherwise, each
    grant's token above every earlier one. Times stay off expiry instants, and an owner
    never asks again while it holds the lease (what happens then is the service's choice)."""
    rng = random.Random(seed)
    scene = Scene()
    holder = None  # (owner, token, expires) in force, as far as the rules say
    granted: list[int] = []
    for _ in range(60):
        now = scene.clock.now
        if holder is not None and now >= holder[2]:
            holder = None
        kind = rng.random()
        if kind < 0.5:
            owner = rng.choice([o for o in "abcd" if holder is None or o != holder[0]])
            ttl = rng.choice([2.5, 7.5])
            got = scene.acquire(owner, ttl)
            if holder is None:
                assert is_token(got) and all(got > t for t in granted), (
                    f"seed {seed}: acquire({owner!r}) on a free lock returned {got!r}, "
                    f"expected a token above every earlier one {granted}. {scene.told()}")
                granted.append(got)
                holder = (owner, got, now + ttl)
            else:
                assert got is None, (
                    f"seed {seed}: acquire({owner!r}) returned {got!r} while {holder[0]!r} "
                    f"held the lease until t={holder[2]:g}, expected None. {scene.told()}")
        elif kind < 0.7 and granted:
            owner = rng.choice("abcd")
            token = rng.choice(granted)
            scene.release(owner, token)
            if holder is not None and (owner, token) == holder[:2]:
                holder = None
        else:
            scene.at(now + rng.choice([1, 2, 5]))
