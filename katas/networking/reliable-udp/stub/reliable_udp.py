"""Reliable, ordered delivery over a datagram channel that drops, duplicates and reorders
packets: what TCP builds on top of IP.

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.

The channel. Both ends are given a `channel` with one method, `channel.send(packet:
bytes)`, which puts a datagram on the network towards the other end. It returns at once
and promises nothing: the packet may arrive once, twice, late, after packets sent later,
or never. Packets that arrive are handed to the other end's `on_packet(packet)`. In the
tests the channel is a simulated lossy network under a fake clock; in real life it would
be a UDP socket (`sock.sendto(packet, address)`) with a loop that reads it.

Yours to choose: the packet format (any bytes) and the acknowledgement scheme
(cumulative acks, one ack per packet, or both). The tests never read your packets; they
only watch what the network carries and when.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class Sender:
    """The sending end: takes messages, gets each one to the Receiver, retransmitting
    until it is acknowledged.

    - `send(data)` never blocks: a message that does not fit in the window waits in the
      Sender until an ack makes room.
    - At most `window` messages are unacknowledged on the network at any time.
    - A packet is retransmitted only after `rto` seconds (read from `clock`) without an
      ack; `tick()`, called regularly, is where that happens.
    """

    def __init__(self, channel: Any, rto: float = 0.2, window: int = 8,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """A Sender that sends over `channel` (`channel.send(packet: bytes)`), with a
        retransmission timeout of `rto` seconds, at most `window` unacknowledged
        messages in flight, and `clock` (seconds, a float) to tell the time."""
        # TODO: keep the channel, rto, window and clock; set up what you track
        raise NotImplementedError

    def send(self, data: bytes) -> None:
        """Queues the message `data` (any bytes, empty included) for reliable delivery, and
        transmits it at once if the window has room. Returns without waiting for an ack."""
        # TODO
        raise NotImplementedError

    def on_packet(self, packet: bytes) -> None:
        """Handles a packet from the Receiver (an ack): what it acknowledges no longer
        needs retransmitting and frees room in the window for waiting messages."""
        # TODO
        raise NotImplementedError

    def tick(self) -> None:
        """Called regularly: retransmits unacknowledged packets whose wait is over, and
        none earlier: a packet is sent again only once `rto` seconds or more have passed
        since it was last sent without an ack (a wait that grows after each timeout, capped,
        is allowed: see the README)."""
        # TODO
        raise NotImplementedError

    @property
    def idle(self) -> bool:
        """True when every message given to `send` has been acknowledged (True for a new
        Sender); False while any message is unacknowledged or still waiting to be sent."""
        # TODO
        raise NotImplementedError


class Receiver:
    """The receiving end: acknowledges what arrives and delivers the messages in the
    order they were sent, each exactly once, whatever the network did to the packets."""

    def __init__(self, channel: Any) -> None:
        """A Receiver that sends its acks over `channel` (`channel.send(packet: bytes)`)."""
        # TODO
        raise NotImplementedError

    def on_packet(self, packet: bytes) -> None:
        """Handles a packet from the Sender: acknowledges it (a duplicate too: the first
        ack may have been lost, and the Sender would otherwise retransmit forever), and
        delivers its message once every earlier message has been delivered."""
        # TODO
        raise NotImplementedError

    def delivered(self) -> list[bytes]:
        """Every message delivered so far, in the order they were given to `send`, each
        once: never a message before an earlier one that has not arrived yet."""
        # TODO
        raise NotImplementedError
