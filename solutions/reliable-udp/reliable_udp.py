"""Reliable, ordered delivery over a datagram channel that drops, duplicates and reorders.

Selective repeat: every data packet carries a sequence number, the receiver acknowledges
each packet it gets (again for a duplicate) and buffers what arrives early, and the sender
keeps a timer per unacknowledged message, so a loss costs one retransmission, not a
window's worth.

Packets: a data packet is the sequence number (8 bytes, big-endian) then the message; an
ack is the sequence number it acknowledges. Each end only ever gets the other's packets,
so no kind byte is needed.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

SEQ = 8  # bytes of sequence number: 2**64 messages before it wraps


def _number(seq: int) -> bytes:
    return seq.to_bytes(SEQ, "big")


class Sender:
    """Sends messages over `channel` and retransmits each until it is acknowledged."""

    def __init__(self, channel: Any, rto: float = 0.2, window: int = 8,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._channel = channel
        self._rto = rto
        self._window = window
        self._clock = clock
        self._next_seq = 0
        self._waiting: deque[bytes] = deque()          # not yet sent: the window was full
        self._unacked: dict[int, list[Any]] = {}       # seq -> [packet, time last sent]

    def send(self, data: bytes) -> None:
        self._waiting.append(bytes(data))
        self._fill_window()

    def _fill_window(self) -> None:
        """Sends waiting messages while fewer than `window` are unacknowledged."""
        while self._waiting and len(self._unacked) < self._window:
            packet = _number(self._next_seq) + self._waiting.popleft()
            self._unacked[self._next_seq] = [packet, self._clock()]
            self._next_seq += 1
            self._channel.send(packet)

    def on_packet(self, packet: bytes) -> None:
        if self._unacked.pop(int.from_bytes(packet, "big"), None) is not None:
            self._fill_window()

    def tick(self) -> None:
        now = self._clock()
        for entry in self._unacked.values():
            if now - entry[1] >= self._rto:
                entry[1] = now
                self._channel.send(entry[0])

    @property
    def idle(self) -> bool:
        return not self._unacked and not self._waiting


class Receiver:
    """Acknowledges every data packet and delivers the messages in order, each once."""

    def __init__(self, channel: Any) -> None:
        self._channel = channel
        self._expected = 0                 # seq of the next message to deliver
        self._early: dict[int, bytes] = {}  # arrived ahead of a gap
        self._delivered: list[bytes] = []

    def on_packet(self, packet: bytes) -> None:
        seq, data = int.from_bytes(packet[:SEQ], "big"), packet[SEQ:]
        self._channel.send(_number(seq))  # a duplicate too: its first ack may be lost
        if seq >= self._expected:
            self._early[seq] = data
        while self._expected in self._early:
            self._delivered.append(self._early.pop(self._expected))
            self._expected += 1

    def delivered(self) -> list[bytes]:
        return list(self._delivered)
