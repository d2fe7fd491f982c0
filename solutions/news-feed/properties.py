"""What the catalog fixes about post ids and feeds, checked by `kata compare` on the
learner's code alone: which ints the ids are is free (the model compares only their kind,
and a feed only as its length, distinctness and order), but a feed holds exactly the posts
of the users followed now, newest first, and each id is larger than every id before."""

from harness.properties import prop

USERS = ["ann", "bob", "cy", "dee"]
READER = "reader"  # a user the model's sequence never names: the property knows all it did
#: what the reader does: post, follow or unfollow a user; a new fan follows a user (so
#: they may cross the celebrity threshold); a user posts
STEPS = {"list": {"one_of": [f"{what} {user}" for what in ("post", "follow", "unfollow", "fan")
                             for user in USERS] + [f"post {READER}"]}, "max": 14}


@prop(max_operations=30, steps=STEPS)
def a_feed_holds_exactly_the_followees_posts_newest_first(svc, steps):
    """feed(user) holds exactly the posts of the users `user` follows now, newest first."""
    posts: dict[str, list[int]] = {}  # the ids of the posts made here, per author
    following: set[str] = set()
    for user in USERS:  # the sequence may have had the reader follow no one; make sure
        svc.unfollow(READER, user)
    fans = 0
    last = None
    for done, step in enumerate(steps, start=1):
        what, user = step.split()
        if what == "post":
            post_id = svc.post(user, "hi")
            if last is not None and not post_id > last:
                return f"post({user!r}, 'hi') returned {post_id!r}, after {last!r}"
            last = post_id
            posts.setdefault(user, []).append(post_id)
        elif what == "follow":
            svc.follow(READER, user)
            following.add(user)
        elif what == "unfollow":
            svc.unfollow(READER, user)
            following.discard(user)
        else:
            fans += 1
            svc.follow(f"fan{fans}", user)
        expected = sorted((i for user in following for i in posts.get(user, [])), reverse=True)
        if expected and svc.feed(READER, 1) != expected[:1]:
            return (f"after {steps[:done]} the reader follows {sorted(following)}, whose "
                    f"newest post is {expected[0]}, and feed({READER!r}, 1) returned "
                    f"{svc.feed(READER, 1)}")
        got = svc.feed(READER, len(expected) + 1)
        made = {i for ids in posts.values() for i in ids}
        # older posts of the followees (from before) may follow the ones made here
        mine = [i for i in got if i in made]
        if mine != expected or got[:len(expected)] != expected:
            return (f"after {steps[:done]} the reader follows "
                    f"{sorted(following)}, whose posts here were {expected} (newest first), "
                    f"and feed({READER!r}, {len(expected) + 1}) returned {got}")
    return None
