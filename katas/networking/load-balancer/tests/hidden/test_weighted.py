"""Smooth weighted round robin (nginx): interleaved picks, health respected."""

import random

import pytest

from load_balancer import LoadBalancer

pytestmark = pytest.mark.weighted


class SmoothModel:
    """The algorithm as the contract states it, to compute what every call must return."""

    def __init__(self):
        self.servers = {}  # name -> [weight, current, healthy]

    def add(self, name, weight):
        self.servers[name] = [weight, 0, True]

    def route(self):
        healthy = [(n, s) for n, s in self.servers.items() if s[2]]
        total = sum(s[0] for _, s in healthy)
        for _, state in healthy:
            state[1] += state[0]
        name, state = max(healthy, key=lambda item: item[1][1])
        state[1] -= total
        return name


def weighted(**weights):
    lb = LoadBalancer("weighted_round_robin")
    model = SmoothModel()
    for name, weight in weights.items():
        lb.add_server(name, weight=weight)
        model.add(name, weight)
    return lb, model


def test_weights_5_1_1_give_the_nginx_sequence_twice_over():
    lb, _ = weighted(a=5, b=1, c=1)
    got = "".join(lb.route_request() for _ in range(14))
    assert got == "aabacaa" * 2, (
        f"weights a=5 b=1 c=1: 14 calls gave {got}, expected aabacaaaabacaa "
        "(smooth: the heavy server's picks are spread out, not sent in a burst)")


@pytest.mark.parametrize("weights", [
    {"a": 1, "b": 1, "c": 1},
    {"a": 2, "b": 1},
    {"a": 3, "b": 2, "c": 1},
    {"a": 1, "b": 4},
    {"x": 4, "y": 3, "z": 2, "w": 1},
])
def test_sequence_follows_the_smooth_algorithm(weights):
    lb, model = weighted(**weights)
    calls = 3 * sum(weights.values())
    got = [lb.route_request() for _ in range(calls)]
    want = [model.route() for _ in range(calls)]
    assert got == want, (f"weights {weights}: {calls} calls gave {' '.join(got)}, expected "
                         f"{' '.join(want)}")


def test_each_server_gets_its_share_per_cycle():
    lb, _ = weighted(a=3, b=2, c=1)
    got = [lb.route_request() for _ in range(12)]
    counts = {name: got.count(name) for name in "abc"}
    assert counts == {"a": 6, "b": 4, "c": 2}, f"12 calls with weights 3 2 1 gave {counts}"


def test_ties_go_to_the_server_added_first():
    lb, _ = weighted(b=2, a=2)
    got = [lb.route_request() for _ in range(4)]
    assert got == ["b", "a", "b", "a"], f"b=2 then a=2: four calls gave {got}, expected b a b a"


def test_total_counts_only_healthy_servers():
    lb, model = weighted(a=3, b=1, c=4)
    lb.mark_down("c")
    model.servers["c"][2] = False
    got = [lb.route_request() for _ in range(8)]
    want = [model.route() for _ in range(8)]
    assert got == want, (f"a=3 b=1 c=4 with c down: 8 calls gave {' '.join(got)}, expected "
                         f"{' '.join(want)} (the winner loses the total weight of the HEALTHY "
                         "servers only)")


def test_down_servers_are_skipped_and_keep_their_current():
    lb, model = weighted(a=5, b=1, c=1)
    got, want = [], []
    for step, (action, name) in enumerate([("route", None)] * 3 + [("down", "a")]
                                          + [("route", None)] * 3 + [("up", "a")]
                                          + [("route", None)] * 7):
        if action == "route":
            got.append(lb.route_request())
            want.append(model.route())
        else:
            getattr(lb, f"mark_{action}")(name)
            model.servers[name][2] = action == "up"
    assert got == want, (f"weights 5 1 1: 3 calls, mark_down('a'), 3 calls, mark_up('a'), "
                         f"7 calls gave {' '.join(got)}, expected {' '.join(want)} (a down "
                         "server neither gains nor loses current while it is down)")


def test_a_server_added_later_starts_at_zero():
    lb, model = weighted(a=2, b=1)
    got = [lb.route_request() for _ in range(2)]
    want = [model.route() for _ in range(2)]
    lb.add_server("c", weight=3)
    model.add("c", 3)
    got += [lb.route_request() for _ in range(6)]
    want += [model.route() for _ in range(6)]
    assert got == want, (f"a=2 b=1, two calls, add_server('c', weight=3), six calls gave "
                         f"{' '.join(got)}, expected {' '.join(want)}")


def test_a_re_added_server_starts_again_at_zero():
    lb, model = weighted(a=3, b=1)
    got = [lb.route_request() for _ in range(3)]
    want = [model.route() for _ in range(3)]
    lb.remove_server("a")
    lb.add_server("a", weight=3)
    del model.servers["a"]
    model.add("a", 3)
    got += [lb.route_request() for _ in range(4)]
    want += [model.route() for _ in range(4)]
    assert got == want, (f"a=3 b=1, three calls, remove and re-add a, four calls gave "
                         f"{' '.join(got)}, expected {' '.join(want)}")


@pytest.mark.parametrize("seed", range(6))
def test_random_histories_match_the_algorithm(seed):
    rng = random.Random(seed)
    lb, model = weighted(a=rng.randint(1, 5), b=rng.randint(1, 5), c=rng.randint(1, 5))
    history = []
    for _ in range(60):
        name = rng.choice("abc")
        roll = rng.random()
        if roll < 0.1:
            lb.mark_down(name)
            model.servers[name][2] = False
            history.append(f"mark_down({name!r})")
            continue
        if roll < 0.25:
            lb.mark_up(name)
            model.servers[name][2] = True
            history.append(f"mark_up({name!r})")
            continue
        if not any(s[2] for s in model.servers.values()):
            continue
        got, want = lb.route_request(), model.route()
        history.append(f"route_request() -> {got!r}")
        assert got == want, (f"weights {({n: s[0] for n, s in model.servers.items()})}, after "
                             f"{'; '.join(history[-8:])}: expected {want!r}")
