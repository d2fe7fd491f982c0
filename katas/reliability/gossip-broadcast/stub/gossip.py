"""Gossip broadcast: every node ends up holding every value, with no master, over a network
that loses, duplicates, delays, reorders and partitions messages.

The tests build one Node per address, each with its peers and its own `send`, and play
the network: they deliver messages as `handle(src, message)` calls, call every node's
`tick()` every 0.1 s of simulated time, and call `broadcast` and `read` as clients do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class Node:
    """One node of a broadcast system.

    `node_id` is this node's address (a str); `peers` the addresses of the nodes it may
    send to (its neighbours: if b is a's peer, a is b's); `send(dst, message)` hands a
    message to the network, which may drop it, deliver it twice, late or out of order, or
    lose it in a partition. It returns at once and never says what became of the message.

    A message is plain data: None, bool, int, float, str, bytes, and lists, tuples, dicts,
    sets and frozensets of them (any other type raises TypeError in `send`). It is copied
    when sent: changing an object after sending it changes nothing in flight. Its format
    is yours.

    The rules the tests check (the broadcast workload of Jepsen's Maelstrom):
    - a value is acknowledged when `broadcast` returns; from then on its node reads it;
    - after partitions heal and 3 s (30 ticks) pass with no new broadcast, every node
      reads every acknowledged value;
    - no node ever reads a value that was not broadcast; a node learns values only from
      the messages it is sent, and sends only to its peers;
    - few messages: in a run of 10 broadcasts 0.2 s apart then 5 s of quiet, over a
      network that drops 20% of messages (no partitions), the nodes send at most 8
      messages per link (pair of peers) per broadcast, all messages counted. Resending
      everything every tick is far over it: track what each peer already holds.
    """

    def __init__(self, node_id: str, peers: Iterable[str],
                 send: Callable[[str, Any], None]) -> None:
        # TODO: keep the values, and for each peer what you know it holds
        raise NotImplementedError

    def broadcast(self, value: int) -> None:
        """A client's write at this node: `value` (an int, never broadcast before anywhere)
        is acknowledged when this returns, and must reach every node."""
        # TODO
        raise NotImplementedError

    def handle(self, src: str, message: Any) -> None:
        """A message that the network delivers from peer `src` (maybe again, maybe late)."""
        # TODO
        raise NotImplementedError

    def tick(self) -> None:
        """Called on every node every 0.1 s of simulated time: the moment to send again
        what was lost. An answer to a message sent on a tick arrives before the next tick,
        unless the network lost or held it back."""
        # TODO
        raise NotImplementedError

    def read(self) -> set[int]:
        """The values this node holds, as a set."""
        # TODO
        raise NotImplementedError
