"""Gossip broadcast over logs and offsets: each node appends the values it learns to a log,
in the order it learns them, and remembers for each peer how long a prefix of that log
the peer has acknowledged. A tick sends each peer the log from its acknowledged offset
on; the peer answers with the offset it now holds up to. It is how Kafka followers and
TCP's cumulative acks track a peer: one number per peer instead of a set.

The price: the log's order is this node's, so a value a peer gave us is still sent back
to it once (it cannot be cut out of the prefix), and a lost ack resends the whole tail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class Node:
    """One node: a log of values, an acknowledged offset per peer."""

    def __init__(self, node_id: str, peers: Iterable[str],
                 send: Callable[[str, Any], None]) -> None:
        self.node_id = node_id
        self.send = send
        self.log: list[int] = []
        self.held: set[int] = set()
        self.offset = {peer: 0 for peer in peers if peer != node_id}

    def _append(self, values: Iterable[int]) -> None:
        for value in values:
            if value not in self.held:
                self.held.add(value)
                self.log.append(value)

    def broadcast(self, value: int) -> None:
        self._append([value])

    def handle(self, src: str, message: Any) -> None:
        if "entries" in message:
            self._append(message["entries"])
            self.send(src, {"upto": message["start"] + len(message["entries"])})
        elif src in self.offset:
            self.offset[src] = max(self.offset[src], message["upto"])

    def tick(self) -> None:
        for peer, start in self.offset.items():
            if start < len(self.log):
                self.send(peer, {"start": start, "entries": self.log[start:]})

    def read(self) -> set[int]:
        return set(self.held)
