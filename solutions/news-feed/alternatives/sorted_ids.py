"""Hybrid fan-out with each inbox a sorted list of bare ids, kept with bisect.

Follow inserts the followee's pushed ids (bisect.insort), unfollow deletes them (found by
bisection): the inbox is always exactly the pushed posts of current followees, without
authors. A feed page takes the newest `limit` inbox ids below `before`, the newest
`limit` pulled ids of each followee, and sorts those candidates.
"""

from __future__ import annotations

import bisect


class FeedService:
    """Users follow users, post, and read a feed of the posts of the users they follow."""

    def __init__(self, celebrity_threshold: int) -> None:
        """An empty service."""
        self.celebrity_threshold = celebrity_threshold
        self.last_id = 100  # any increasing ints will do
        self.followers: dict[str, set[str]] = {}
        self.following: dict[str, set[str]] = {}
        self.pushed: dict[str, list[int]] = {}
        self.pulled: dict[str, list[int]] = {}
        self.inbox: dict[str, list[int]] = {}
        self._writes = 0

    @property
    def fanout_writes(self) -> int:
        """Inbox writes made by post."""
        return self._writes

    def follow(self, follower: str, followee: str) -> None:
        """`follower` follows `followee` from now on."""
        if follower == followee:
            raise ValueError("cannot follow oneself")
        followees = self.following.setdefault(follower, set())
        if followee in followees:
            return
        followees.add(followee)
        self.followers.setdefault(followee, set()).add(follower)
        inbox = self.inbox.setdefault(follower, [])
        for post_id in self.pushed.get(followee, []):
            bisect.insort(inbox, post_id)

    def unfollow(self, follower: str, followee: str) -> None:
        """`follower` no longer follows `followee`."""
        if followee not in self.following.get(follower, set()):
            return
        self.following[follower].remove(followee)
        self.followers[followee].remove(follower)
        inbox = self.inbox[follower]
        for post_id in self.pushed.get(followee, []):
            del inbox[bisect.bisect_left(inbox, post_id)]

    def post(self, user: str, text: str) -> int:
        """Publishes a post and returns its id."""
        self.last_id += 7
        followers = self.followers.get(user, set())
        if len(followers) >= self.celebrity_threshold:
            self.pulled.setdefault(user, []).append(self.last_id)
        else:
            self.pushed.setdefault(user, []).append(self.last_id)
            for follower in followers:
                self.inbox.setdefault(follower, []).append(self.last_id)
                self._writes += 1
        return self.last_id

    def feed(self, user: str, limit: int = 20, before: int | None = None) -> list[int]:
        """The ids of the followees' posts, newest first, at most limit, ids < before."""
        def newest(ids: list[int]) -> list[int]:
            end = len(ids) if before is None else bisect.bisect_left(ids, before)
            return ids[max(0, end - limit):end]

        candidates = newest(self.inbox.get(user, []))
        for followee in self.following.get(user, set()):
            candidates += newest(self.pulled.get(followee, []))
        return sorted(candidates, reverse=True)[:limit]
