"""Gossip broadcast: every node ends up holding every value, over a network that loses,
duplicates, delays, reorders and partitions, while each value crosses each link about
once.

Each node keeps, for every peer, the set of values it knows that peer holds. On each tick
it sends every peer the values it holds and the peer is not known to hold, and only those;
the peer answers with an ack naming what it received. Knowledge comes only from what the
peer said (an ack, or a gossip from it), never from having sent: a lost message is simply
sent again on a later tick, however long a partition lasts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class Node:
    """One node of a broadcast system: holds values, gossips them to its peers."""

    def __init__(self, node_id: str, peers: Iterable[str],
                 send: Callable[[str, Any], None]) -> None:
        self.node_id = node_id
        self._send = send
        self._values: set[int] = set()
        # what each peer is known to hold: learnt from its acks and its own gossip
        self._known: dict[str, set[int]] = {peer: set() for peer in peers if peer != node_id}

    def broadcast(self, value: int) -> None:
        """A client's write at this node: held at once, gossiped from the next tick on."""
        self._values.add(value)

    def handle(self, src: str, message: Any) -> None:
        """A message from the network: a gossip (answered with an ack) or an ack."""
        kind, values = message["type"], set(message["values"])
        if kind == "gossip":
            self._values |= values
            self._send(src, {"type": "ack", "values": sorted(values)})
        self._known[src] |= values  # the sender holds these, whichever kind it sent

    def tick(self) -> None:
        """Sends each peer what it is not known to hold; nothing to a peer that has it all.
        A peer that never answers (lost, partitioned) gets the same values next tick."""
        for peer, known in self._known.items():
            missing = self._values - known
            if missing:
                self._send(peer, {"type": "gossip", "values": sorted(missing)})

    def read(self) -> set[int]:
        """The values this node holds: a new set."""
        return set(self._values)
