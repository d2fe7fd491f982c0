"""get_nodes: distinct nodes walking clockwise, the first being get_node."""

import pytest

from hash_ring import HashRing

pytestmark = pytest.mark.replicas

NODES = [f"n{i}" for i in range(8)]
KEYS = [f"doc/{i}" for i in range(300)]


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_n_distinct_nodes_starting_with_the_owner(n):
    ring = HashRing(NODES)
    for key in KEYS:
        got = ring.get_nodes(key, n)
        assert len(got) == n and len(set(got)) == n, (
            f"get_nodes({key!r}, {n}) returned {got}: expected {n} distinct nodes")
        assert got[0] == ring.get_node(key), (
            f"get_nodes({key!r}, {n})[0] is {got[0]!r} but get_node({key!r}) is "
            f"{ring.get_node(key)!r}")


def test_more_than_the_nodes_returns_every_node():
    ring = HashRing(NODES)
    got = ring.get_nodes("doc/1", 20)
    assert sorted(got) == sorted(NODES), f"get_nodes('doc/1', 20) with 8 nodes returned {got}"


def test_replicas_follow_clockwise_order():
    ring = HashRing(NODES)
    for key in KEYS[:100]:
        chain = ring.get_nodes(key, 4)
        smaller = HashRing([n for n in NODES if n != chain[0]])
        assert smaller.get_node(key) == chain[1], (
            f"get_nodes({key!r}, 4) is {chain}; without {chain[0]!r} the key belongs to "
            f"{smaller.get_node(key)!r}, so the second replica should be that node: walk "
            "clockwise from the key")
        assert smaller.get_nodes(key, 3) == chain[1:], (
            f"get_nodes({key!r}, 4) is {chain}; without {chain[0]!r}, get_nodes gives "
            f"{smaller.get_nodes(key, 3)}, expected {chain[1:]}")


def test_asking_for_every_node_still_walks_clockwise():
    """n equal to the node count: n distinct nodes walking clockwise, every node once."""
    ring = HashRing(NODES)
    for key in KEYS[:50]:
        chain = ring.get_nodes(key, len(NODES))
        smaller = HashRing([n for n in NODES if n != chain[0]])
        assert sorted(chain) == sorted(NODES) and smaller.get_node(key) == chain[1], (
            f"get_nodes({key!r}, {len(NODES)}) with {len(NODES)} nodes is {chain}; without "
            f"{chain[0]!r} the key belongs to {smaller.get_node(key)!r}, so the second should "
            "be that node: every node once, in the order met walking clockwise from the key")


def test_an_empty_ring_raises_lookup_error():
    with pytest.raises(LookupError):
        got = HashRing().get_nodes("k", 2)
        pytest.fail(f"get_nodes on an empty ring returned {got!r}; expected LookupError")
