"""Task 4: few messages: each value crosses each link about once, and an idle network
stays quiet. The efficiency run: 10 broadcasts 0.2 s apart, then 5 s of quiet, over a
lossy network without partitions; at most BOUND messages per link per broadcast."""

import pytest
from _support import BOUND, LOSSY, Cluster, converged, line, links, mesh

pytestmark = pytest.mark.efficiency


@pytest.mark.parametrize(("shape", "seed"), [("mesh", 31), ("line", 32)])
def test_messages_per_broadcast_stay_under_the_bound(shape, seed):
    topology = mesh(5) if shape == "mesh" else line(7)
    cluster = Cluster(seed, topology, **LOSSY)
    cluster.workload(10)
    cluster.run(5.0)
    converged(cluster)
    sent, limit = len(cluster.network.log), BOUND * links(topology) * 10
    assert sent <= limit, (
        f"10 broadcasts over a {shape} of {len(topology)} nodes ({links(topology)} links), "
        f"then 5 s of quiet: the nodes sent {sent} messages, "
        f"{sent / 10 / links(topology):.1f} per link per broadcast; at most {BOUND} are "
        f"allowed ({limit}). Send a peer only what it is not known to hold; "
        f"{cluster.describe()}")
