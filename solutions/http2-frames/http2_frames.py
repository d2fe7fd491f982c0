"""HTTP/2 frame layer (RFC 9113 §4.1): encode frames, decode a byte stream fed in pieces."""

from __future__ import annotations

import struct
from dataclasses import dataclass

HEADER_SIZE = 9
MAX_PAYLOAD = (1 << 24) - 1
MAX_STREAM_ID = (1 << 31) - 1
_HEADER = struct.Struct(">HBBBL")  # length as 16 + 8 bits, type, flags, R + stream id


@dataclass(frozen=True)
class Frame:
    """One HTTP/2 frame: its type, flags, stream id and raw payload."""

    type: int
    flags: int
    stream_id: int
    payload: bytes


class FrameSizeError(ValueError):
    """A frame's length exceeds the decoder's max_frame_size."""


def encode_frame(frame: Frame) -> bytes:
    """The frame on the wire: a 9-byte header, then the payload."""
    payload = bytes(frame.payload)
    if not 0 <= frame.stream_id <= MAX_STREAM_ID:
        raise ValueError(f"stream_id {frame.stream_id} is outside 0..2^31-1")
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"a payload of {len(payload)} bytes is over 2^24-1")
    length = len(payload)
    return _HEADER.pack(length >> 8, length & 0xFF, frame.type, frame.flags,
                        frame.stream_id) + payload


class FrameDecoder:
    """Splits a byte stream into frames, whatever pieces it arrives in."""

    def __init__(self, max_frame_size: int = 16384) -> None:
        self.max_frame_size = max_frame_size
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Frame]:
        """Buffers `data` and returns every frame it completes, in order."""
        buffer = self._buffer
        buffer += data
        frames = []
        start = 0
        while len(buffer) - start >= HEADER_SIZE:
            high, low, kind, flags, stream = _HEADER.unpack_from(buffer, start)
            length = high << 8 | low
            if length > self.max_frame_size:
                raise FrameSizeError(f"a frame of {length} bytes is over {self.max_frame_size}")
            end = start + HEADER_SIZE + length
            if end > len(buffer):
                break
            frames.append(Frame(kind, flags, stream & MAX_STREAM_ID,
                                bytes(buffer[start + HEADER_SIZE:end])))
            start = end
        del buffer[:start]
        return frames
