"""Reliable, ordered delivery over a lossy datagram channel: go-back-N.

Cumulative acks: the receiver keeps no buffer. It delivers only the message it expects
next, drops everything else, and answers every data packet with the number of the
message it expects next ("I have everything before n"). The sender keeps its
unacknowledged packets in order; an ack n retires every packet below n. A lost packet
makes the receiver drop everything after it, so each of those is sent again when its own
timer runs out: the sender goes back N.

Packets: data is the sequence number as a decimal, b":", then the message; an ack is the
decimal number alone (text, to show the format is free).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any


class Sender:
    def __init__(self, channel: Any, rto: float = 0.2, window: int = 8,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.channel = channel
        self.rto = rto
        self.window = window
        self.clock = clock
        self.base = 0                      # oldest unacknowledged sequence number
        self.outstanding: deque[list[Any]] = deque()  # [packet, sent at], from base on
        self.queued: deque[bytes] = deque()

    def send(self, data: bytes) -> None:
        self.queued.append(bytes(data))
        self.pump()

    def pump(self) -> None:
        while self.queued and len(self.outstanding) < self.window:
            seq = self.base + len(self.outstanding)
            packet = b"%d:" % seq + self.queued.popleft()
            self.outstanding.append([packet, self.clock()])
            self.channel.send(packet)

    def on_packet(self, packet: bytes) -> None:
        try:
            expected = int(packet)
        except ValueError:
            return
        while self.base < expected and self.outstanding:
            self.outstanding.popleft()
            self.base += 1
        self.pump()

    def tick(self) -> None:
        now = self.clock()
        for entry in self.outstanding:
            if now - entry[1] >= self.rto:
                self.channel.send(entry[0])
                entry[1] = now

    @property
    def idle(self) -> bool:
        return not self.outstanding and not self.queued


class Receiver:
    def __init__(self, channel: Any) -> None:
        self.channel = channel
        self.expected = 0
        self.messages: list[bytes] = []

    def on_packet(self, packet: bytes) -> None:
        head, colon, data = packet.partition(b":")
        if not colon or not head.isdigit():
            return
        if int(head) == self.expected:
            self.messages.append(data)
            self.expected += 1
        self.channel.send(b"%d" % self.expected)

    def delivered(self) -> list[bytes]:
        return list(self.messages)
