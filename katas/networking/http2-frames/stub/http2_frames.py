"""HTTP/2 frames: the binary framing layer of RFC 9113 §4.1.

Fill in every function marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.

Every frame on the wire is a 9-byte header followed by its payload:

    +-----------------------------------------------+
    |                 Length (24)                   |
    +---------------+---------------+---------------+
    |   Type (8)    |   Flags (8)   |
    +-+-------------+---------------+-------------------------------+
    |R|                 Stream Identifier (31)                      |
    +=+=============================================================+
    |                   Frame Payload (Length bytes)              ...
    +---------------------------------------------------------------+

All numbers are big-endian (network byte order). Length counts the payload only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Frame:
    """One HTTP/2 frame. Keep this class as it is: the tests build and compare Frames.

    `type` and `flags` are 0..255, `stream_id` is 0..2^31-1, `payload` is the raw payload
    as `bytes` (the frame layer never looks inside it, whatever the type).
    """

    type: int
    flags: int
    stream_id: int
    payload: bytes


class FrameSizeError(ValueError):
    """A frame's length exceeds the decoder's max_frame_size."""


def encode_frame(frame: Frame) -> bytes:
    """The frame's bytes on the wire: the 9-byte header, then the payload.

    The reserved bit is always sent as 0. A stream_id outside 0..2^31-1 (negative, or
    2^31 and above) or a payload longer than 2^24-1 bytes raises ValueError.
    (What a type or flags outside 0..255 does is up to you.)
    """
    # TODO: pack length, type, flags and stream id big-endian, then append the payload
    raise NotImplementedError


class FrameDecoder:
    """Turns a byte stream, fed in pieces of any size, back into frames."""

    def __init__(self, max_frame_size: int = 16384) -> None:
        """A decoder that refuses frames whose length exceeds `max_frame_size`."""
        # TODO: set up an empty buffer
        raise NotImplementedError

    def feed(self, data: bytes) -> list[Frame]:
        """Takes the next piece of the stream; returns the frames it completes, in order.

        `data` may hold part of a frame, exactly one, or many: one byte at a time works as
        well as a whole stream at once. Bytes of an incomplete frame stay buffered for the
        next call. The reserved bit of the stream id is ignored. A frame of any type, known
        to HTTP/2 or not, is returned as it is: the payload is never interpreted.

        A frame whose length exceeds max_frame_size raises FrameSizeError as soon as its
        9-byte header has arrived, without waiting for the payload. (After that error the
        connection is dead: what the decoder does if fed again is up to you.)

        The time a stream takes must grow linearly with its size, whatever the pieces: do
        not copy the whole buffer on every call or for every frame.
        """
        # TODO: buffer the data, then cut off every complete frame
        raise NotImplementedError
