"""Gossip broadcast, eagerly: a new value is pushed to every peer the moment this node
learns it (no wait for a tick), each push is remembered until that peer acks it, and the
tick only retransmits pushes that went unanswered for two ticks.

Lower latency than gossiping on ticks; the price is a table of outstanding pushes per
peer (value -> the tick it was last sent on), the shape TCP's retransmission queue has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

RETRY_TICKS = 2  # an answer comes back within one tick; wait one more before resending


class Node:
    """One node: pushes new values at once, retransmits what a peer has not acked."""

    def __init__(self, node_id: str, peers: Iterable[str],
                 send: Callable[[str, Any], None]) -> None:
        self.node_id = node_id
        self.peers = [peer for peer in peers if peer != node_id]
        self.send = send
        self.values: set[int] = set()
        self.unacked: dict[str, dict[int, int]] = {peer: {} for peer in self.peers}
        self.ticks = 0

    def broadcast(self, value: int) -> None:
        self._learn([value], source=None)

    def _learn(self, values: list[int], source: str | None) -> None:
        new = [v for v in values if v not in self.values]
        if not new:
            return
        self.values.update(new)
        for peer in self.peers:
            if peer == source:
                continue  # it told us: it has them
            for value in new:
                self.unacked[peer][value] = self.ticks
            self.send(peer, ["push", new])

    def handle(self, src: str, message: Any) -> None:
        kind, values = message[0], list(message[1])
        if kind == "push":
            self.send(src, ["ack", values])
            for value in values:  # src has them: never push them back to it
                self.unacked.get(src, {}).pop(value, None)
            self._learn(values, source=src)
        elif kind == "ack":
            for value in values:
                self.unacked.get(src, {}).pop(value, None)

    def tick(self) -> None:
        self.ticks += 1
        for peer, pending in self.unacked.items():
            due = [v for v, sent in pending.items() if self.ticks - sent >= RETRY_TICKS]
            if due:
                for value in due:
                    pending[value] = self.ticks
                self.send(peer, ["push", sorted(due)])

    def read(self) -> set[int]:
        return set(self.values)
