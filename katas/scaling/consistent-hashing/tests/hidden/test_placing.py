"""Placing keys: deterministic, stable across processes, errors for bad membership."""

import pytest

from harness.testing import learner_process
from hash_ring import HashRing

pytestmark = pytest.mark.placing

NODES = [f"cache-{i}" for i in range(6)]
KEYS = [f"user:{i}" for i in range(200)]


def test_every_key_maps_to_a_member():
    ring = HashRing(NODES)
    owners = {ring.get_node(k) for k in KEYS}
    assert owners <= set(NODES), f"get_node returned {sorted(owners - set(NODES))}, not nodes"


def test_the_same_key_maps_the_same_way_every_time():
    ring = HashRing(NODES)
    first = [ring.get_node(k) for k in KEYS]
    again = [ring.get_node(k) for k in KEYS]
    assert first == again, "get_node gave different nodes for the same key"


def test_two_rings_with_the_same_nodes_agree():
    one, two = HashRing(NODES), HashRing()
    for node in NODES:
        two.add_node(node)
    differ = [k for k in KEYS if one.get_node(k) != two.get_node(k)]
    assert not differ, (f"HashRing(nodes) and add_node() one by one disagree on {differ[0]!r}")


def test_one_node_owns_everything():
    ring = HashRing(["solo"])
    assert {ring.get_node(k) for k in KEYS} == {"solo"}


@pytest.mark.parametrize("hash_seed", ["1", "2"])
def test_the_mapping_is_the_same_in_every_process(hash_seed):
    here = [HashRing(NODES).get_node(k) for k in KEYS]
    with learner_process(env={"PYTHONHASHSEED": hash_seed}) as other:
        there = [other.hash_ring.HashRing(NODES).get_node(k) for k in KEYS]
    differ = [i for i, (a, b) in enumerate(zip(here, there)) if a != b]
    assert not differ, (
        f"key {KEYS[differ[0]]!r} maps to {here[differ[0]]!r} here but {there[differ[0]]!r} in "
        f"a process with PYTHONHASHSEED={hash_seed}: hash with hashlib, not hash()")


def test_an_empty_ring_raises_lookup_error():
    with pytest.raises(LookupError):
        got = HashRing().get_node("k")
        pytest.fail(f"get_node on an empty ring returned {got!r}; expected LookupError")


def test_a_ring_emptied_by_removals_raises_lookup_error():
    ring = HashRing(["a"])
    ring.remove_node("a")
    with pytest.raises(LookupError):
        ring.get_node("k")


def test_adding_a_node_twice_raises_value_error():
    ring = HashRing(["a", "b"])
    with pytest.raises(ValueError):
        ring.add_node("a")
        pytest.fail("add_node('a') when a is on the ring returned normally; expected ValueError")
    with pytest.raises(ValueError):
        HashRing(["x", "x"])


def test_removing_an_unknown_node_raises_key_error():
    ring = HashRing(["a"])
    with pytest.raises(KeyError):
        ring.remove_node("b")
        pytest.fail("remove_node('b') of an unknown node returned normally; expected KeyError")


def test_a_removed_node_is_never_returned():
    ring = HashRing(NODES)
    ring.remove_node("cache-3")
    owners = {ring.get_node(k) for k in KEYS}
    assert "cache-3" not in owners, "get_node returned a node that was removed"


def test_a_re_added_node_gets_its_keys_back():
    ring = HashRing(NODES)
    before = [ring.get_node(k) for k in KEYS]
    ring.remove_node("cache-1")
    ring.add_node("cache-1")
    assert [ring.get_node(k) for k in KEYS] == before, (
        "after remove_node and add_node of the same node the keys map differently")
