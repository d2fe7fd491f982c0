"""FrameDecoder.feed on whole frames: the fields of each, as hyperframe parses them."""

import random

import pytest

import _support
from _support import fields, oracle, short, wire
from http2_frames import FrameDecoder

pytestmark = pytest.mark.decode


def expect_feed(stream, want=None, max_frame_size=None):
    decoder = FrameDecoder() if max_frame_size is None else FrameDecoder(max_frame_size)
    got = fields(decoder.feed(stream))
    want = oracle(stream) if want is None else want
    shown = stream.hex(" ") if len(stream) <= 40 else f"<{len(stream)} bytes>"
    assert got == want, f"feed({shown}) returned frames (type, flags, stream_id, payload)\n" \
                        f"  {short(got)}\nexpected\n  {short(want)}"


def test_decodes_one_frame():
    stream = wire(0x0, 0x1, 1, b"hello")
    expect_feed(stream, [(0x0, 0x1, 1, b"hello")])


def test_decodes_an_empty_payload():
    expect_feed(wire(0x4, 0x1, 0, b""), [(0x4, 0x1, 0, b"")])


def test_decodes_many_frames_in_one_feed_in_order():
    stream = wire(0x1, 0x4, 1, b"head") + wire(0x0, 0x0, 1, b"body") + wire(0x0, 0x1, 3, b"!")
    expect_feed(stream, [(0x1, 0x4, 1, b"head"), (0x0, 0x0, 1, b"body"), (0x0, 0x1, 3, b"!")])


def test_reads_fields_big_endian():
    stream = wire(0xAB, 0xCD, 0x01020304, bytes(range(7)))
    expect_feed(stream, [(0xAB, 0xCD, 0x01020304, bytes(range(7)))])


def test_length_takes_24_bits():
    payload = bytes(range(256)) * 300  # 76,800 bytes: all three length bytes matter
    stream = wire(0x0, 0x0, 5, payload) + wire(0x8, 0x0, 5, b"\x00\x00\x00\x01")
    expect_feed(stream, [(0x0, 0x0, 5, payload), (0x8, 0x0, 5, b"\x00\x00\x00\x01")],
                max_frame_size=2**24 - 1)


def test_reserved_bit_is_ignored():
    stream = wire(0x0, 0x0, 7, b"r", reserved=True) + wire(0x1, 0x0, 2**31 - 1, b"", reserved=True)
    expect_feed(stream, [(0x0, 0x0, 7, b"r"), (0x1, 0x0, 2**31 - 1, b"")])


def test_unknown_frame_types_pass_through():
    stream = wire(0x0A, 0xFF, 9, b"altsvc?") + wire(0xFA, 0x5A, 0, b"\x00\xff") + wire(0x10, 0, 4, b"")
    expect_feed(stream, [(0x0A, 0xFF, 9, b"altsvc?"), (0xFA, 0x5A, 0, b"\x00\xff"),
                         (0x10, 0, 4, b"")])


def test_payloads_are_never_interpreted():
    # a PADDED DATA frame, a SETTINGS frame of odd length, a PRIORITY frame on stream 0,
    # an unknown flag on HEADERS: the frame layer returns them all as they are
    stream = (wire(0x0, 0x8, 1, b"\x02data\x00\x00") + wire(0x4, 0x0, 0, b"\x00\x03\x00")
              + wire(0x2, 0x0, 0, b"\x00") + wire(0x1, 0x80, 3, b"\x00\x00\x00\x00\x01"))
    expect_feed(stream, [(0x0, 0x8, 1, b"\x02data\x00\x00"), (0x4, 0x0, 0, b"\x00\x03\x00"),
                         (0x2, 0x0, 0, b"\x00"), (0x1, 0x80, 3, b"\x00\x00\x00\x00\x01")])


def random_stream(seed, count):
    return _support.random_stream(random.Random(seed), count, 40, (200, 2000))


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_random_streams_match_hyperframe(seed):
    stream = random_stream(seed, 80)
    want = oracle(stream)
    assert len(want) == 80
    decoder = FrameDecoder()
    got = fields(decoder.feed(stream))
    for index, (mine, theirs) in enumerate(zip(got, want)):
        assert mine == theirs, f"seed {seed}: feed(<{len(stream)} bytes>) returned as frame " \
                               f"{index} {short([mine])[0]}, hyperframe parses " \
                               f"{short([theirs])[0]}"
    assert len(got) == len(want), f"seed {seed}: feed(<{len(stream)} bytes>) returned " \
                                  f"{len(got)} frames, expected {len(want)}"
