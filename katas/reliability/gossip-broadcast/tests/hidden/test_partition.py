"""Task 3: partitions cut the network into groups; after they heal, every acknowledged
value reaches every node, and nothing crosses a partition while it lasts."""

import pytest
from _support import LOSSY, PERFECT, QUIET, Cluster, check_reads, converged, line, mesh

pytestmark = pytest.mark.partition


def test_a_node_cut_off_learns_nothing_until_the_partition_heals():
    cluster = Cluster(21, mesh(4), **PERFECT)
    cluster.network.partition(["n0", "n1", "n2"], ["n3"])
    cluster.broadcast("n0", 10)
    cluster.broadcast("n3", 30)
    cluster.run(QUIET)
    reads = cluster.reads()
    assert reads["n3"] == {30} and 30 not in reads["n0"], (
        f"while n3 was cut off from n0, n1, n2 (no message crossed), n3.read() returned "
        f"{reads['n3']!r} and n0.read() {reads['n0']!r}; expected {{30}} and {{10}}: nodes "
        f"learn values only from the messages they are sent; {cluster.describe()}")
    cluster.network.heal()
    cluster.run(QUIET)
    converged(cluster, "3 s after the partition healed")


def test_a_value_broadcast_just_before_a_partition_arrives_after_it_heals():
    cluster = Cluster(22, line(5), **PERFECT)
    cluster.broadcast("n0", 1)
    cluster.network.partition(["n0"], ["n1", "n2", "n3", "n4"])
    cluster.run(3.0)
    cluster.network.heal()
    cluster.run(QUIET)
    converged(cluster, "after broadcast(1) at n0, cut off at once for 3 s, then healed")


@pytest.mark.parametrize("seed", [23, 24])
def test_values_broadcast_on_both_sides_of_a_split_reach_everyone(seed):
    cluster = Cluster(seed, mesh(5), **LOSSY)
    cluster.workload(5)
    cluster.network.partition(["n0", "n1"], ["n2", "n3", "n4"])
    cluster.workload(10)
    cluster.network.heal()
    cluster.run(QUIET)
    converged(cluster, "3 s after a split of n0, n1 from n2, n3, n4 healed")


def test_a_long_partition_heals_all_the_same():
    cluster = Cluster(25, line(6), **LOSSY)
    cluster.network.partition(["n0", "n1", "n2"], ["n3", "n4", "n5"])
    cluster.workload(6)
    cluster.run(6.0)
    left, right = cluster.reads()["n0"], cluster.reads()["n5"]
    check_reads(cluster, {"n0": left | right}, cluster.acked, "while partitioned (together)")
    cluster.network.heal()
    cluster.run(QUIET)
    converged(cluster, "3 s after a 6 s partition of the line in halves healed")


def test_partitions_that_come_and_go():
    cluster = Cluster(26, mesh(5), **LOSSY)
    groups = [(["n0", "n1"], ["n2", "n3", "n4"]), (["n0", "n2", "n4"], ["n1", "n3"]),
              (["n4"], ["n0", "n1", "n2", "n3"])]
    for group in groups:
        cluster.network.partition(*group)
        cluster.workload(4)
        cluster.run(1.0)
        cluster.network.heal()
        cluster.run(0.3)
    cluster.run(QUIET)
    converged(cluster, "3 s after the last of three partitions healed")
