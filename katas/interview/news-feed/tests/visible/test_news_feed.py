"""Examples of what the hidden tests check."""

import pytest
from news_feed import FeedService


@pytest.mark.feed
def test_feed_is_the_followees_posts_newest_first():
    svc = FeedService(celebrity_threshold=10)
    svc.follow("ann", "bob")
    first = svc.post("bob", "hello")
    svc.post("cy", "not followed")
    svc.post("ann", "my own post")
    second = svc.post("bob", "again")
    assert second > first
    assert svc.feed("ann") == [second, first]


@pytest.mark.feed
def test_limit_and_before_page_through_the_feed():
    svc = FeedService(celebrity_threshold=10)
    svc.follow("ann", "bob")
    ids = [svc.post("bob", f"post {n}") for n in range(5)]
    assert svc.feed("ann", limit=2) == [ids[4], ids[3]]
    assert svc.feed("ann", limit=2, before=ids[3]) == [ids[2], ids[1]]


@pytest.mark.feed
def test_following_oneself_is_refused():
    svc = FeedService(celebrity_threshold=10)
    with pytest.raises(ValueError):
        svc.follow("ann", "ann")


@pytest.mark.fanout
def test_a_post_is_pushed_to_each_follower_below_the_threshold():
    svc = FeedService(celebrity_threshold=3)
    svc.follow("ann", "bob")
    svc.follow("cy", "bob")
    svc.post("bob", "two followers: pushed to both")
    assert svc.fanout_writes == 2


@pytest.mark.fanout
def test_a_celebrity_post_is_not_pushed():
    svc = FeedService(celebrity_threshold=2)
    svc.follow("ann", "bob")
    svc.follow("cy", "bob")
    post = svc.post("bob", "two followers: a celebrity")
    assert svc.fanout_writes == 0
    assert svc.feed("ann") == [post]


@pytest.mark.consistency
def test_unfollow_removes_posts_already_pushed():
    svc = FeedService(celebrity_threshold=10)
    svc.follow("ann", "bob")
    svc.post("bob", "pushed into ann's inbox")
    svc.unfollow("ann", "bob")
    assert svc.feed("ann") == []


@pytest.mark.consistency
def test_a_late_follow_shows_older_posts():
    svc = FeedService(celebrity_threshold=10)
    old = svc.post("bob", "before ann followed")
    svc.follow("ann", "bob")
    new = svc.post("bob", "after")
    assert svc.feed("ann") == [new, old]


@pytest.mark.consistency
def test_crossing_the_threshold_keeps_each_post_once():
    svc = FeedService(celebrity_threshold=2)
    svc.follow("ann", "bob")
    pushed = svc.post("bob", "one follower: pushed")
    svc.follow("cy", "bob")
    pulled = svc.post("bob", "two followers: pulled")
    assert svc.feed("ann") == [pulled, pushed]
    assert svc.feed("cy") == [pulled, pushed]


@pytest.mark.histories
def test_a_short_history():
    svc = FeedService(celebrity_threshold=1)
    svc.follow("ann", "bob")
    a = svc.post("bob", "1")
    svc.unfollow("ann", "bob")
    b = svc.post("bob", "2")
    svc.follow("ann", "bob")
    c = svc.post("bob", "3")
    assert svc.feed("ann") == [c, b, a]
