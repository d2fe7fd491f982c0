"""Chat service built on the standard library's queue.Queue: one unbounded Queue per
subscription (put never blocks), a sentinel put on leave and put back each time it is read
(so every later next() raises StopIteration too), a lock per room, unread counted by a scan."""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

MAX_TEXT = 2000
_ENDED = object()


@dataclass(frozen=True)
class Message:
    id: int | str
    room: str
    user: str
    text: str
    seq: int
    ts: float


class Subscription:
    def __init__(self) -> None:
        self.inbox: queue.Queue = queue.Queue()  # no maxsize: a slow reader never blocks a sender

    def __iter__(self) -> Subscription:
        return self

    def __next__(self) -> Message:
        item = self.inbox.get()
        if item is _ENDED:
            self.inbox.put(_ENDED)
            raise StopIteration
        return item


class ChatService:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.guard = threading.Lock()  # guards the dicts of rooms below
        self.locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self.members: dict[str, set[str]] = defaultdict(set)
        self.messages: dict[str, list[Message]] = defaultdict(list)
        self.read_up_to: dict[tuple[str, str], int] = {}
        self.subscribers: dict[tuple[str, str], list[Subscription]] = defaultdict(list)

    def _lock(self, room: str) -> threading.Lock:
        with self.guard:
            return self.locks[room]

    def _check(self, room: str, user: str) -> None:
        if user not in self.members.get(room, ()):
            raise PermissionError(f"{user!r} is not a member of {room!r}")

    def join(self, room: str, user: str) -> None:
        with self._lock(room):
            if user not in self.members[room]:
                self.members[room].add(user)
                self.read_up_to[room, user] = len(self.messages[room])

    def leave(self, room: str, user: str) -> None:
        with self._lock(room):
            self.members[room].discard(user)
            for sub in self.subscribers.pop((room, user), []):
                sub.inbox.put(_ENDED)

    def send(self, room: str, user: str, text: str) -> Message:
        with self._lock(room):
            self._check(room, user)
            if text == "" or len(text) > MAX_TEXT:
                raise ValueError("text must hold 1 to 2000 characters")
            log = self.messages[room]
            message = Message(uuid.uuid4().hex, room, user, text, len(log) + 1, self.clock())
            log.append(message)
            for (where, _), subs in list(self.subscribers.items()):
                if where == room:
                    for sub in subs:
                        sub.inbox.put(message)
            return message

    def history(self, room: str, before_seq: int | None = None,
                limit: int = 50) -> list[Message]:
        with self._lock(room):
            picked = [m for m in self.messages.get(room, [])
                      if before_seq is None or m.seq < before_seq]
            return picked[len(picked) - limit:] if len(picked) > limit else picked

    def unread(self, room: str, user: str) -> int:
        with self._lock(room):
            self._check(room, user)
            mark = self.read_up_to[room, user]
            return len([m for m in self.messages[room] if m.seq > mark and m.user != user])

    def mark_read(self, room: str, user: str, seq: int) -> None:
        with self._lock(room):
            self._check(room, user)
            if seq > self.read_up_to[room, user]:
                self.read_up_to[room, user] = seq

    def subscribe(self, room: str, user: str) -> Subscription:
        with self._lock(room):
            self._check(room, user)
            sub = Subscription()
            self.subscribers[room, user].append(sub)
            return sub
