"""What the hidden tests of news-feed share: a brute-force model of the contract, a record
of the calls made (shown when a check fails), and generated histories run against both."""

import random
from collections import defaultdict

from news_feed import FeedService

from harness.testing import call_each

USERS = ["ann", "bob", "cy", "dee", "eve"]


class Model:
    """The contract by brute force: the feed is every post of a current followee, newest
    first. Post ids are the service's own (which ints it hands out is free)."""

    def __init__(self, threshold):
        self.threshold = threshold
        self.following = defaultdict(set)
        self.posts = []  # (id the service returned, author), in the order posted

    def follow(self, a, b):
        self.following[a].add(b)

    def unfollow(self, a, b):
        self.following[a].discard(b)

    def followers(self, user):
        return sum(user in followees for followees in self.following.values())

    def writes(self, author):
        """What post(author, ...) must add to fanout_writes now."""
        count = self.followers(author)
        return count if count < self.threshold else 0

    def post(self, author, post_id):
        self.posts.append((post_id, author))

    def feed(self, user, limit=20, before=None):
        ids = [post_id for post_id, author in reversed(self.posts)
               if author in self.following[user] and (before is None or post_id < before)]
        return ids[:limit]


class Session:
    """A FeedService and its model side by side, with the calls made so far as code."""

    def __init__(self, threshold, seed=None):
        self.seed = seed
        self.service = FeedService(threshold)
        self.model = Model(threshold)
        self.lines = [f"svc = FeedService({threshold})"]
        self.last_id = None
        self.writes = None  # fanout_writes as last read, while no other call may change it

    def where(self):
        """The seed and the calls so far, for a failure message."""
        shown = self.lines if len(self.lines) <= 60 else (
            self.lines[:1] + [f"... {len(self.lines) - 50} calls ..."] + self.lines[-49:])
        seed = "" if self.seed is None else f"seed {self.seed}: "
        return seed + "after\n    " + "\n    ".join(shown) + "\n"

    def follows(self, method, pairs):
        """Calls follow or unfollow on each (a, b) pair, in one message."""
        call_each(self.service, method, pairs)
        self.writes = None  # follow and unfollow may count writes of their own (free)
        for a, b in pairs:
            getattr(self.model, method)(a, b)
            self.lines.append(f"svc.{method}({a!r}, {b!r})")

    def posts(self, authors):
        """Posts once per author, in one message; checks the ids and what fanout_writes
        grew by (the sum of what each post must add), and returns the ids."""
        before = self.service.fanout_writes if self.writes is None else self.writes
        expected = 0
        texts = [(author, f"post {len(self.model.posts) + n}")
                 for n, author in enumerate(authors)]
        ids = call_each(self.service, "post", texts)
        for (author, text), post_id in zip(texts, ids, strict=True):
            self.check_id(post_id, f"svc.post({author!r}, {text!r})")
            expected += self.model.writes(author)
            self.model.post(author, post_id)
            self.lines.append(f"svc.post({author!r}, {text!r})  # -> {post_id!r}")
        after = self.writes = self.service.fanout_writes
        assert after - before == expected, (
            f"{self.where()}fanout_writes went from {before!r} to {after!r} over the last "
            f"{len(authors)} post(s), expected a growth of {expected} (each post by a user "
            f"with n < {self.model.threshold} followers adds n, a celebrity's adds 0)")
        return ids

    def post(self, author):
        """One post, with fanout_writes read before and after it; returns its id."""
        return self.posts([author])[0]

    def check_id(self, post_id, call):
        assert isinstance(post_id, int) and not isinstance(post_id, bool), (
            f"{self.where()}{call} returned {post_id!r}, expected an int (the post's id)")
        assert self.last_id is None or post_id > self.last_id, (
            f"{self.where()}{call} returned {post_id!r}, expected an id larger than the one "
            f"before it ({self.last_id!r}): ids increase across the service")
        self.last_id = post_id

    def feeds(self, queries):
        """Reads feed(user, limit, before) for each query, in one message; compares each
        with the brute-force merge of the user's followees' posts."""
        got = call_each(self.service, "feed", queries)
        self.writes = None  # and so may feed
        for query, answer in zip(queries, got, strict=True):
            expected = self.model.feed(*query)
            call = f"svc.feed({', '.join(map(repr, query))})"
            assert list(answer) == expected, (
                f"{self.where()}{call} returned {answer!r}, expected {expected!r}: the posts of "
                f"{sorted(self.model.following[query[0]])!r} (the users {query[0]!r} follows "
                f"now), newest first{explain(answer, expected)}")

    def feed(self, user, limit=20, before=None):
        self.feeds([(user, limit, before)])


def explain(got, expected):
    """A short reason a feed differs from the expected one, where one stands out."""
    got = list(got) if isinstance(got, (list, tuple)) else got
    if not isinstance(got, list):
        return ""
    if len(set(got)) < len(got):
        return " (some ids come twice)"
    if sorted(got) == sorted(expected):
        return " (the right posts in the wrong order)"
    if set(got) > set(expected):
        return f" (posts {sorted(set(got) - set(expected))} should not be there)"
    if set(got) < set(expected):
        return f" (posts {sorted(set(expected) - set(got))} are missing)"
    return ""


def history(threshold, seed, rounds=10):
    """A generated history: rounds of follows and unfollows, a few posts, then every
    user's feed at a few limits and pages, all checked against the model."""
    rng = random.Random(seed)
    session = Session(threshold, seed)
    for _ in range(rounds):
        changes = {"follow": [], "unfollow": []}
        for _ in range(rng.randint(0, 4)):
            a, b = rng.sample(USERS, 2)
            method = "follow" if rng.random() < 0.65 else "unfollow"
            changes[method].append((a, b))
        order = ["follow", "unfollow"] if rng.random() < 0.5 else ["unfollow", "follow"]
        for method in order:
            if changes[method]:
                session.follows(method, changes[method])
        session.posts([rng.choice(USERS) for _ in range(rng.randint(1, 3))])
        ids = [post_id for post_id, _ in session.model.posts]
        queries = []
        for user in USERS:
            queries.append((user, 100, None))
            limit = rng.choice([1, 2, 3, 5])
            before = rng.choice([None, rng.choice(ids), ids[-1] + 1])
            queries.append((user, limit, before))
        session.feeds(queries)
    return session
