"""What the catalog fixes about shard ids, checked by `kata compare` on the learner's code
alone: which ints the ids are, and which half of a split keeps the old one, is free (the
model shows shards without their ids and compares only the kind of shard_for's), but
shard_for names the shard whose range holds the key, no two shards share an id, and an id
that has gone never comes back."""

from harness.properties import prop

FRUIT = ["apple", "apricot", "banana", "blueberry", "cherry", "cranberry", "date", "fig",
         "grape", "guava", "kiwi", "lemon", "lime", "mango", "melon", "olive", "orange",
         "peach", "pear", "plum", "quince", "raisin", "salak", "yam", "yuzu"]
KEYS = {"list": {"one_of": FRUIT}, "max": 16}
PROBES = ["a", "banana", "blue", "fig", "grape", "m", "peach", "pz", "zz"]


def _holder(shards, key):
    """The (lower, upper, id) of `shards` whose range holds `key`."""
    return next(s for s in shards if (s[0] is None or s[0] <= key)
                and (s[1] is None or key < s[1]))


@prop(max_operations=10, keys=KEYS)
def shard_for_names_the_shard_whose_range_holds_the_key(shards, keys):
    """shard_for(key) is the id shards() gives the range holding key."""
    for key in keys:
        shards.insert(key)
    now = shards.shards()
    for probe in PROBES:
        got = shards.shard_for(probe)
        holder = _holder(now, probe)
        if got != holder[2]:
            return (f"shard_for({probe!r}) returned {got!r}, but shards() gives {holder!r} "
                    f"for its range")
    return None


@prop(max_operations=10, keys=KEYS)
def ids_are_never_shared_nor_reused(shards, keys):
    """No two shards share an id, and an id that has gone (its shard split) never returns."""
    seen = {s[2] for s in shards.shards()}
    live = set(seen)
    for done, key in enumerate(keys, start=1):
        shards.insert(key)
        now = shards.shards()
        ids = [s[2] for s in now]
        if len(set(ids)) != len(ids):
            return f"after inserting {keys[:done]}, two shards share an id: {now!r}"
        back = (set(ids) - live) & seen
        if back:
            return (f"after inserting {keys[:done]}, id {sorted(back)[0]!r} came back after "
                    f"its shard had split: {now!r}")
        live = set(ids)
        seen |= live
    return None
