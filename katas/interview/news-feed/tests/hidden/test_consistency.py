"""The feed stays the brute-force merge: after unfollow, after a late follow, and when an
author crosses the celebrity threshold either way."""

import pytest
from _support import Session

pytestmark = pytest.mark.consistency


@pytest.mark.parametrize("threshold", [1, 100])
def test_unfollow_takes_the_followees_posts_out(threshold):
    s = Session(threshold)
    s.follows("follow", [("ann", "bob"), ("ann", "cy")])
    s.posts(["bob", "cy", "bob"])
    s.feed("ann")
    s.follows("unfollow", [("ann", "bob")])
    s.feed("ann")


@pytest.mark.parametrize("threshold", [1, 100])
def test_a_late_follow_shows_the_older_posts(threshold):
    s = Session(threshold)
    s.posts(["bob", "bob", "cy"])
    s.follows("follow", [("ann", "bob")])
    s.posts(["bob"])
    s.feeds([("ann", 20, None), ("ann", 2, None)])


@pytest.mark.parametrize("threshold", [1, 100])
def test_follow_again_after_unfollow_shows_each_post_once(threshold):
    s = Session(threshold)
    s.follows("follow", [("ann", "bob")])
    s.posts(["bob", "bob"])
    s.follows("unfollow", [("ann", "bob")])
    s.posts(["bob"])
    s.follows("follow", [("ann", "bob")])
    s.posts(["bob"])
    s.feed("ann")


def test_posts_pushed_before_becoming_a_celebrity_stay_once():
    s = Session(2)
    s.follows("follow", [("ann", "bob")])
    s.posts(["bob", "bob"])  # 1 follower: pushed
    s.follows("follow", [("cy", "bob")])
    s.posts(["bob", "bob"])  # 2 followers: a celebrity, pulled
    s.feeds([("ann", 20, None), ("cy", 20, None), ("ann", 3, None)])


def test_posts_pulled_while_a_celebrity_stay_after_dropping_below():
    s = Session(2)
    s.follows("follow", [("ann", "bob"), ("cy", "bob")])
    s.posts(["bob", "bob"])  # a celebrity: pulled
    s.follows("unfollow", [("cy", "bob")])
    s.posts(["bob"])  # 1 follower: pushed
    s.feeds([("ann", 20, None), ("cy", 20, None)])


def test_crossing_back_and_forth_pages_without_gaps_or_repeats():
    s = Session(2)
    s.follows("follow", [("ann", "bob")])
    ids = s.posts(["bob", "cy"])
    s.follows("follow", [("dee", "bob"), ("ann", "cy")])
    ids += s.posts(["bob", "cy", "bob"])
    s.follows("unfollow", [("dee", "bob")])
    ids += s.posts(["bob", "cy"])
    s.feeds([("ann", 20, None)] + [("ann", 2, post_id) for post_id in ids])
