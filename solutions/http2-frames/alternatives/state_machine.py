"""HTTP/2 frames as a two-state reader: collect a header, then collect its payload."""

from __future__ import annotations

from dataclasses import dataclass


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
    if frame.stream_id < 0 or frame.stream_id >= 1 << 31:
        raise ValueError("stream id out of range")
    if len(frame.payload) >= 1 << 24:
        raise ValueError("payload too long")
    return b"".join([len(frame.payload).to_bytes(3, "big"), bytes([frame.type, frame.flags]),
                     frame.stream_id.to_bytes(4, "big"), bytes(frame.payload)])


class FrameDecoder:
    def __init__(self, max_frame_size: int = 16384) -> None:
        self.max_frame_size = max_frame_size
        self._header = b""       # the header being read, fewer than 9 bytes
        self._fields: tuple[int, int, int, int] | None = None  # length, type, flags, id
        self._parts: list[bytes] = []
        self._missing = 0        # payload bytes still to come

    def feed(self, data: bytes) -> list[Frame]:
        data = bytes(data)
        frames = []
        at = 0
        while True:
            if self._fields is None:
                take = min(9 - len(self._header), len(data) - at)
                self._header += data[at:at + take]
                at += take
                if len(self._header) < 9:
                    return frames
                head = self._header
                length = int.from_bytes(head[:3], "big")
                if length > self.max_frame_size:
                    raise FrameSizeError(f"frame of {length} bytes")
                self._fields = (length, head[3], head[4],
                                int.from_bytes(head[5:9], "big") & 0x7FFFFFFF)
                self._header = b""
                self._missing = length
            if self._missing:
                take = min(self._missing, len(data) - at)
                if take == 0:
                    return frames
                self._parts.append(data[at:at + take])
                at += take
                self._missing -= take
                if self._missing:
                    return frames
            _, kind, flags, stream_id = self._fields
            frames.append(Frame(kind, flags, stream_id, b"".join(self._parts)))
            self._fields = None
            self._parts = []
