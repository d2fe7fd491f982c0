"""What the hidden tests of range-sharding share: an independent model of the split rule,
seeded key workloads, and the checks of a layout that every rule implies."""

import random
import string


class Model:
    """The rule as the catalog states it, kept as plainly as possible: ranges in order,
    each with the set of its keys; a range over `max_keys` keys splits at its median."""

    def __init__(self, max_keys: int) -> None:
        self.max_keys = max_keys
        self.ranges = [[None, None, set()]]

    def _holding(self, key):
        for entry in self.ranges:
            lower, upper, _ = entry
            if (lower is None or lower <= key) and (upper is None or key < upper):
                return entry
        raise AssertionError("the model lost a key")

    def insert(self, key: str) -> None:
        entry = self._holding(key)
        entry[2].add(key)
        if len(entry[2]) > self.max_keys:
            keys = sorted(entry[2])
            median = keys[len(keys) // 2]
            at = self.ranges.index(entry)
            self.ranges[at:at + 1] = [[entry[0], median, set(keys[:len(keys) // 2])],
                                      [median, entry[1], set(keys[len(keys) // 2:])]]

    def bounds(self):
        return [(lower, upper) for lower, upper, _ in self.ranges]


def keys(seed: int, count: int) -> list[str]:
    """`count` distinct keys of 1 to 4 lowercase letters, in a seeded order."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        found["".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 4)))] = None
    return list(found)


def listed(shards):
    """shards.shards(), each shard as a tuple when it came as a list or tuple of three
    (the value matters, not the sequence type); anything else as it came."""
    got = shards.shards()
    if isinstance(got, (list, tuple)):
        return [tuple(s) if isinstance(s, (list, tuple)) and len(s) == 3 else s for s in got]
    return got


def layout_problem(got) -> str | None:
    """What is wrong with shards() as a layout (cover all, in order, no gap or overlap,
    ids distinct ints), or None."""
    if not isinstance(got, list) or not got:
        return "shards() must return a non-empty list of (lower, upper, id)"
    if any(not isinstance(s, tuple) or len(s) != 3 for s in got):
        return "every shard must be a tuple (lower, upper, id)"
    if got[0][0] is not None or got[-1][1] is not None:
        return "the first lower bound and the last upper bound must be None (unbounded)"
    for (_, upper, _), (lower, _, _) in zip(got, got[1:], strict=False):
        if upper is None or upper != lower:
            return (f"a shard ends at {upper!r} but the next starts at {lower!r}: a gap or "
                    "an overlap")
    for lower, upper, _ in got:
        if lower is not None and upper is not None and not lower < upper:
            return f"the shard [{lower!r}, {upper!r}) is empty or backwards"
    ids = [s[2] for s in got]
    if any(not isinstance(i, int) or isinstance(i, bool) for i in ids):
        return f"shard ids must be ints: {ids}"
    if len(set(ids)) != len(ids):
        return f"two shards share an id: {ids}"
    return None


def shown(got) -> str:
    return "[" + ", ".join(repr(s) for s in got) + "]" if isinstance(got, list) else repr(got)


def holder(layout, key: str) -> int:
    """The id of the shard of `layout` (a valid shards() answer) whose range holds `key`."""
    for lower, upper, ident in layout:
        if (lower is None or lower <= key) and (upper is None or key < upper):
            return ident
    raise AssertionError(f"no shard of {layout} holds {key!r}")
