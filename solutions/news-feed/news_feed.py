"""A news feed with hybrid fan-out: push the posts of most users, pull the celebrities'.

The reference keeps, per user, two sorted lists of their own post ids: the ones pushed to
followers (posted with fewer than `celebrity_threshold` followers) and the ones kept for
pulling (posted as a celebrity). Each user's inbox holds (id, author) pairs, sorted by id,
of exactly the pushed posts of the users they follow now: follow copies the followee's
pushed posts in (the backfill), unfollow takes them out. A feed is then the inbox merged
with the pulled posts of every followee, each post in exactly one of the two places.
"""

from __future__ import annotations

import heapq
import itertools
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator


class FeedService:
    """Users follow users, post, and read a feed of the posts of the users they follow.

    Users are strings; a user exists as soon as a call names them (a user nobody has seen
    has no followees and an empty feed).

    Hybrid fan-out. A user with fewer than `celebrity_threshold` followers when they post
    has the post pushed into each follower's inbox at once (one inbox write per follower);
    a user with `celebrity_threshold` followers or more (a celebrity) has the post kept
    with them, and followers pull it when they read their feed.

    Whatever was pushed or pulled, `feed(user)` always equals a brute-force merge of the
    posts of the users `user` follows now: after an unfollow, that user's posts are gone
    from the feed (also those already pushed into the inbox); after a follow, the new
    followee's older posts are in it; and a user crossing the threshold either way leaves
    no post missing and none twice.
    """

    def __init__(self, celebrity_threshold: int) -> None:
        """An empty service. `celebrity_threshold` >= 1: a user with that many followers
        or more is a celebrity, whose posts are pulled at read time."""
        self._threshold = celebrity_threshold
        self._ids = itertools.count(1)
        self._followers: defaultdict[str, set[str]] = defaultdict(set)
        self._following: defaultdict[str, set[str]] = defaultdict(set)
        # Each list is sorted by id because ids only grow.
        self._pushed: defaultdict[str, list[int]] = defaultdict(list)
        self._pulled: defaultdict[str, list[int]] = defaultdict(list)
        self._inbox: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
        self._fanout_writes = 0

    def follow(self, follower: str, followee: str) -> None:
        """`follower` follows `followee` from now on; the feed of `follower` then holds
        all of `followee`'s posts, older ones included.

        Following someone already followed changes nothing (they are still one follower).
        Following oneself raises ValueError.
        """
        if follower == followee:
            raise ValueError(f"{follower!r} cannot follow themselves")
        if followee in self._following[follower]:
            return  # a second follow would push every post twice
        self._following[follower].add(followee)
        self._followers[followee].add(follower)
        # Backfill: the followee's older pushed posts never reached this inbox. Their
        # pulled posts need nothing: feed pulls them from every followee.
        backfill = [(post_id, followee) for post_id in self._pushed[followee]]
        if backfill:
            self._inbox[follower] = list(heapq.merge(self._inbox[follower], backfill))

    def unfollow(self, follower: str, followee: str) -> None:
        """`follower` no longer follows `followee`: every post of `followee` leaves the
        feed of `follower`, also the ones already pushed into its inbox.

        Unfollowing someone not followed changes nothing.
        """
        if followee not in self._following[follower]:
            return
        self._following[follower].discard(followee)
        self._followers[followee].discard(follower)
        # Eager clean-up: the inbox holds only posts of current followees, so feed can
        # trust it. (Big services do this lazily, filtering at read time.)
        self._inbox[follower] = [entry for entry in self._inbox[follower]
                                 if entry[1] != followee]

    def post(self, user: str, text: str) -> int:
        """Publishes a post and returns its id: an int, larger than every id returned
        before by this service (which ints is yours to choose).

        Fewer than `celebrity_threshold` followers now: the post is pushed into each
        follower's inbox and `fanout_writes` grows by the number of followers. At or
        above the threshold: nothing is pushed, `fanout_writes` stays as it was.
        """
        post_id = next(self._ids)
        followers = self._followers[user]
        if len(followers) < self._threshold:
            self._pushed[user].append(post_id)
            for follower in followers:
                self._inbox[follower].append((post_id, user))  # the newest: stays sorted
            self._fanout_writes += len(followers)
        else:
            self._pulled[user].append(post_id)  # a celebrity: followers pull it
        return post_id

    def feed(self, user: str, limit: int = 20, before: int | None = None) -> list[int]:
        """The ids of the posts of the users `user` follows now, newest first (largest id
        first), at most `limit` of them (`limit` >= 1); with `before`, only ids < before
        (the next page: pass the last id of the page you have).

        The user's own posts are not in it (only followees' posts are).
        """
        inbox = [post_id for post_id, _ in self._inbox[user]]
        sources = [inbox] + [self._pulled[followee] for followee in self._following[user]]
        streams = [_newest_first(ids, before) for ids in sources]
        # Every source is sorted, so a k-way merge reads only as far as the page needs.
        newest = heapq.merge(*streams, key=lambda post_id: -post_id)
        return list(itertools.islice(newest, limit))

    @property
    def fanout_writes(self) -> int:
        """How many inbox writes `post` has made so far: each post by a user below the
        threshold adds its number of followers, a celebrity's post adds none.

        Writes that `follow`, `unfollow` or `feed` may make (copying older posts into an
        inbox on follow, say) may be counted or not: the tests only look at what each
        `post` adds. A plain int attribute set in __init__ works as well as a property.
        """
        return self._fanout_writes


def _newest_first(ids: list[int], before: int | None) -> Iterator[int]:
    """The ids of a sorted list that are < before (all without it), largest first."""
    end = len(ids) if before is None else bisect_left(ids, before)
    return (ids[i] for i in range(end - 1, -1, -1))
