"""max_frame_size: a frame longer than the limit is refused as soon as its header arrives."""

import random

import pytest

from _support import fields
from http2_frames import FrameDecoder, FrameSizeError

pytestmark = pytest.mark.frame_size


def header(length, kind=0x0, flags=0x0, stream_id=1):
    return length.to_bytes(3, "big") + bytes([kind, flags]) + stream_id.to_bytes(4, "big")


def expect_refused(decoder, pieces, story):
    """FrameSizeError from one of the calls, at the latest from the one completing the header."""
    for index, piece in enumerate(pieces):
        try:
            got = decoder.feed(piece)
        except FrameSizeError:
            return
        if index == len(pieces) - 1:
            pytest.fail(f"{story}: feed({piece.hex(' ')}) completed the header and returned "
                        f"{fields(got)}, expected FrameSizeError (without waiting for the "
                        "payload)")


def expect_accepted(max_frame_size, length):
    decoder = FrameDecoder() if max_frame_size is None else FrameDecoder(max_frame_size)
    payload = bytes([7]) * length
    made = "FrameDecoder()" if max_frame_size is None else f"FrameDecoder({max_frame_size})"
    try:
        got = fields(decoder.feed(header(length) + payload))
    except FrameSizeError:
        pytest.fail(f"{made}.feed(a frame of {length} bytes) raised FrameSizeError, expected "
                    "the frame (the limit is inclusive)")
    assert got == [(0, 0, 1, payload)], \
        f"{made}.feed(a frame of {length} bytes) returned {len(got)} frames, expected it"


def test_default_limit_is_16384():
    expect_refused(FrameDecoder(), [header(16385)], "FrameDecoder(), a header of length 16385")


def test_a_frame_of_exactly_the_default_limit_is_accepted():
    expect_accepted(None, 16384)


def test_a_frame_of_exactly_a_custom_limit_is_accepted():
    expect_accepted(20000, 20000)


def test_custom_limit_refuses_one_byte_more():
    expect_refused(FrameDecoder(20000), [header(20001)], "FrameDecoder(20000), a header of "
                                                         "length 20001")


def test_the_largest_length_is_refused_under_the_largest_limit_but_one():
    expect_refused(FrameDecoder(2**24 - 2), [header(2**24 - 1)],
                   f"FrameDecoder({2**24 - 2}), a header of length {2**24 - 1}")


def test_a_custom_limit_above_the_default_allows_larger_frames():
    expect_accepted(65535, 40000)


def test_refused_after_frames_that_were_fine():
    decoder = FrameDecoder()
    good = header(3, stream_id=5) + b"abc"
    got = fields(decoder.feed(good))
    assert got == [(0, 0, 5, b"abc")], f"feed({good.hex(' ')}) returned {got}"
    expect_refused(decoder, [header(3, stream_id=5) + b"xyz" + header(40000, stream_id=7)],
                   "a good frame then a header of length 40000 in one piece")


@pytest.mark.parametrize("seed", [31, 32, 33, 34])
def test_refused_when_the_header_arrives_in_pieces(seed):
    rng = random.Random(seed)
    raw = header(rng.randrange(16385, 2**24), kind=rng.randrange(256), flags=rng.randrange(256),
                 stream_id=rng.randrange(2**31))
    cuts = sorted(rng.sample(range(1, 9), rng.randrange(1, 5)))
    edges = [0, *cuts, 9]
    pieces = [raw[a:b] for a, b in zip(edges, edges[1:])]
    expect_refused(FrameDecoder(), pieces,
                   f"seed {seed}: the header {raw.hex(' ')} in pieces cut at {cuts}")
