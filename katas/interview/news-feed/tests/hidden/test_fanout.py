"""Fan-out on write below the threshold, none for celebrities: what each post adds to
fanout_writes."""

import random

import pytest
from _support import USERS, Session
from news_feed import FeedService

pytestmark = pytest.mark.fanout


def test_fanout_writes_starts_at_zero():
    svc = FeedService(5)
    got = svc.fanout_writes
    assert got == 0, f"FeedService(5).fanout_writes is {got!r} before any call, expected 0"
    svc.follow("ann", "bob")  # nothing posted yet: nothing to copy into an inbox
    svc.post("bob", "hello")
    got = svc.fanout_writes
    assert got == 1, (f"svc = FeedService(5); svc.follow('ann', 'bob'); svc.post('bob', "
                      f"'hello'): fanout_writes is {got!r}, expected 1 (one follower)")


def test_a_post_adds_one_write_per_follower():
    s = Session(10)
    s.post("bob")  # no followers: adds 0
    s.follows("follow", [("ann", "bob"), ("cy", "bob"), ("dee", "bob")])
    s.post("bob")  # 3 followers: adds 3
    s.post("ann")  # 0 followers: adds 0


def test_a_celebrity_post_adds_no_writes():
    s = Session(2)
    s.follows("follow", [("ann", "bob"), ("cy", "bob"), ("dee", "bob")])
    s.post("bob")


def test_the_threshold_itself_makes_a_celebrity():
    s = Session(3)
    s.follows("follow", [("ann", "bob"), ("cy", "bob")])
    s.post("bob")  # 2 < 3 followers: adds 2
    s.follows("follow", [("dee", "bob")])
    s.post("bob")  # 3 followers: a celebrity, adds 0


def test_a_second_follow_is_not_a_second_follower():
    s = Session(2)
    s.follows("follow", [("ann", "bob"), ("ann", "bob")])
    s.post("bob")  # one follower, below 2: adds 1


def test_an_unfollowed_user_gets_no_more_writes():
    s = Session(10)
    s.follows("follow", [("ann", "bob"), ("cy", "bob")])
    s.post("bob")
    s.follows("unfollow", [("ann", "bob")])
    s.post("bob")  # adds 1
    s.follows("unfollow", [("cy", "bob")])
    s.post("bob")  # adds 0


def test_dropping_below_the_threshold_pushes_again():
    s = Session(2)
    s.follows("follow", [("ann", "bob"), ("cy", "bob")])
    s.post("bob")  # a celebrity: adds 0
    s.follows("unfollow", [("cy", "bob")])
    s.post("bob")  # 1 follower: adds 1


@pytest.mark.parametrize("threshold", [1, 2, 3, 4])
def test_each_post_adds_its_authors_followers_below_the_threshold(threshold):
    for seed in range(threshold * 100, threshold * 100 + 3):
        rng = random.Random(seed)
        s = Session(threshold, seed)
        for _ in range(10):
            pairs = [tuple(rng.sample(USERS, 2)) for _ in range(rng.randint(1, 3))]
            s.follows("follow" if rng.random() < 0.7 else "unfollow", pairs)
            for _ in range(2):
                s.post(rng.choice(USERS))  # fanout_writes read before and after each
