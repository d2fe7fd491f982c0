"""Generated histories of follows, unfollows and posts: after every round each user's feed
(whole, and a page) equals the brute-force merge, and fanout_writes grew as it must."""

import pytest
from _support import history

pytestmark = pytest.mark.histories

SEEDS = 8


@pytest.mark.parametrize("threshold", [1, 2, 3, 4])
def test_feeds_match_the_brute_force_merge(threshold):
    for seed in range(threshold * 1000, threshold * 1000 + SEEDS):
        history(threshold, seed)
