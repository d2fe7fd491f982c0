"""Examples of what the hidden tests check. Run them with: python -m pytest"""

import pytest

from http2_frames import Frame, FrameDecoder, FrameSizeError, encode_frame


@pytest.mark.encode
def test_encode_a_data_frame():
    got = encode_frame(Frame(type=0x0, flags=0x1, stream_id=1, payload=b"hello"))
    assert got == bytes.fromhex("000005 00 01 00000001") + b"hello"


@pytest.mark.encode
def test_stream_id_has_31_bits():
    with pytest.raises(ValueError):
        encode_frame(Frame(type=0x0, flags=0x0, stream_id=2**31, payload=b""))


@pytest.mark.decode
def test_decode_two_frames_at_once():
    decoder = FrameDecoder()
    stream = bytes.fromhex("000002 01 04 80000003") + b"hi" + bytes.fromhex("000000 04 01 00000000")
    # the first frame's reserved bit is set: it is ignored
    assert decoder.feed(stream) == [Frame(0x1, 0x4, 3, b"hi"), Frame(0x4, 0x1, 0, b"")]


@pytest.mark.streaming
def test_a_frame_in_pieces():
    decoder = FrameDecoder()
    stream = encode_frame(Frame(type=0x0, flags=0x0, stream_id=5, payload=b"abcdef"))
    assert decoder.feed(stream[:4]) == []
    assert decoder.feed(stream[4:12]) == []
    assert decoder.feed(stream[12:]) == [Frame(0x0, 0x0, 5, b"abcdef")]


@pytest.mark.frame_size
def test_an_oversized_frame_is_refused_at_its_header():
    decoder = FrameDecoder(max_frame_size=16384)
    with pytest.raises(FrameSizeError):
        decoder.feed(bytes.fromhex("004001 00 00 00000001"))  # 16385 bytes announced
