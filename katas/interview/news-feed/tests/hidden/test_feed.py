"""Follow, post, read: the feed is the followees' posts, newest first, paged by limit and
before."""

import pytest
from _support import Session
from news_feed import FeedService

pytestmark = pytest.mark.feed


@pytest.mark.parametrize("threshold", [1, 100])
def test_feed_shows_the_followees_posts_newest_first(threshold):
    s = Session(threshold)
    s.follows("follow", [("ann", "bob"), ("ann", "cy")])
    s.posts(["bob", "cy", "bob", "dee"])
    s.feed("ann")


def test_a_user_nobody_has_seen_has_an_empty_feed():
    svc = FeedService(3)
    got = svc.feed("nobody")
    assert list(got) == [], f"FeedService(3).feed('nobody') returned {got!r}, expected []"


@pytest.mark.parametrize("threshold", [1, 100])
def test_own_posts_are_not_in_the_feed(threshold):
    s = Session(threshold)
    s.follows("follow", [("ann", "bob"), ("bob", "ann")])
    s.posts(["ann", "bob", "ann"])
    s.feeds([("ann", 20, None), ("bob", 20, None)])


def test_post_ids_increase_across_the_service():
    s = Session(2)
    s.follows("follow", [("ann", "bob")])
    for author in ["bob", "cy", "bob", "ann", "cy", "dee"]:
        s.post(author)  # each id is checked against the one before


def test_limit_cuts_the_feed_to_the_newest():
    s = Session(100)
    s.follows("follow", [("ann", "bob")])
    s.posts(["bob"] * 6)
    s.feeds([("ann", limit, None) for limit in (1, 2, 5, 6, 7)])


def test_the_default_limit_is_20():
    s = Session(100)
    s.follows("follow", [("ann", "bob")])
    s.posts(["bob"] * 23)
    got = s.service.feed("ann")
    expected = s.model.feed("ann")
    assert list(got) == expected, (f"{s.where()}svc.feed('ann') returned {got!r}, expected "
                                   f"{expected!r} (the newest 20: limit defaults to 20)")


@pytest.mark.parametrize("threshold", [1, 100])
def test_before_keeps_only_older_posts(threshold):
    s = Session(threshold)
    s.follows("follow", [("ann", "bob"), ("ann", "cy")])
    ids = s.posts(["bob", "cy", "bob", "cy", "bob"])
    s.feeds([("ann", 20, post_id) for post_id in ids] + [("ann", 2, ids[3])])


def test_pages_chained_by_before_list_every_post_once():
    s = Session(2)
    s.follows("follow", [("ann", "bob"), ("ann", "cy"), ("dee", "cy"), ("eve", "cy")])
    s.posts(["bob", "cy", "cy", "bob", "dee", "cy", "bob"])
    seen, before = [], None
    for _ in range(10):
        page = s.service.feed("ann", 2, before)
        s.lines.append(f"svc.feed('ann', 2, {before!r})  # -> {page!r}")
        if not page:
            break
        seen += list(page)
        before = page[-1]
    expected = s.model.feed("ann", 100)
    assert seen == expected, (f"{s.where()}pages of 2 chained by before= gave {seen!r}, "
                              f"expected {expected!r}")


def test_following_oneself_raises_value_error():
    svc = FeedService(3)
    with pytest.raises(ValueError):
        svc.follow("ann", "ann")


def test_following_twice_lists_each_post_once():
    s = Session(100)
    s.follows("follow", [("ann", "bob"), ("ann", "bob")])
    s.posts(["bob", "bob"])
    s.follows("follow", [("ann", "bob")])
    s.posts(["bob"])
    s.feed("ann")


def test_unfollowing_someone_not_followed_changes_nothing():
    s = Session(100)
    s.follows("follow", [("ann", "bob")])
    s.follows("unfollow", [("ann", "cy"), ("bob", "ann")])
    s.posts(["bob", "cy", "ann"])
    s.feeds([("ann", 20, None), ("bob", 20, None)])
