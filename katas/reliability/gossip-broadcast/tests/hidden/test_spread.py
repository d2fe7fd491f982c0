"""Task 1: a value broadcast at one node reaches every node, over a perfect network."""

import pytest
from _support import PERFECT, QUIET, TOPOLOGIES, Cluster, check_reads, converged, line, mesh
from gossip import Node

from harness.testing import outbox

pytestmark = pytest.mark.spread


def test_read_holds_a_value_as_soon_as_broadcast_returns():
    node = Node("n0", ["n1", "n2"], outbox())
    empty = node.read()
    assert empty == set() and isinstance(empty, (set, frozenset)), (
        f"Node('n0', ['n1', 'n2'], send).read() before any broadcast returned {empty!r}, "
        "expected set()")
    node.broadcast(7)
    node.broadcast(12)
    got = node.read()
    assert got == {7, 12} and isinstance(got, (set, frozenset)), (
        f"read() after broadcast(7) and broadcast(12) returned {got!r}, expected {{7, 12}}: "
        "a value is acknowledged when broadcast returns, and its node holds it from then on")


def test_a_value_reaches_every_node_of_a_mesh():
    cluster = Cluster(1, mesh(5), **PERFECT)
    cluster.broadcast("n3", 42)
    cluster.run(QUIET)
    converged(cluster)


def test_a_value_crosses_a_line_from_one_end_to_the_other():
    cluster = Cluster(2, line(6), **PERFECT)
    cluster.broadcast("n0", 5)
    cluster.run(QUIET)
    converged(cluster, "after a broadcast at n0, the end of the line n0 - n1 - ... - n5")
    cluster.broadcast("n5", 6)
    cluster.run(QUIET)
    converged(cluster, "after a broadcast at n5, the other end of the line")


@pytest.mark.parametrize("shape", ["ring", "tree"])
def test_values_from_every_node_reach_every_node(shape):
    cluster = Cluster(3, TOPOLOGIES[shape](7), **PERFECT)
    for i, name in enumerate(cluster.nodes):
        cluster.broadcast(name, 100 + i)
        cluster.broadcast(name, 200 + i)
    cluster.run(QUIET)
    converged(cluster, f"after two broadcasts at each node of a {shape}")


def test_nodes_send_only_to_their_peers():
    topology = line(5)
    cluster = Cluster(4, topology, **PERFECT)
    cluster.workload(8, nodes=["n0", "n2", "n4"])
    cluster.run(QUIET)
    strays = [(s.src, s.dst) for s in cluster.network.log if s.dst not in topology[s.src]]
    assert not strays, (f"{strays[0][0]} sent to {strays[0][1]!r}, not one of its peers "
                        f"{topology[strays[0][0]]}: a node talks only to its peers; "
                        f"{cluster.describe()}")
    converged(cluster)


def test_nothing_is_read_that_was_not_broadcast_while_values_spread():
    cluster = Cluster(5, mesh(4), **PERFECT)
    cluster.broadcast("n0", 1)
    cluster.run(0.05)
    check_reads(cluster, cluster.reads(), set(), "half a tick after broadcast(1) at n0")
    cluster.broadcast("n1", 2)
    cluster.run(0.3)
    check_reads(cluster, cluster.reads(), set(), "0.3 s after broadcast(2) at n1")
