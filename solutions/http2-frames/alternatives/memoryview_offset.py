"""HTTP/2 frames with a bytearray, a read offset and compaction once half is consumed.

Its payloads and encoded frames are bytearrays: equal by value to bytes, which is what counts."""

from __future__ import annotations

from dataclasses import dataclass

_RESERVED = 1 << 31


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
    payload = bytes(frame.payload)
    if not 0 <= frame.stream_id < _RESERVED or len(payload) > 0xFFFFFF:
        raise ValueError("stream id or payload length out of range")
    out = bytearray(len(payload).to_bytes(3, "big"))
    out.append(frame.type)
    out.append(frame.flags)
    out += frame.stream_id.to_bytes(4, "big")
    out += payload
    return out  # type: ignore[return-value]


class FrameDecoder:
    def __init__(self, max_frame_size: int = 16384) -> None:
        self._limit = max_frame_size
        self._data = bytearray()
        self._read = 0

    def feed(self, data: bytes) -> list[Frame]:
        self._data.extend(data)
        frames = []
        view = memoryview(self._data)
        try:
            while len(view) - self._read >= 9:
                head = view[self._read:self._read + 9]
                length = int.from_bytes(head[:3], "big")
                if length > self._limit:
                    raise FrameSizeError(length)
                if len(view) - self._read - 9 < length:
                    break
                start = self._read + 9
                frames.append(Frame(head[3], head[4],
                                    int.from_bytes(head[5:], "big") & (_RESERVED - 1),
                                    bytearray(view[start:start + length])))
                self._read = start + length
        finally:
            head = None
            view.release()
        if self._read * 2 >= len(self._data):
            del self._data[:self._read]
            self._read = 0
        return frames
