"""Examples of what the hidden tests check. Run them with: python -m pytest

The nodes are wired to a simulated network, a LossyNetwork: each node's `send` is an
`outbox()`, and `network.steps(seconds, every=0.05, tick_every=2)` moves simulated time on,
delivering what falls due as `handle(src, message)` calls and ticking every node every
0.1 s. `network.log` lists every message sent and what became of it (delivered, dropped,
partitioned); `network.summary()` says what the network did, with its seed."""

import pytest
from gossip import Node

from harness.testing import FakeClock, LossyNetwork, outbox


def cluster(seed, peers, **faults):
    network = LossyNetwork(seed, FakeClock(0.0), **faults)
    sends = {name: outbox() for name in peers}
    nodes = {name: Node(name, peers[name], sends[name]) for name in peers}
    network.host(nodes, sends)
    return network, nodes


def run(network, seconds):
    network.steps(seconds, every=0.05, tick_every=2)  # a tick every 0.1 s


MESH = {"n0": ["n1", "n2"], "n1": ["n0", "n2"], "n2": ["n0", "n1"]}
LINE = {"n0": ["n1"], "n1": ["n0", "n2"], "n2": ["n1"]}
PERFECT = {"drop": 0.0, "duplicate": 0.0, "reorder": 0.0, "delay": (0.001, 0.045)}


@pytest.mark.spread
def test_a_broadcast_value_is_read_at_once_at_its_node():
    network, nodes = cluster(1, MESH, **PERFECT)
    assert nodes["n0"].read() == set()
    nodes["n0"].broadcast(7)
    assert nodes["n0"].read() == {7}


@pytest.mark.spread
def test_a_value_crosses_a_line():
    network, nodes = cluster(2, LINE, **PERFECT)
    nodes["n0"].broadcast(7)
    run(network, 5.0)
    assert [nodes[n].read() for n in LINE] == [{7}, {7}, {7}], network.summary()
    assert all(s.dst in LINE[s.src] for s in network.log), "send only to your peers"


@pytest.mark.loss
def test_values_arrive_over_a_network_that_loses_messages():
    network, nodes = cluster(3, MESH, drop=0.5, duplicate=0.2, reorder=0.2)
    nodes["n0"].broadcast(1)
    nodes["n1"].broadcast(2)
    run(network, 5.0)
    assert [nodes[n].read() for n in MESH] == [{1, 2}] * 3, network.summary()


@pytest.mark.partition
def test_a_value_crosses_once_the_partition_heals():
    network, nodes = cluster(4, MESH, **PERFECT)
    network.partition(["n0"], ["n1", "n2"])
    nodes["n0"].broadcast(5)
    run(network, 3.0)
    assert nodes["n1"].read() == set(), "nothing crosses a partition"
    network.heal()
    run(network, 5.0)
    assert [nodes[n].read() for n in MESH] == [{5}] * 3, network.summary()


@pytest.mark.efficiency
def test_messages_per_broadcast_stay_under_the_bound():
    network, nodes = cluster(5, MESH, drop=0.2, duplicate=0.1, reorder=0.1)
    for value in range(10):
        nodes[f"n{value % 3}"].broadcast(value)
        run(network, 0.2)
    run(network, 5.0)  # quiet: once every peer has acked everything, nothing to send
    assert [nodes[n].read() for n in MESH] == [set(range(10))] * 3, network.summary()
    per_link = len(network.log) / 10 / 3  # 3 links: n0-n1, n0-n2, n1-n2
    assert per_link <= 8, f"{per_link:.1f} messages per link per broadcast; at most 8"
