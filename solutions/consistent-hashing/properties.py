"""What the catalog fixes about where keys go, checked by `kata compare` on the learner's
code alone: which node a key maps to is free (any named digest, any number of points), so
the model compares only the kind of what comes back, but the ring's answers must agree with
each other and move as few keys as possible."""

from harness.properties import Raised, prop

KEYS = {"list": {"one_of": [f"user:{n}" for n in range(40)]}, "max": 12}
N = {"integers": [1, 7]}
MORE_THAN_ALL = 10  # the model's nodes are a to e


def _nodes(ring):
    """Every node on the ring (get_nodes gives all when n exceeds them); None when empty."""
    try:
        return ring.get_nodes("any", MORE_THAN_ALL)
    except Raised as exc:
        if exc.name == "LookupError":
            return None
        raise


@prop(keys=KEYS, n=N)
def get_nodes_gives_n_distinct_nodes_the_first_being_get_node(ring, keys, n):
    """get_nodes(key, n) is n distinct nodes of the ring (all if fewer), get_node(key) first."""
    every = _nodes(ring)
    if every is None:
        return None
    if len(set(every)) != len(every):
        return f"get_nodes('any', {MORE_THAN_ALL}) returned {every!r}: a node twice"
    for key in keys:
        got = ring.get_nodes(key, n)
        if len(set(got)) != len(got) or len(got) != min(n, len(every)) \
                or not set(got) <= set(every):
            return (f"get_nodes({key!r}, {n}) returned {got!r}, the ring's nodes being "
                    f"{sorted(every)!r}")
        first = ring.get_node(key)
        if got[0] != first:
            return f"get_nodes({key!r}, {n}) returned {got!r}, but get_node({key!r}) {first!r}"
    return None


@prop(keys=KEYS)
def only_the_keys_of_a_removed_node_move_and_only_to_an_added_one(ring, keys):
    """Removing a node moves only its own keys; adding one moves keys only onto it."""
    every = _nodes(ring)
    if every is None or len(every) < 2 or not keys:
        return None
    before = {key: ring.get_node(key) for key in keys}
    gone = before[keys[0]]  # the first key's node: shrinking keeps the keys that matter
    ring.remove_node(gone)
    after = {key: ring.get_node(key) for key in keys}
    for key in keys:
        if after[key] == gone:
            return f"{key!r} still went to {gone!r} after remove_node({gone!r})"
        if before[key] != gone and after[key] != before[key]:
            return (f"{key!r} was on {before[key]!r} and moved to {after[key]!r} when "
                    f"{gone!r} was removed")
    ring.add_node(gone)
    again = {key: ring.get_node(key) for key in keys}
    for key in keys:
        if again[key] not in (after[key], gone):
            return (f"{key!r} was on {after[key]!r} and moved to {again[key]!r} when "
                    f"{gone!r} was added")
    return None
