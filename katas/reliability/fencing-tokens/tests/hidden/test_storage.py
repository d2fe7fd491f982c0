"""The storage fences: it refuses any token lower than the highest it has accepted, over
all keys, and a refused write changes nothing."""

import pytest
from _support import Scene
from fencing import StaleTokenError, Storage

pytestmark = pytest.mark.storage


def write(storage, key, value, token):
    """'stored' or 'refused' (StaleTokenError); any other exception propagates."""
    try:
        storage.write(key, value, token)
    except StaleTokenError:
        return "refused"
    return "stored"


def test_a_write_is_read_back():
    storage = Storage()
    missing = storage.read("k")
    write(storage, "k", "v1", 1)
    got = storage.read("k")
    assert (missing, got) == (None, "v1"), (
        f"read('k') before any write returned {missing!r} (expected None), after "
        f"write('k', 'v1', token=1) returned {got!r} (expected 'v1')")


def test_a_lower_token_is_refused_and_changes_nothing():
    storage = Storage()
    write(storage, "k", "new", 5)
    got = write(storage, "k", "old", 3)
    assert got == "refused", (
        f"write('k', 'new', 5), then write('k', 'old', 3): the second was {got}, expected "
        "StaleTokenError: token 3 comes from a holder that has been overtaken")
    assert storage.read("k") == "new", (
        f"a refused write changed the value: read('k') returned {storage.read('k')!r}, "
        "expected 'new'")


def test_the_same_token_may_write_again_and_higher_ones_pass():
    storage = Storage()
    outcomes = [write(storage, "a", 1, 4), write(storage, "b", 2, 4), write(storage, "a", 3, 4),
                write(storage, "b", 4, 9)]
    assert outcomes == ["stored"] * 4, (
        f"writes with tokens 4, 4, 4, 9 were {outcomes}, expected all stored: a token equal "
        "to the highest is the current holder writing again")
    assert (storage.read("a"), storage.read("b")) == (3, 4)


def test_a_stale_token_is_refused_on_every_key_not_only_the_one_it_wrote():
    storage = Storage()
    write(storage, "a", "from the new holder", 7)
    got = write(storage, "b", "from the old holder", 6)
    assert got == "refused", (
        f"write('a', ..., 7), then write('b', ..., 6): the second was {got}, expected "
        "StaleTokenError: the highest token accepted counts for the whole storage")
    assert storage.read("b") is None, f"read('b') returned {storage.read('b')!r}, expected None"


def test_a_refused_write_does_not_move_the_highest_token():
    storage = Storage()
    outcomes = [write(storage, "k", "v", 5), write(storage, "k", "w", 3),
                write(storage, "k", "x", 4), write(storage, "k", "y", 5)]
    assert outcomes == ["stored", "refused", "refused", "stored"], (
        f"writes with tokens 5, 3, 4, 5 were {outcomes}, expected stored, refused, refused, "
        "stored: the highest token accepted stays 5")


def test_a_paused_holder_cannot_overwrite_the_new_holders_data():
    """The story fencing tokens exist for: a holder pauses (a long GC, a swapped-out VM)
    past its lease, someone else takes the lock and writes, the first one wakes up and
    writes as if it still held the lock."""
    scene = Scene()
    storage = Storage()
    slow = scene.acquire("slow", 10)
    write(storage, "file", "slow's first draft", slow)
    scene.at(15)  # 'slow' is paused past its lease
    fast = scene.acquire("fast", 10)
    stored = write(storage, "file", "fast's version", fast)
    late = write(storage, "file", "slow's stale version", slow)
    assert (stored, late) == ("stored", "refused"), (
        f"'slow' (token {slow!r}) paused past its lease, 'fast' acquired (token {fast!r}) and "
        f"wrote: that write was {stored}; then 'slow' wrote with {slow!r}: {late}. Expected "
        f"stored, then refused. {scene.told()}")
    assert storage.read("file") == "fast's version", storage.read("file")
