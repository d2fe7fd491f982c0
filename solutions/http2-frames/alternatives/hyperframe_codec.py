"""HTTP/2 frames on top of hyperframe: its serializer and its header parser."""

from __future__ import annotations

from dataclasses import dataclass

from hyperframe.frame import ExtensionFrame
from hyperframe.frame import Frame as _HyperFrame


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
    # hyperframe masks the stream id to 31 bits and wraps a long length: check first
    if not 0 <= frame.stream_id <= 0x7FFFFFFF:
        raise ValueError(f"stream id {frame.stream_id} out of range")
    if len(frame.payload) > 0xFFFFFF:
        raise ValueError("payload longer than 2^24-1")
    raw = ExtensionFrame(type=frame.type, stream_id=frame.stream_id, flag_byte=frame.flags,
                         body=bytes(frame.payload))
    raw.body_len = len(frame.payload)
    return raw.serialize()


class FrameDecoder:
    def __init__(self, max_frame_size: int = 16384) -> None:
        self.max_frame_size = max_frame_size
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Frame]:
        self._buffer += data
        frames = []
        at = 0
        with memoryview(self._buffer) as view:
            while len(view) - at >= 9:
                # hyperframe's classes for known types check each type's rules (DATA not on
                # stream 0) and keep only the flags they define: the frame layer does
                # neither, so every header is parsed as an extension frame's (type 0xFF)
                header = view[at:at + 9].tobytes()
                parsed, length = _HyperFrame.parse_frame_header(
                    memoryview(header[:3] + b"\xff" + header[4:]))
                assert isinstance(parsed, ExtensionFrame)
                if length > self.max_frame_size:
                    raise FrameSizeError(f"{length} > {self.max_frame_size}")
                if len(view) - at - 9 < length:
                    break
                frames.append(Frame(header[3], parsed.flag_byte, parsed.stream_id,
                                    view[at + 9:at + 9 + length].tobytes()))
                at += 9 + length
        del self._buffer[:at]
        return frames
