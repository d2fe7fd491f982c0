"""encode_frame: the 9-byte header of RFC 9113 §4.1, checked against hyperframe."""

import hashlib
import random

import pytest
from hyperframe.exceptions import InvalidDataError
from hyperframe.frame import ExtensionFrame
from hyperframe.frame import Frame as HyperFrame

from harness.testing import in_learner
from http2_frames import Frame, encode_frame

pytestmark = pytest.mark.encode


def wire(kind, flags, stream_id, payload):
    """The expected bytes, built independently of the code under test."""
    return (len(payload).to_bytes(3, "big") + bytes([kind, flags])
            + stream_id.to_bytes(4, "big") + payload)


def encoded(frame):
    got = encode_frame(frame)
    return bytes(got)


def show(frame):
    payload = frame.payload if len(frame.payload) <= 16 else f"<{len(frame.payload)} bytes>"
    return f"encode_frame(Frame(type={frame.type}, flags={frame.flags}, " \
           f"stream_id={frame.stream_id}, payload={payload!r}))"


def hyperframe_fields(data):
    """(type, flags, stream_id, payload) of `data` as hyperframe parses it."""
    try:
        parsed, length = HyperFrame.parse_frame_header(memoryview(data[:9]))
    except InvalidDataError:
        # hyperframe also refuses a stream id that a known type forbids (DATA on stream 0),
        # a rule above the frame layer: parse it as an extension frame, keep the type byte
        parsed, length = HyperFrame.parse_frame_header(memoryview(data[:3] + b"\xff" + data[4:]))
        parsed.type = data[3]
    body = data[9:]
    assert length == len(body), f"hyperframe reads a length of {length} in the header, " \
                                f"but {len(body)} payload bytes follow it: {data[:9].hex(' ')}"
    if isinstance(parsed, ExtensionFrame):  # unknown types: hyperframe keeps everything raw
        parsed.parse_body(memoryview(body))
        return parsed.type, parsed.flag_byte, parsed.stream_id, parsed.body
    # known types: hyperframe keeps only the flags it defines and interprets the payload
    # (padding, settings), so the raw flags byte and payload are read from the bytes
    defined = sum(bit for _, bit in parsed.defined_flags)
    bits = sum(bit for name, bit in parsed.defined_flags if name in parsed.flags)
    assert bits == data[4] & defined, f"hyperframe reads flags {sorted(parsed.flags)}"
    return parsed.type, data[4], parsed.stream_id, body


def test_encodes_header_then_payload():
    frame = Frame(type=0x0, flags=0x1, stream_id=1, payload=b"hello")
    want = bytes.fromhex("000005 00 01 00000001") + b"hello"
    got = encoded(frame)
    assert got == want, f"{show(frame)} returned {got.hex(' ')}, expected {want.hex(' ')}"


def test_empty_payload_is_a_bare_header():
    frame = Frame(type=0x4, flags=0x1, stream_id=0, payload=b"")
    want = bytes.fromhex("000000 04 01 00000000")
    got = encoded(frame)
    assert got == want, f"{show(frame)} returned {got.hex(' ')}, expected {want.hex(' ')}"


def test_fields_are_big_endian():
    frame = Frame(type=0xAB, flags=0xCD, stream_id=0x01020304, payload=bytes(0x0102))
    got = encoded(frame)
    want = bytes.fromhex("000102 ab cd 01020304")
    assert got[:9] == want, f"{show(frame)} began with {got[:9].hex(' ')}, expected " \
                            f"{want.hex(' ')} (length, type, flags, stream id, most " \
                            "significant byte first)"


def test_length_takes_24_bits():
    frame = Frame(type=0x0, flags=0x0, stream_id=3, payload=bytes(0x012345))
    got = encoded(frame)
    assert got[:3] == bytes.fromhex("012345"), \
        f"{show(frame)} began with length bytes {got[:3].hex(' ')}, expected 01 23 45"
    assert len(got) == 9 + 0x012345, f"{show(frame)} returned {len(got)} bytes, " \
                                     f"expected 9 + {0x012345}"


def test_largest_stream_id_leaves_the_reserved_bit_zero():
    frame = Frame(type=0x1, flags=0x4, stream_id=2**31 - 1, payload=b"")
    got = encoded(frame)
    assert got[5:9] == bytes.fromhex("7fffffff"), \
        f"{show(frame)} sent stream id bytes {got[5:9].hex(' ')}, expected 7f ff ff ff"


@pytest.mark.parametrize("stream_id", [2**31, 2**31 + 5, 2**32 - 1, 2**32, 2**40])
def test_stream_id_of_2_to_the_31_or_more_raises_value_error(stream_id):
    frame = Frame(type=0x0, flags=0x0, stream_id=stream_id, payload=b"x")
    with pytest.raises(ValueError):
        got = encode_frame(frame)
        pytest.fail(f"{show(frame)} returned {bytes(got).hex(' ')}, expected ValueError "
                    "(stream ids have 31 bits; the top bit is reserved)")


@pytest.mark.parametrize("stream_id", [-1, -(2**31)])
def test_negative_stream_id_raises_value_error(stream_id):
    frame = Frame(type=0x0, flags=0x0, stream_id=stream_id, payload=b"x")
    with pytest.raises(ValueError):
        got = encode_frame(frame)
        pytest.fail(f"{show(frame)} returned {bytes(got).hex(' ')}, expected ValueError")


def encode_large(kind, flags, stream_id, size, fill):
    """encode_frame of a frame whose payload is `size` bytes of `fill`, made in your code's
    process (16 MiB would take seconds to cross): the result's length, head and sha256."""
    frame = Frame(type=kind, flags=flags, stream_id=stream_id, payload=b"")
    return in_learner("call_with_large_bytes", "http2_frames", "encode_frame", frame,
                      "payload", size, fill)


def test_payload_of_2_to_the_24_minus_1_bytes_is_accepted():
    size = 2**24 - 1
    story = f"encode_frame(Frame(type=0, flags=0, stream_id=1, payload=<{size} bytes>))"
    got = encode_large(0x0, 0x0, 1, size, 7)
    want = bytes.fromhex("ffffff 00 00 00000001")
    assert got["head"][:9] == want, f"{story} began with {got['head'][:9].hex(' ')}, " \
                                    f"expected {want.hex(' ')}"
    whole = hashlib.sha256(want + b"\x07" * size).hexdigest()
    assert got["length"] == 9 + size and got["sha256"] == whole, \
        f"{story} returned {got['length']} bytes, expected the header and the payload " \
        f"({9 + size} bytes)"


def test_payload_of_2_to_the_24_bytes_raises_value_error():
    story = f"encode_frame(Frame(type=0, flags=0, stream_id=1, payload=<{2**24} bytes>))"
    with pytest.raises(ValueError):
        got = encode_large(0x0, 0x0, 1, 2**24, 0)
        pytest.fail(f"{story} returned {got['length']} bytes, expected ValueError (the "
                    "length field has 24 bits)")


def random_frames(seed, count):
    rng = random.Random(seed)
    frames = []
    for _ in range(count):
        size = rng.choice([0, 1, rng.randrange(2, 64), rng.randrange(256, 1200)])
        frames.append(Frame(type=rng.randrange(256), flags=rng.randrange(256),
                            stream_id=rng.choice([0, 1, rng.randrange(2**31)]),
                            payload=rng.randbytes(size)))
    return frames


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hyperframe_parses_every_encoded_frame_back(seed):
    for frame in random_frames(seed, 60):
        got = encoded(frame)
        want = wire(frame.type, frame.flags, frame.stream_id, frame.payload)
        assert got == want, f"{show(frame)} returned {got[:9].hex(' ')} ... " \
                            f"({len(got)} bytes), expected {want[:9].hex(' ')} ... " \
                            f"({len(want)} bytes) (seed {seed})"
        fields = hyperframe_fields(got)
        assert fields == (frame.type, frame.flags, frame.stream_id, frame.payload), \
            f"hyperframe parsed the bytes of {show(frame)} as {fields[:3]} (seed {seed})"
