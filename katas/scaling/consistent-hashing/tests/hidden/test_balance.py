"""Balance with virtual nodes, and minimal movement when membership changes."""

from collections import Counter

import pytest

from harness.testing import call_each
from hash_ring import HashRing

pytestmark = pytest.mark.balance

TEN = [f"node-{i}" for i in range(10)]
KEYS = [f"object/{i}" for i in range(100_000)]
FEWER = KEYS[:20_000]


def owners(ring, keys):
    """{key: ring.get_node(key)}, asked in one message: 100,000 lookups."""
    return dict(zip(keys, call_each(ring, "get_node", [(k,) for k in keys])))


def loads(ring, keys):
    return Counter(owners(ring, keys).values())


def test_100_vnodes_keep_the_busiest_node_within_1_5_times_the_mean():
    counts = loads(HashRing(TEN, vnodes=100), KEYS)
    mean = len(KEYS) / len(TEN)
    busiest, load = counts.most_common(1)[0]
    assert load <= 1.5 * mean, (
        f"with 100 vnodes, {busiest} holds {load} of {len(KEYS)} keys, {load / mean:.2f}x the "
        "mean (at most 1.5x): place every node at `vnodes` points on the ring")


def test_vnodes_is_the_number_of_points_per_node():
    counts = loads(HashRing(TEN, vnodes=1), FEWER)
    mean = len(FEWER) / len(TEN)
    assert max(counts.values()) > 1.5 * mean, (
        "with vnodes=1 the load is as even as with many points: the vnodes argument is "
        f"ignored (busiest node holds {max(counts.values()) / mean:.2f}x the mean)")


def test_the_default_is_100_vnodes():
    default, explicit = owners(HashRing(TEN), FEWER), owners(HashRing(TEN, vnodes=100), FEWER)
    differ = [k for k in FEWER if default[k] != explicit[k]]
    assert not differ, (
        f"HashRing(nodes) and HashRing(nodes, vnodes=100) disagree on {len(differ)} keys, "
        f"e.g. {differ[0]!r}: {default[differ[0]]!r} vs {explicit[differ[0]]!r}; vnodes "
        "defaults to 100")


def test_adding_a_node_moves_only_keys_that_now_belong_to_it():
    ring = HashRing(TEN)
    before = owners(ring, FEWER)
    ring.add_node("node-10")
    after = owners(ring, FEWER)
    moved = [k for k in FEWER if after[k] != before[k]]
    strays = [k for k in moved if after[k] != "node-10"]
    assert not strays, (f"after add_node('node-10'), {strays[0]!r} moved from "
                        f"{before[strays[0]]!r} to {after[strays[0]]!r}: only keys that now "
                        f"belong to the new node may move ({len(strays)} did not)")
    share = len(moved) / len(FEWER)
    assert 0.045 <= share <= 0.15, (f"adding an 11th node moved {share:.1%} of the keys; "
                                     "expected about 1/11 (9%)")


def test_removing_a_node_moves_only_its_keys():
    ring = HashRing(TEN)
    before = owners(ring, FEWER)
    ring.remove_node("node-4")
    now = owners(ring, FEWER)
    moved = [k for k in FEWER if before[k] != "node-4" and now[k] != before[k]]
    assert not moved, (f"after remove_node('node-4'), {moved[0]!r} moved from "
                       f"{before[moved[0]]!r} to {now[moved[0]]!r} although its node "
                       f"is still there ({len(moved)} such keys)")


def test_keys_past_the_last_point_wrap_to_the_first():
    ring = HashRing(["a", "b", "c"], vnodes=3)
    owned = loads(ring, FEWER[:5000])
    assert len(owned) == 3, (f"with 3 nodes, 5000 keys went to only {sorted(owned)}: keys "
                              "clockwise past the last point belong to the first point")
