"""Conversations over one connection: each side's threads send requests and wait for
their answers, serving the other side's requests (callbacks) meanwhile, at any depth.

A conversation is one thread's: the thread that starts it numbers it (the grader's
positive, the learner's negative); a request the other side starts is served by a
thread of its own here. Imports only the standard library.
"""

from __future__ import annotations

import collections
import itertools
import select
import socket
import threading
import time
from typing import Any

from harness.learner.protocol import (
    ANSWERS,
    DONTWAIT,
    PROTOCOL_BROKEN,
    Deadline,
    FrameReader,
    PeerGone,
    ProtocolError,
    send_frame,
)


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
    _SPIN = 50e-6 if DONTWAIT else 0.0

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
            except OSError as exc:  # closed meanwhile: the reason it was closed says more
                raise PeerGone(self.closed or f"the connection broke: {exc}") from None

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
                    ready = bool(select.select([self.sock], [], [], timeout)[0])
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
            try:
                if message is not None:
                    self._file(message)
            except (ProtocolError, RuntimeError) as exc:  # too many conversations; no thread
                prefix = PROTOCOL_BROKEN if isinstance(exc, ProtocolError) else ""
                self.closed = self.closed or f"{prefix}{exc}"
            finally:
                # whatever happened, the others wake: one of them takes the reader role
                self._cv.notify_all()
        if self.closed:
            self.close(self.closed)

    def _file(self, message: dict) -> None:
        number = message["c"]
        box = self._inboxes.get(number)
        if message["k"] == "bye":
            # the thread serving the conversation takes the bye from its inbox and ends
            # (_serve_foreign removes the inbox): an inbox removed here would never show
            # it the bye, and it would wait for the rest of the run
            if box is not None and (number > 0) != (self.sign > 0):
                box.append(message)
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
        try:
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
        finally:
            with self._cv:
                self._inboxes.pop(number, None)
                self._foreign -= 1

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
