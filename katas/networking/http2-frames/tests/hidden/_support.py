"""What the hidden tests of http2-frames share: frames built and parsed independently of
the code under test, hyperframe as the oracle (imported by name: `import _support`).

It runs in the grader like the tests: plain functions, nothing of the learner's called at
import."""

from hyperframe.exceptions import InvalidDataError
from hyperframe.frame import ExtensionFrame
from hyperframe.frame import Frame as HyperFrame


def wire(kind, flags, stream_id, payload, reserved=False):
    """One frame's bytes, built independently of the code under test."""
    field = stream_id | (1 << 31 if reserved else 0)
    return (len(payload).to_bytes(3, "big") + bytes([kind, flags])
            + field.to_bytes(4, "big") + payload)


def parse_header(raw):
    """hyperframe's header parser. It also refuses a stream id that a known type forbids
    (DATA on stream 0, PING off it), a rule above the frame layer: such a header is parsed
    as an extension frame (type byte 0xFF), whose type is then the header's own byte."""
    try:
        return HyperFrame.parse_frame_header(memoryview(raw))
    except InvalidDataError:
        parsed, length = HyperFrame.parse_frame_header(memoryview(raw[:3] + b"\xff" + raw[4:]))
        parsed.type = raw[3]
        return parsed, length


def oracle(stream):
    """(type, flags, stream_id, payload) of each complete frame of `stream`, as hyperframe
    parses it: its header parser, and for types it does not know its raw payload. For known
    types hyperframe interprets the payload (padding, settings) and keeps only the flags it
    defines, which the frame layer does not: those are read from the bytes."""
    frames, at = [], 0
    while len(stream) - at >= 9:
        parsed, length = parse_header(stream[at:at + 9])
        body = stream[at + 9:at + 9 + length]
        if len(body) < length:
            break
        flags = stream[at + 4]
        if isinstance(parsed, ExtensionFrame):
            parsed.parse_body(memoryview(body))
            flags, body = parsed.flag_byte, parsed.body
        frames.append((parsed.type, flags, parsed.stream_id, body))
        at += 9 + length
    return frames


def fields(frames):
    return [(f.type, f.flags, f.stream_id, bytes(f.payload)) for f in frames]


def short(frames):
    return [(t, fl, s, p if len(p) <= 12 else f"<{len(p)} bytes>") for t, fl, s, p in frames]


def random_stream(rng, count, small, large):
    """`count` frames of any type, flags and stream id (some with the reserved bit set),
    each payload empty, of 1 byte, of 2 to `small` bytes, or of a size in range(*large)."""
    parts = []
    for _ in range(count):
        size = rng.choice([0, 1, rng.randrange(2, small), rng.randrange(*large)])
        parts.append(wire(rng.randrange(256), rng.randrange(256),
                          rng.choice([0, 1, rng.randrange(2**31)]), rng.randbytes(size),
                          reserved=rng.random() < 0.3))
    return b"".join(parts)
