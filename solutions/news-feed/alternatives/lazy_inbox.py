"""Hybrid fan-out with a lazy inbox: nothing is ever removed or copied on (un)follow.

Each follow remembers `since`, the first id that can be posted after it began. An inbox
entry (id, author) counts only while its author is followed and id >= since: entries of
an unfollowed author, or of an earlier follow of the same author, are skipped at read
time. A followee's posts older than `since` (and those posted as a celebrity) are pulled
from the author's own list. Each post is thus counted in exactly one stream.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict


class FeedService:
    """Users follow users, post, and read a feed of the posts of the users they follow."""

    def __init__(self, celebrity_threshold: int) -> None:
        """An empty service."""
        self._threshold = celebrity_threshold
        self._next_id = 1
        self._since: defaultdict[str, dict[str, int]] = defaultdict(dict)  # a -> b -> id
        self._follower_count: defaultdict[str, int] = defaultdict(int)
        self._posts: defaultdict[str, list[tuple[int, bool]]] = defaultdict(list)
        self._inbox: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
        self.fanout_writes = 0

    def follow(self, follower: str, followee: str) -> None:
        """`follower` follows `followee` from now on."""
        if follower == followee:
            raise ValueError("cannot follow oneself")
        if followee not in self._since[follower]:
            self._since[follower][followee] = self._next_id
            self._follower_count[followee] += 1

    def unfollow(self, follower: str, followee: str) -> None:
        """`follower` no longer follows `followee`."""
        if self._since[follower].pop(followee, None) is not None:
            self._follower_count[followee] -= 1

    def post(self, user: str, text: str) -> int:
        """Publishes a post and returns its id."""
        post_id = self._next_id
        self._next_id += 1
        count = self._follower_count[user]
        pushed = count < self._threshold
        if pushed:
            for follower, followees in self._since.items():
                if user in followees:
                    self._inbox[follower].append((post_id, user))
            self.fanout_writes += count
        self._posts[user].append((post_id, pushed))
        return post_id

    def feed(self, user: str, limit: int = 20, before: int | None = None) -> list[int]:
        """The ids of the followees' posts, newest first, at most limit, ids < before."""
        since = self._since[user]
        end = float("inf") if before is None else before

        def from_inbox():
            for post_id, author in reversed(self._inbox[user]):
                if post_id < end and author in since and post_id >= since[author]:
                    yield post_id

        def pulled(author, start):
            for post_id, pushed in reversed(self._posts[author]):
                if post_id < end and (post_id < start or not pushed):
                    yield post_id

        streams = [from_inbox()] + [pulled(a, s) for a, s in since.items()]
        merged = heapq.merge(*streams, key=lambda post_id: -post_id)
        return list(itertools.islice(merged, limit))
