"""Examples of what the hidden tests check."""

import pytest

from hash_ring import HashRing


@pytest.mark.placing
def test_a_key_always_maps_to_the_same_node():
    ring = HashRing(["a", "b", "c"])
    assert ring.get_node("user:42") == ring.get_node("user:42")
    assert ring.get_node("user:42") in {"a", "b", "c"}


@pytest.mark.balance
def test_removing_a_node_moves_only_its_keys():
    ring = HashRing([f"n{i}" for i in range(5)])
    keys = [f"k{i}" for i in range(1000)]
    before = {k: ring.get_node(k) for k in keys}
    ring.remove_node("n2")
    assert all(ring.get_node(k) == before[k] for k in keys if before[k] != "n2")


@pytest.mark.replicas
def test_replicas_are_distinct():
    ring = HashRing(["a", "b", "c", "d"])
    nodes = ring.get_nodes("key", 3)
    assert len(set(nodes)) == 3 and nodes[0] == ring.get_node("key")
