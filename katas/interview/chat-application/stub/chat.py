"""A chat service: rooms, members, numbered messages, history, unread counts and live
subscriptions.

Fill in every method marked TODO. The docstrings are the contract; the tests call your
service from many threads at once and read your subscriptions as a client would.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_TEXT = 2000  # characters a message may hold


@dataclass(frozen=True)
class Message:
    """One message, as `send` returns it and `history` and subscriptions give it back.

    `id` is unique among all the messages of the service (every room): an int or a str,
    which ones is yours (a counter, `uuid4().hex`, "room:seq"...). `seq` is the
    message's number in its room: 1, 2, 3, ... `ts` is what the service's clock said
    during the `send` that made it.
    """

    id: int | str
    room: str
    user: str
    text: str
    seq: int
    ts: float


class Subscription:
    """A live feed of one room's messages for one member, made by `ChatService.subscribe`.

    An iterator: `next(subscription)` returns the room's next message (a `Message`),
    waiting as long as it takes for one to be sent. It gives every message of the room sent
    after `subscribe` returned, each once, in `seq` order, with no gap, whoever sent it
    (the subscriber's own messages too), and none sent before.

    It lasts until the subscriber leaves the room: the messages sent before the `leave`
    are still given, then `next` raises StopIteration (at once, not after a wait), and
    keeps raising it; joining again does not revive it (subscribe again).

    A subscriber that never calls `next` must not slow the room down: `send` never waits
    for a subscriber (keep each subscription's undelivered messages, however many).

    `subscribe` returns an instance of this class (or of a subclass): add what you need
    (`__init__` arguments, attributes). The tests only call `next` on it, and
    `list(subscription)` once its subscriber has left.
    """

    def __init__(self) -> None:
        """An empty subscription, made by `subscribe`. Change the arguments as you need:
        the tests never make a Subscription themselves."""
        # TODO: the messages not yet given, whether it has ended, a threading.Condition
        raise NotImplementedError

    def __iter__(self) -> Subscription:
        return self

    def __next__(self) -> Message:
        """The next message of the room, waiting for one; StopIteration once the
        subscriber has left and every message sent before the leave has been given."""
        # TODO
        raise NotImplementedError


class ChatService:
    """Rooms of members who send numbered messages.

    Rooms and users are strings. A room exists from its first `join`. Every method may
    be called from many threads at once.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        """An empty service. `clock()` gives the time in seconds; `send` stamps each
        message with it (`Message.ts`)."""
        # TODO: the rooms (members, messages, next seq), read marks, subscriptions, a lock
        raise NotImplementedError

    def join(self, room: str, user: str) -> None:
        """`user` becomes a member of `room` (made if new). Joining marks every message
        already in the room as read for `user` (a newcomer has nothing unread).

        Joining a room one is already a member of changes nothing (not the read mark).
        """
        # TODO
        raise NotImplementedError

    def leave(self, room: str, user: str) -> None:
        """`user` is no longer a member of `room`: they may not send there any more, and
        each of their subscriptions to the room ends (after giving the messages sent
        before this call). Their messages stay in the history.

        Leaving a room one is not a member of: yours to decide (the tests never do).
        """
        # TODO
        raise NotImplementedError

    def send(self, room: str, user: str, text: str) -> Message:
        """Adds a message to `room` and returns it.

        Its `seq` is the room's next number: the first message of a room has seq 1, then
        2, 3, ... with no gap and no number given twice, even when many threads send at
        once. Each room counts on its own. A refused send takes no number.

        `user` not a member of `room` (or no such room) -> PermissionError. `text` empty,
        or longer than MAX_TEXT (2000) characters -> ValueError (2000 is allowed).
        """
        # TODO
        raise NotImplementedError

    def history(self, room: str, before_seq: int | None = None,
                limit: int = 50) -> list[Message]:
        """The newest `limit` messages of `room` (`limit` >= 1) with a seq below
        `before_seq` (all when None), oldest first: the page before the one you have.

        A room without messages, or unknown, gives [].
        """
        # TODO
        raise NotImplementedError

    def unread(self, room: str, user: str) -> int:
        """How many messages of `room` with a seq above `user`'s read mark were sent by
        others: one's own messages never count as unread.

        `user` not a member -> PermissionError.
        """
        # TODO
        raise NotImplementedError

    def mark_read(self, room: str, user: str, seq: int) -> None:
        """`user` has read `room` up to `seq`: the read mark becomes `seq`, unless it is
        already higher (a mark never moves back). A seq above the room's last: yours to
        decide (the tests never pass one).

        `user` not a member -> PermissionError.
        """
        # TODO
        raise NotImplementedError

    def subscribe(self, room: str, user: str) -> Subscription:
        """A `Subscription` to `room` for `user`: every message sent after this call
        returns, in seq order, until `user` leaves the room. A user may hold several;
        each gets every message.

        `user` not a member -> PermissionError.
        """
        # TODO
        raise NotImplementedError
