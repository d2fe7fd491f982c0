"""FrameDecoder.feed on a stream cut into pieces: buffering, and time linear in the bytes."""

import random

import pytest

import _support
from _support import fields, oracle, short, wire
from harness.testing import call_each, time_calls
from http2_frames import FrameDecoder

pytestmark = pytest.mark.streaming


def feed_pieces(pieces, max_frame_size=16384):
    """What each call of feed returned, the pieces fed one by one to a new decoder."""
    decoder = FrameDecoder(max_frame_size)
    return [fields(frames) for frames in call_each(decoder, "feed", [(p,) for p in pieces])]


def cut(stream, cuts):
    edges = [0, *sorted(cuts), len(stream)]
    return [stream[a:b] for a, b in zip(edges, edges[1:])]


def expect_pieces(stream, pieces, story):
    """Every frame comes back once, in order, from the call that completed it."""
    results = feed_pieces(pieces)
    got = [frame for frames in results for frame in frames]
    want = oracle(stream)
    assert got == want, f"{story}: the calls of feed returned\n  {short(got)}\nexpected\n" \
                        f"  {short(want)}"
    ends, at = [], 0
    for piece in pieces:
        at += len(piece)
        ends.append(at)
    stop, completed = 0, []
    for _, _, _, payload in want:
        stop += 9 + len(payload)
        completed.append(next(i for i, end in enumerate(ends) if end >= stop))
    returned = [i for i, frames in enumerate(results) for _ in frames]
    assert returned == completed, f"{story}: frames came back from calls {returned} of feed, " \
                                  f"expected {completed}: each frame from the call that " \
                                  "delivers its last byte"


def two_frames():
    return wire(0x1, 0x4, 1, b"abc", reserved=True) + wire(0xF3, 0x81, 2**31 - 2, b"\x00\x01")


def test_a_partial_frame_stays_buffered_until_complete():
    decoder = FrameDecoder()
    stream = wire(0x0, 0x1, 5, b"payload")
    first = fields(decoder.feed(stream[:12]))
    assert first == [], f"feed({stream[:12].hex(' ')}) (a header and 3 of 7 payload " \
                        f"bytes) returned {first}, expected []"
    rest = fields(decoder.feed(stream[12:]))
    assert rest == [(0x0, 0x1, 5, b"payload")], \
        f"then feed({stream[12:].hex(' ')}) returned {short(rest)}, expected the frame"


def test_an_empty_feed_returns_nothing():
    decoder = FrameDecoder()
    got = fields(decoder.feed(b""))
    assert got == [], f"feed(b'') returned {got}, expected []"


def test_one_byte_at_a_time():
    stream = two_frames() + wire(0x0, 0x0, 3, b"") + wire(0x0, 0x1, 3, b"xyz")
    expect_pieces(stream, [bytes([b]) for b in stream], "the stream fed one byte at a time")


def test_every_single_cut_of_two_frames():
    stream = two_frames()
    for at in range(len(stream) + 1):
        expect_pieces(stream, cut(stream, [at]), f"the stream cut at byte {at}")


def test_every_pair_of_cuts_inside_a_header():
    stream = wire(0x0, 0x0, 1, b"a") + wire(0x9, 0x4, 0x01020304, b"tail")
    for first in range(10, 19):
        for second in range(first, 20):
            expect_pieces(stream, cut(stream, [first, second]),
                          f"the stream cut at bytes {first} and {second}")


def random_stream(rng, count):
    return _support.random_stream(rng, count, 30, (100, 3000))


@pytest.mark.parametrize("seed", [21, 22, 23, 24, 25, 26])
def test_random_cuts(seed):
    rng = random.Random(seed)
    stream = random_stream(rng, 40)
    pieces = cut(stream, [rng.randrange(len(stream) + 1) for _ in range(rng.choice([5, 30, 200]))])
    expect_pieces(stream, pieces, f"seed {seed}: a stream of 40 frames in {len(pieces)} pieces")


def best_time(make, pieces, repeat=2):
    return min(time_calls(make(), "feed", [(p,) for p in pieces]) for _ in range(repeat))


def linear(make, baseline_pieces, pieces):
    """(the baseline's best time, the timing's, whether it is within 5 times the baseline
    and 50 ms): the pieces are timed again only when the first timing is over."""
    baseline = best_time(make, baseline_pieces)
    bound = 5 * baseline + 0.05
    took = best_time(make, pieces, repeat=1)
    if took >= bound:
        took = min(took, best_time(make, pieces, repeat=1))
    return baseline, took, took < bound


# Both speed checks compare two ways of feeding the same bytes, in CPU time in your process:
# linear code takes about as long either way, quadratic code 15 to 100 times longer. The
# 50 ms of slack absorbs a busy machine's cache and memory contention.

def test_a_large_frame_in_small_pieces_takes_linear_time():
    # the same 8 MiB in the same 16,384 calls: 16,384 frames of 512 bytes, one per piece,
    # then a frame of 8 MiB (all but its last byte) in pieces of 512 bytes, which a buffer
    # copied on every call makes quadratic (64 GiB copied)
    size = 8 << 20
    small = wire(0x0, 0x0, 1, bytes(512 - 9)) * 16384
    large = wire(0x0, 0x0, 1, bytes(size - 9))[:-1]
    small_pieces = [small[i:i + 512] for i in range(0, len(small), 512)]
    large_pieces = [large[i:i + 512] for i in range(0, len(large), 512)]

    def made():
        return FrameDecoder(size)

    baseline, took, ok = linear(made, small_pieces, large_pieces)
    assert ok, \
        f"feeding an 8 MiB frame in pieces of 512 bytes took {took * 1000:.1f} ms, feeding " \
        f"16,384 frames of 512 bytes in the same pieces {baseline * 1000:.1f} ms: the time " \
        "grows with the square of the bytes buffered (is the whole buffer copied on every call?)"


def test_many_frames_in_one_piece_take_linear_time():
    # 32,768 frames of 256 bytes: in one piece of 8 MiB, or in 2,048 pieces of 4 KiB; cutting
    # each frame off the front of the buffer copies the rest of the buffer for every frame
    # (128 GiB for the one piece)
    stream = wire(0x0, 0x0, 1, bytes(256 - 9)) * 32768
    pieces = [stream[i:i + 4096] for i in range(0, len(stream), 4096)]
    baseline, took, ok = linear(FrameDecoder, pieces, [stream])
    assert ok, \
        f"feeding 32,768 frames in one 8 MiB piece took {took * 1000:.1f} ms, in 4 KiB " \
        f"pieces {baseline * 1000:.1f} ms: the time grows with the square of the bytes " \
        "buffered (is the rest of the buffer copied for every frame?)"
