"""Reliable, ordered delivery over a datagram channel that drops, duplicates and reorders.

Selective repeat: every data packet carries a sequence number, the receiver acknowledges
each packet it gets (again for a duplicate) and buffers what arrives early, and the sender
keeps a timer per unacknowledged message, so a loss costs one retransmission, not a
window's worth.

Packets: b"D" + sequence number (8 bytes, big-endian) + data; b"A" + sequence number.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

DATA, ACK = b"D", b"A"
SEQ = 8  # bytes of sequence number: 2**64 messages before it wraps


def _packet(kind: bytes, seq: int, data: bytes = b"") -> bytes:
    return kind + seq.to_bytes(SEQ, "big") + data


def _parse(packet: bytes) -> tuple[bytes, int, bytes] | None:
    """(kind, seq, data), or None for a packet too short to be one of ours."""
    if len(packet) < 1 + SEQ:
        return None
    return packet[:1], int.from_bytes(packet[1:1 + SEQ], "big"), packet[1 + SEQ:]


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
            packet = _packet(DATA, self._next_seq, self._waiting.popleft())
            self._unacked[self._next_seq] = [packet, self._clock()]
            self._next_seq += 1
            self._channel.send(packet)

    def on_packet(self, packet: bytes) -> None:
        parsed = _parse(packet)
        if parsed is None or parsed[0] != ACK:
            return
        if self._unacked.pop(parsed[1], None) is not None:
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
        parsed = _parse(packet)
        if parsed is None or parsed[0] != DATA:
            return
        _, seq, data = parsed
        self._channel.send(_packet(ACK, seq))  # a duplicate too: its first ack may be lost
        if seq >= self._expected:
            self._early[seq] = data
        while self._expected in self._early:
            self._delivered.append(self._early.pop(self._expected))
            self._expected += 1

    def delivered(self) -> list[bytes]:
        return list(self._delivered)
