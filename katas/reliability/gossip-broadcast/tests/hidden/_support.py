"""What the hidden tests of gossip-broadcast share: topologies, a cluster of the learner's
nodes on a seeded lossy network (stepped in one call per half tick), seeded workloads of
broadcasts, and the checks of the broadcast workload (as Jepsen's Maelstrom checks it)."""

import random

from gossip import Node

from harness.testing import FakeClock, LossyNetwork, outbox

TICK = 0.1  # seconds of simulated time between two ticks of every node
STEP = 0.05  # the network is stepped twice per tick: an answer comes back before the next
QUIET = 3.0  # seconds without broadcasts (and, after a partition, healed) before the check
BOUND = 8  # messages per link per broadcast, over the whole efficiency run

PERFECT = {"drop": 0.0, "duplicate": 0.0, "reorder": 0.0, "delay": (0.001, 0.045)}
LOSSY = {"drop": 0.2, "duplicate": 0.1, "reorder": 0.1, "delay": (0.001, 0.045)}


def names(n):
    return [f"n{i}" for i in range(n)]


def mesh(n):
    """Every node is every other's peer."""
    ids = names(n)
    return {a: [b for b in ids if b != a] for a in ids}


def line(n):
    """n0 - n1 - ... : a value crosses every node between its ends."""
    ids = names(n)
    return {a: [ids[j] for j in (i - 1, i + 1) if 0 <= j < n] for i, a in enumerate(ids)}


def ring(n):
    ids = names(n)
    return {a: sorted({ids[(i - 1) % n], ids[(i + 1) % n]}) for i, a in enumerate(ids)}


def tree(n):
    """A binary tree: n0 the root, n(2i+1) and n(2i+2) the children of n(i)."""
    ids = names(n)
    peers = {a: [] for a in ids}
    for i in range(1, n):
        parent = ids[(i - 1) // 2]
        peers[parent].append(ids[i])
        peers[ids[i]].append(parent)
    return peers


TOPOLOGIES = {"mesh": mesh, "line": line, "ring": ring, "tree": tree}


def links(topology):
    """How many pairs of peers."""
    return sum(len(p) for p in topology.values()) // 2


class Cluster:
    """The learner's nodes on a seeded LossyNetwork; `broadcast` remembers what was
    acknowledged (the broadcast returned)."""

    def __init__(self, seed, topology, **faults):
        self.seed = seed
        self.topology = topology
        self.clock = FakeClock(0.0)
        self.network = LossyNetwork(seed, self.clock, **faults)
        sends = {n: outbox() for n in topology}
        self.nodes = {n: Node(n, list(peers), sends[n]) for n, peers in topology.items()}
        self.network.host(self.nodes, sends)
        self.acked = set()
        self.rng = random.Random(seed)

    def broadcast(self, node, value):
        self.nodes[node].broadcast(value)
        self.acked.add(value)

    def run(self, seconds):
        """Moves simulated time on: every node ticks every TICK seconds."""
        self.network.steps(seconds, every=STEP, tick_every=round(TICK / STEP))

    def workload(self, count, every=0.2, nodes=None):
        """`count` broadcasts of new values at random nodes (of `nodes`), `every` seconds
        apart; returns the values."""
        values = []
        for _ in range(count):
            value = self.rng.randrange(1, 10**9)
            while value in self.acked:
                value = self.rng.randrange(1, 10**9)
            self.broadcast(self.rng.choice(sorted(nodes or self.nodes)), value)
            values.append(value)
            self.run(every)
        return values

    def reads(self):
        return {n: node.read() for n, node in self.nodes.items()}

    def describe(self):
        return (f"{len(self.nodes)} nodes, peers {self.topology}; network: "
                f"{self.network.summary()}")


def check_reads(cluster, reads, expected, when):
    """Every node read exactly `expected` (the acknowledged values), nothing more."""
    for name, got in reads.items():
        missing, invented = expected - set(got), set(got) - cluster.acked
        assert not invented, (
            f"{name}.read() {when} holds {sorted(invented)[:5]}, never broadcast (only "
            f"{len(cluster.acked)} values were); {cluster.describe()}")
        assert not missing, (
            f"{name}.read() {when} lacks {len(missing)} of the {len(expected)} acknowledged "
            f"values, e.g. {sorted(missing)[:5]}: it holds {len(got)}; {cluster.describe()}")


def converged(cluster, when="after the network was quiet for 3 s"):
    """The broadcast workload's check: after a quiet period, every node holds every
    acknowledged value and nothing else."""
    check_reads(cluster, cluster.reads(), cluster.acked, when)
