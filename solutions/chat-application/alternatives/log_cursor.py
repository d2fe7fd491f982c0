"""Chat service, another design: no buffer per subscriber. Each room keeps one log and one
condition; a subscription is a cursor into the room's log (the index of the next message it
gives) and, once its subscriber leaves, the log length at the leave, where it ends. Order
comes for free: a reader walks the log, which is in seq order by construction."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_TEXT = 2000


@dataclass(frozen=True)
class Message:
    id: int | str
    room: str
    user: str
    text: str
    seq: int
    ts: float


class _Room:
    def __init__(self, name: str) -> None:
        self.name = name
        self.changed = threading.Condition()
        self.log: list[Message] = []
        self.members: set[str] = set()
        self.marks: dict[str, int] = {}
        self.open: dict[str, list[Subscription]] = {}


class Subscription:
    """A cursor into one room's log."""

    def __init__(self, room: _Room) -> None:
        self._room = room
        self._cursor = len(room.log)
        self._end: int | None = None  # the log length when the subscriber left

    def __iter__(self) -> Subscription:
        return self

    def __next__(self) -> Message:
        room = self._room
        with room.changed:
            room.changed.wait_for(lambda: self._cursor < len(room.log) or self._end is not None)
            if self._end is not None and self._cursor >= self._end:
                raise StopIteration
            message = room.log[self._cursor]
            self._cursor += 1
            return message


class ChatService:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._rooms: dict[str, _Room] = {}
        self._rooms_lock = threading.Lock()
        self._ids = itertools.count(1)

    def _room(self, name: str, create: bool = False) -> _Room | None:
        with self._rooms_lock:
            room = self._rooms.get(name)
            if room is None and create:
                room = self._rooms[name] = _Room(name)
            return room

    def _member(self, name: str, user: str) -> _Room:
        room = self._room(name)
        if room is None or user not in room.members:
            raise PermissionError(f"{user} is not in {name}")
        return room

    def join(self, room: str, user: str) -> None:
        chat = self._room(room, create=True)
        assert chat is not None
        with chat.changed:
            if user not in chat.members:
                chat.members.add(user)
                chat.marks[user] = len(chat.log)

    def leave(self, room: str, user: str) -> None:
        chat = self._room(room)
        if chat is None:
            return
        with chat.changed:
            chat.members.discard(user)
            chat.marks.pop(user, None)
            for sub in chat.open.pop(user, []):
                sub._end = len(chat.log)
            chat.changed.notify_all()

    def send(self, room: str, user: str, text: str) -> Message:
        chat = self._room(room)
        if chat is None:
            raise PermissionError(f"no room {room}")
        with chat.changed:
            if user not in chat.members:
                raise PermissionError(f"{user} is not in {room}")
            if not 1 <= len(text) <= MAX_TEXT:
                raise ValueError("a message holds 1 to 2000 characters")
            message = Message(next(self._ids), room, user, text, len(chat.log) + 1, self._clock())
            chat.log.append(message)
            chat.changed.notify_all()
            return message

    def history(self, room: str, before_seq: int | None = None,
                limit: int = 50) -> list[Message]:
        chat = self._room(room)
        if chat is None:
            return []
        with chat.changed:
            below = chat.log if before_seq is None else chat.log[:max(0, before_seq - 1)]
            return below[-limit:]

    def unread(self, room: str, user: str) -> int:
        chat = self._member(room, user)
        with chat.changed:
            if user not in chat.members:
                raise PermissionError(f"{user} is not in {room}")
            return sum(1 for m in chat.log[chat.marks[user]:] if m.user != user)

    def mark_read(self, room: str, user: str, seq: int) -> None:
        chat = self._member(room, user)
        with chat.changed:
            if user not in chat.members:
                raise PermissionError(f"{user} is not in {room}")
            chat.marks[user] = max(chat.marks[user], seq)

    def subscribe(self, room: str, user: str) -> Subscription:
        chat = self._member(room, user)
        with chat.changed:
            if user not in chat.members:
                raise PermissionError(f"{user} is not in {room}")
            sub = Subscription(chat)
            chat.open.setdefault(user, []).append(sub)
            return sub
