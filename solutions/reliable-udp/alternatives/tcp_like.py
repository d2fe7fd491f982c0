"""Reliable, ordered delivery over a lossy datagram channel, the way TCP does it.

Cumulative acks, as TCP's: the receiver answers every data packet with the number of the
message it expects next, and keeps what arrives early until the gap before it is filled.
One retransmission timer for the whole sender, as RFC 6298 describes: it runs while
anything is unacknowledged, restarts when an ack retires something, and when it expires
only the oldest unacknowledged packet is sent again and the timeout doubles (exponential
backoff, capped at 60 s as RFC 6298 allows), back to `rto` at the next ack that moves the
window on.

Packets: a 4-byte kind, then the sequence number as 8 bytes, then the message.
"""

from __future__ import annotations

import struct
import time
from collections import deque
from collections.abc import Callable
from typing import Any

HEADER = struct.Struct("!4sQ")
DATA, ACK = b"data", b"ack!"
MAX_RTO = 60.0


class Sender:
    def __init__(self, channel: Any, rto: float = 0.2, window: int = 8,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.channel, self.rto, self.window, self.clock = channel, rto, window, clock
        self.base = 0                               # oldest unacknowledged
        self.unacked: deque[bytes] = deque()        # packets base, base+1, ...
        self.waiting: deque[bytes] = deque()
        self.timer: float | None = None             # when the timer was (re)started
        self.timeout = rto                          # rto, doubled by each expiry

    def send(self, data: bytes) -> None:
        self.waiting.append(bytes(data))
        self.pump()

    def pump(self) -> None:
        while self.waiting and len(self.unacked) < self.window:
            packet = HEADER.pack(DATA, self.base + len(self.unacked)) + self.waiting.popleft()
            self.unacked.append(packet)
            self.channel.send(packet)
            if self.timer is None:
                self.timer = self.clock()

    def on_packet(self, packet: bytes) -> None:
        if len(packet) != HEADER.size:
            return
        kind, expected = HEADER.unpack(packet)
        if kind != ACK or expected <= self.base:
            return  # a duplicate ack, or one overtaken by a later one
        for _ in range(min(expected - self.base, len(self.unacked))):
            self.unacked.popleft()
        self.base = expected
        self.timeout = self.rto
        self.timer = self.clock() if self.unacked else None
        self.pump()

    def tick(self) -> None:
        if self.timer is None:
            return
        now = self.clock()
        if now - self.timer >= self.timeout:
            self.channel.send(self.unacked[0])
            self.timer = now
            self.timeout = min(2 * self.timeout, MAX_RTO)

    @property
    def idle(self) -> bool:
        return not self.unacked and not self.waiting


class Receiver:
    def __init__(self, channel: Any) -> None:
        self.channel = channel
        self.expected = 0
        self.early: dict[int, bytes] = {}
        self.messages: list[bytes] = []

    def on_packet(self, packet: bytes) -> None:
        if len(packet) < HEADER.size:
            return
        kind, seq = HEADER.unpack_from(packet)
        if kind != DATA:
            return
        if seq >= self.expected:
            self.early.setdefault(seq, packet[HEADER.size:])
        while self.expected in self.early:
            self.messages.append(self.early.pop(self.expected))
            self.expected += 1
        self.channel.send(HEADER.pack(ACK, self.expected))

    def delivered(self) -> list[bytes]:
        return list(self.messages)
