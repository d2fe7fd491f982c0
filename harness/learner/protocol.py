"""The messages between the grader and the learner's process, and the frames they travel in.

A frame is a 4-byte big-endian length and a JSON object. Every message names its
conversation (`c`, one per thread that started it: the grader's positive, the
learner's negative) and its kind (`k`). Requests (`call`, `get`, `set`, `iter`,
`ctl`) are answered by `ok` or `err` on the same conversation (`conversations`
carries them); the values inside are plain data (`codec`). This module parses a
frame into a message once, refuses anything malformed with ProtocolError, and
imports only the standard library.
"""

from __future__ import annotations

import json
import socket
import struct

MAX_FRAME = 96 * 1024 * 1024  # a 4 MiB object crosses base64-encoded several times over
REQUESTS = frozenset({"call", "get", "set", "iter", "ctl"})
ANSWERS = frozenset({"ok", "err"})
_HEADER = struct.Struct(">I")
#: recv without waiting, where the platform has it (0: every read may block)
DONTWAIT = getattr(socket, "MSG_DONTWAIT", 0)


PROTOCOL_BROKEN = "not the protocol: "


class ProtocolError(Exception):
    """A frame or a value that does not follow the protocol."""


class PeerGone(Exception):
    """The other side closed the connection (its process ended or was killed)."""


class Deadline(Exception):
    """No answer arrived before the deadline."""


# -- framing ---------------------------------------------------------------------------------

def send_frame(sock: socket.socket, message: dict) -> None:
    data = json.dumps(message, separators=(",", ":"), allow_nan=False).encode("ascii")
    sock.sendall(_HEADER.pack(len(data)) + data)


def _check_size(size: int) -> None:
    if size > MAX_FRAME:
        raise ProtocolError(f"a message of {size:,} bytes is over the limit of {MAX_FRAME:,}")


def parse(data: bytes) -> dict:
    """One message from the bytes of its frame, or ProtocolError."""
    try:
        message = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"a message is not valid JSON: {exc}") from None
    if (type(message) is not dict or type(message.get("c")) is not int
            or type(message.get("k")) is not str):
        raise ProtocolError("a message lacks its conversation or kind")
    return message


class FrameReader:
    """Reads frames with as few system calls as it can: one recv often brings a whole
    message, or several."""

    _CHUNK = 256 * 1024

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self._chunk = memoryview(bytearray(self._CHUNK))  # read into, never allocated again

    def ready(self) -> bool:
        return len(self.buffer) >= _HEADER.size

    def next(self) -> dict | None:
        """The next whole frame already read, else None."""
        if len(self.buffer) < _HEADER.size:
            return None
        (size,) = _HEADER.unpack_from(self.buffer)
        _check_size(size)
        end = _HEADER.size + size
        if len(self.buffer) < end:
            return None
        data = bytes(self.buffer[_HEADER.size:end])
        del self.buffer[:end]
        return parse(data)

    def fill_now(self) -> bool:
        """Reads what has arrived without waiting; whether anything had."""
        try:
            count = self.sock.recv_into(self._chunk, 0, DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return False
        if not count:
            raise PeerGone("the connection closed")
        self.buffer += self._chunk[:count]
        return True

    def fill(self) -> None:
        """Reads what has arrived (at least one byte, blocking by the socket's timeout)."""
        count = self.sock.recv_into(self._chunk)
        if not count:
            raise PeerGone("the connection closed")
        self.buffer += self._chunk[:count]
