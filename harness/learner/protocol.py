"""The messages between the grader and the learner's process, and the plain data they carry.

A frame is a 4-byte big-endian length and a JSON object. Every message names its
conversation (`c`, one per thread that started it: the grader's positive, the
learner's negative) and its kind (`k`). Requests (`call`, `get`, `set`, `iter`,
`ctl`) are answered by `ok` or `err` on the same conversation; while a thread waits
for its answer it serves the requests that arrive on its conversation, so a
callback that calls back in again works at any depth.

Values are plain data, tagged so that every type comes back exactly:

    None, bool, int, str     as themselves      float   itself, or ["f", "nan"]
    list  ["l", ...]   tuple ["t", ...]   set ["s", ...]   frozenset ["z", ...]
    dict  ["d", k1, v1, k2, v2, ...]      bytes ["b", base64]     path ["p", str]

Anything else a side holds crosses as a handle it keeps (`["H", id, info]`); a handle
sent back is `["R", id]`. What each side does with handles, dataclasses and
exceptions is its own (`Codec` subclasses); this module decodes nothing beyond the
tags above, refuses anything malformed with ProtocolError, and imports only the
standard library.
"""

from __future__ import annotations

import base64
import collections
import itertools
import json
import math
import pathlib
import select
import socket
import struct
import threading
import time
from typing import Any

MAX_FRAME = 96 * 1024 * 1024  # a 4 MiB object crosses base64-encoded several times over
MAX_DEPTH = 200
REQUESTS = frozenset({"call", "get", "set", "iter", "ctl"})
ANSWERS = frozenset({"ok", "err"})
_HEADER = struct.Struct(">I")
_DONTWAIT = getattr(socket, "MSG_DONTWAIT", 0)


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
            count = self.sock.recv_into(self._chunk, 0, _DONTWAIT)
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


# -- values ----------------------------------------------------------------------------------

class Unsupported(Exception):
    """A value that cannot cross as plain data; carries its type's name."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class Codec:
    """Encodes and decodes plain data; subclasses add handles, dataclasses and exceptions."""

    def __init__(self) -> None:
        self._exported: dict[int, Any] = {}
        self._ids: dict[int, int] = {}
        self._next = itertools.count(1)
        self._lock = threading.Lock()

    # objects this side keeps for the other side to call
    def export(self, obj: Any) -> int:
        with self._lock:
            key = self._ids.get(id(obj))
            if key is None:
                key = next(self._next)
                self._ids[id(obj)] = key
                self._exported[key] = obj
            return key

    def exported(self, key: Any) -> Any:
        if type(key) is not int or key not in self._exported:
            raise ProtocolError(f"no object with handle {key!r}")
        return self._exported[key]

    def encode(self, value: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise Unsupported("a value nested more than 200 deep")
        kind = type(value)
        if value is None or kind is bool or kind is str:
            return value
        if kind is int:
            return value if abs(value) < 1 << 1000 else ["i", format(value, "x")]
        if kind is float:
            return value if math.isfinite(value) else ["f", repr(value)]
        if kind is list or kind is tuple or kind is set or kind is frozenset:
            tag = {list: "l", tuple: "t", set: "s", frozenset: "z"}[kind]
            return [tag, *(self.encode(item, depth + 1) for item in value)]
        if kind is dict:
            flat: list = ["d"]
            for key, item in value.items():
                flat.append(self.encode(key, depth + 1))
                flat.append(self.encode(item, depth + 1))
            return flat
        if kind is bytes:
            return ["b", base64.b64encode(value).decode("ascii")]
        if kind is pathlib.PosixPath or kind is pathlib.PurePosixPath:
            return ["p", str(value)]
        return self.encode_other(value, depth)

    def encode_other(self, value: Any, depth: int) -> Any:
        raise Unsupported(type(value).__name__)

    def decode(self, data: Any, depth: int = 0) -> Any:
        kind = type(data)
        if data is None or kind is bool or kind is str or kind is int or kind is float:
            return data
        if depth > MAX_DEPTH:
            raise ProtocolError("a value is nested too deep")
        if kind is not list or not data or type(data[0]) is not str:
            raise ProtocolError(f"not a tagged value: {str(data)[:80]}")
        tag, items = data[0], data[1:]
        if tag == "l":
            return [self.decode(item, depth + 1) for item in items]
        if tag == "t":
            return tuple(self.decode(item, depth + 1) for item in items)
        if tag in ("s", "z"):
            members = [self.decode(item, depth + 1) for item in items]
            try:
                return set(members) if tag == "s" else frozenset(members)
            except TypeError:
                raise ProtocolError("a set holds a value that cannot be hashed") from None
        if tag == "d":
            if len(items) % 2:
                raise ProtocolError("a dict with an odd number of items")
            result = {}
            for index in range(0, len(items), 2):
                key = self.decode(items[index], depth + 1)
                try:
                    result[key] = self.decode(items[index + 1], depth + 1)
                except TypeError:
                    raise ProtocolError("a dict key that cannot be hashed") from None
            return result
        if tag == "b" and len(items) == 1 and type(items[0]) is str:
            try:
                return base64.b64decode(items[0], validate=True)
            except ValueError:
                raise ProtocolError("bytes that are not base64") from None
        if tag == "p" and len(items) == 1 and type(items[0]) is str:
            return pathlib.Path(items[0])
        if tag == "f" and items in (["nan"], ["inf"], ["-inf"]):
            return float(items[0])
        if tag == "i" and len(items) == 1 and type(items[0]) is str and len(items[0]) < 10_000:
            try:
                return int(items[0], 16)
            except ValueError:
                raise ProtocolError("a malformed large integer") from None
        return self.decode_other(tag, items, depth)

    def decode_other(self, tag: str, items: list, depth: int) -> Any:
        raise ProtocolError(f"unknown tag {tag!r}")

    def encode_args(self, args: tuple, kwargs: dict) -> dict:
        return {"a": [self.encode(a) for a in args],
                "w": {str(k): self.encode(v) for k, v in kwargs.items()}}

    def decode_args(self, message: dict) -> tuple[list, dict]:
        args, kwargs = message.get("a", []), message.get("w", {})
        if type(args) is not list or type(kwargs) is not dict:
            raise ProtocolError("malformed arguments")
        return ([self.decode(a) for a in args],
                {str(k): self.decode(v) for k, v in kwargs.items()})


# -- conversations ---------------------------------------------------------------------------

class Peer:
    """One end of a connection: sends requests and waits for their answers, serving the
    other side's requests meanwhile.

    No thread owns the socket: a thread waiting for a message reads the next frame itself
    when no other thread is reading, and hands frames for other conversations over. A
    call and its answer so cost two system calls and no thread switch. A background
    thread reads only while no thread waits, so a request that starts a conversation
    (a new thread on the other side) is never left unread.
    """

    #: conversations this side starts are numbered from 1 up, or from -1 down
    sign = 1
    #: most conversations the other side may start (each costs a thread here)
    max_foreign = 1024
    _FRAME_SECONDS = 30.0  # a frame once begun must arrive whole within this
    _IDLE = 0.004  # seconds without a reader before the background thread reads
    #: seconds a waiting thread polls for its answer before it sleeps in select. The other
    #: side mostly answers within microseconds; waking a sleeping process on another CPU
    #: costs tens of them (most of a round trip on a virtual machine).
    _SPIN = 50e-6 if _DONTWAIT else 0.0

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._send_lock = threading.Lock()
        self._cv = threading.Condition(threading.Lock())
        self._inboxes: dict[int, collections.deque] = {}
        self._reading = False
        self._waiting = 0
        self._last_active = 0.0  # when a thread last began or ended waiting
        self._local = threading.local()
        self._numbers = itertools.count(1)
        self.closed: str | None = None
        self._foreign = 0
        self._reader = FrameReader(sock)
        self._background = threading.Thread(target=self._read_when_idle, daemon=True,
                                            name="kata-peer")

    def start(self) -> None:
        self._background.start()

    # -- sending -----------------------------------------------------------------------------

    def send(self, message: dict) -> None:
        with self._send_lock:
            if self.closed:
                raise PeerGone(self.closed)
            try:
                send_frame(self.sock, message)
            except OSError as exc:
                raise PeerGone(f"the connection broke: {exc}") from None

    def conversation(self) -> int:
        number = getattr(self._local, "number", None)
        if number is None:
            number = self._local.number = self.sign * next(self._numbers)
            with self._cv:
                self._inboxes[number] = collections.deque()
            self._local.farewell = _Farewell(self, number)
        return number

    def request(self, message: dict, deadline: float | None = None) -> dict:
        """Sends a request on this thread's conversation; returns the answer."""
        number = self.conversation()
        message["c"] = number
        self.send(message)
        return self.wait(number, deadline)

    def wait(self, number: int, deadline: float | None) -> dict:
        while True:
            message = self._next(number, deadline)
            if message["k"] in ANSWERS:
                return message
            if message["k"] == "bye":
                raise PeerGone("the conversation ended")
            self.answer(message)

    def answer(self, message: dict) -> None:
        """Serves one request from the other side and sends the answer."""
        try:
            reply = {"k": "ok", "v": self.serve(message)}
        except PeerGone:
            raise
        except BaseException as exc:  # the other side gets it as an exception
            reply = {"k": "err", "e": self.encode_error(exc)}
        reply["c"] = message["c"]
        self.send(self.decorate(reply))

    def decorate(self, message: dict) -> dict:
        return message

    # -- receiving ---------------------------------------------------------------------------

    def _next(self, number: int, deadline: float | None) -> dict:
        """The next message of a conversation, reading the socket when nobody else is."""
        cv = self._cv
        with cv:
            self._waiting += 1
            self._last_active = time.monotonic()
        try:
            while True:
                with cv:
                    while True:
                        box = self._inboxes.get(number)
                        if box:
                            return box.popleft()
                        if self.closed:
                            raise PeerGone(self.closed)
                        remaining = None if deadline is None else deadline - time.monotonic()
                        if remaining is not None and remaining <= 0:
                            raise Deadline()
                        if not self._reading:
                            self._reading = True
                            break
                        cv.wait(remaining)
                self._read_one(remaining, spin=self._SPIN)
        finally:
            with cv:
                self._waiting -= 1
                self._last_active = time.monotonic()

    def _read_one(self, timeout: float | None, spin: float = 0.0) -> None:
        """Reads one frame (if one comes within `timeout`, polling for `spin` seconds
        first) and files it; gives up the role of reader after, waking the others."""
        reader = self._reader
        try:
            message = reader.next()
            if message is None and spin:
                end = time.perf_counter() + spin
                while not reader.fill_now() and time.perf_counter() < end:
                    pass
                message = reader.next()
            if message is None:
                if timeout is not None:
                    ready, _, _ = select.select([self.sock], [], [], timeout)
                else:
                    ready = True  # nobody waits with a deadline: block in recv itself
                if ready:
                    reader.fill()
                    message = reader.next()
                    started = time.monotonic()
                    while message is None and reader.buffer:  # a frame begun arrives whole
                        if time.monotonic() - started > self._FRAME_SECONDS:
                            raise ProtocolError("a message stopped half-way")
                        if select.select([self.sock], [], [], self._FRAME_SECONDS)[0]:
                            reader.fill()
                        message = reader.next()
            if message is not None:
                self.received(message)
        except (PeerGone, ProtocolError, OSError, ValueError) as exc:
            with self._cv:
                self._reading = False
            broken = isinstance(exc, (ProtocolError, ValueError))
            self.close((PROTOCOL_BROKEN if broken else "") + (str(exc) or type(exc).__name__))
            return
        with self._cv:
            self._reading = False
            if message is not None:
                self._file(message)
            self._cv.notify_all()

    def _file(self, message: dict) -> None:
        number = message["c"]
        box = self._inboxes.get(number)
        if message["k"] == "bye":
            if box is not None and (number > 0) != (self.sign > 0):
                box.append(message)
                self._inboxes.pop(number, None)
            return
        if box is not None:
            box.append(message)
            return
        if (number > 0) == (self.sign > 0):
            return  # a late answer for a conversation that has ended
        if self._foreign >= self.max_foreign:
            raise ProtocolError(f"more than {self.max_foreign} conversations")
        self._foreign += 1
        self._inboxes[number] = collections.deque([message])
        threading.Thread(target=self._serve_foreign, args=(number,), daemon=True,
                         name=f"kata-conversation{number}").start()

    def _read_when_idle(self) -> None:
        """Reads for nobody in particular, but only once no thread has waited for a few
        milliseconds: in a run of calls the callers read their own answers. It looks on
        a timer of its own rather than waiting on the condition, which every frame
        notifies: waking it per frame would cost each call two thread switches."""
        cv = self._cv
        while True:
            with cv:
                if self.closed:
                    return
                idle = (not self._reading and not self._waiting
                        and time.monotonic() - self._last_active >= self._IDLE)
                if idle:
                    self._reading = True
            if idle:
                self._read_one(self._IDLE)
            else:
                time.sleep(self._IDLE)

    def _serve_foreign(self, number: int) -> None:
        self._local.number = number
        while True:
            try:
                message = self._next(number, None)
            except PeerGone:
                return
            if message["k"] == "bye":
                return
            if message["k"] in ANSWERS:
                continue  # a late answer to a call that was given up on
            try:
                self.answer(message)
            except PeerGone:
                return

    def close(self, reason: str = "closed") -> None:
        with self._cv:
            if self.closed is None:
                self.closed = reason
            self._cv.notify_all()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # -- what each side does -----------------------------------------------------------------

    def received(self, message: dict) -> None:
        """Sees every message as it arrives (the grader takes the learner's output here)."""

    def serve(self, message: dict) -> Any:
        raise ProtocolError(f"this side serves no {message['k']!r}")

    def encode_error(self, exc: BaseException) -> Any:
        return ["?", type(exc).__name__, str(exc)[:500]]


class _Farewell:
    """Lives in a thread's locals: when the thread ends, tells the other side its
    conversation is over, so the thread serving it there can end too."""

    def __init__(self, peer: Peer, number: int) -> None:
        self.peer, self.number = peer, number

    def __del__(self) -> None:
        try:
            with self.peer._cv:
                self.peer._inboxes.pop(self.number, None)
            if not self.peer.closed:
                self.peer.send({"k": "bye", "c": self.number})
        except Exception:
            pass
