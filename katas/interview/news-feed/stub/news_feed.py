"""A news feed with hybrid fan-out: push the posts of most users, pull the celebrities'.

Fill in every method marked TODO. The docstrings are the contract; the tests compare your
feeds with a brute-force merge of the followees' posts over many generated histories.
"""

from __future__ import annotations


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
        # TODO: who follows whom (both ways), each user's posts, each user's inbox
        raise NotImplementedError

    def follow(self, follower: str, followee: str) -> None:
        """`follower` follows `followee` from now on; the feed of `follower` then holds
        all of `followee`'s posts, older ones included.

        Following someone already followed changes nothing (they are still one follower).
        Following oneself raises ValueError.
        """
        # TODO
        raise NotImplementedError

    def unfollow(self, follower: str, followee: str) -> None:
        """`follower` no longer follows `followee`: every post of `followee` leaves the
        feed of `follower`, also the ones already pushed into its inbox.

        Unfollowing someone not followed changes nothing.
        """
        # TODO
        raise NotImplementedError

    def post(self, user: str, text: str) -> int:
        """Publishes a post and returns its id: an int, larger than every id returned
        before by this service (which ints is yours to choose).

        Fewer than `celebrity_threshold` followers now: the post is pushed into each
        follower's inbox and `fanout_writes` grows by the number of followers. At or
        above the threshold: nothing is pushed, `fanout_writes` stays as it was.
        """
        # TODO
        raise NotImplementedError

    def feed(self, user: str, limit: int = 20, before: int | None = None) -> list[int]:
        """The ids of the posts of the users `user` follows now, newest first (largest id
        first), at most `limit` of them (`limit` >= 1); with `before`, only ids < before
        (the next page: pass the last id of the page you have).

        The user's own posts are not in it (only followees' posts are).
        """
        # TODO
        raise NotImplementedError

    @property
    def fanout_writes(self) -> int:
        """How many inbox writes `post` has made so far: each post by a user below the
        threshold adds its number of followers, a celebrity's post adds none.

        Writes that `follow`, `unfollow` or `feed` may make (copying older posts into an
        inbox on follow, say) may be counted or not: the tests only look at what each
        `post` adds. A plain int attribute set in __init__ works as well as a property.
        """
        # TODO
        raise NotImplementedError
