"""Task 2: the network drops, duplicates, delays and reorders; every value still reaches
every node."""

import pytest
from _support import LOSSY, QUIET, TOPOLOGIES, Cluster, converged, mesh

pytestmark = pytest.mark.loss


@pytest.mark.parametrize(("shape", "seed"), [("mesh", 11), ("line", 12), ("ring", 13),
                                             ("tree", 14)])
def test_every_value_reaches_every_node_over_a_lossy_network(shape, seed):
    cluster = Cluster(seed, TOPOLOGIES[shape](5 if shape == "mesh" else 7), **LOSSY)
    cluster.workload(15, every=0.1)
    cluster.run(QUIET)
    converged(cluster, f"after 15 broadcasts over a lossy {shape} and 3 s of quiet")


def test_a_value_is_sent_again_until_it_arrives():
    cluster = Cluster(15, mesh(4), drop=0.7, duplicate=0.0, reorder=0.0, delay=(0.001, 0.045))
    cluster.broadcast("n0", 1)
    cluster.broadcast("n2", 2)
    cluster.run(QUIET)
    converged(cluster, "after two broadcasts over a network that drops 70% of messages")


def test_duplicated_and_reordered_messages_change_nothing():
    cluster = Cluster(16, mesh(4), drop=0.1, duplicate=0.6, reorder=0.6, delay=(0.001, 0.045))
    cluster.workload(10, every=0.05)
    cluster.run(QUIET)
    converged(cluster, "after 10 broadcasts over a network that duplicates and reorders")
