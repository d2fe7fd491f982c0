"""Least connections: the fewest requests in flight wins; release() ends a request."""

import pytest

from load_balancer import LoadBalancer

pytestmark = pytest.mark.least_connections


def pool(*names):
    lb = LoadBalancer("least_connections")
    for name in names:
        lb.add_server(name)
    return lb


def test_spreads_over_idle_servers_in_insertion_order():
    lb = pool("a", "b", "c")
    got = [lb.route_request() for _ in range(6)]
    assert got == list("abcabc"), f"six calls with nothing released gave {got}"


def test_a_released_server_is_preferred():
    lb = pool("a", "b", "c")
    [lb.route_request() for _ in range(3)]
    lb.release("c")
    got = lb.route_request()
    assert got == "c", (f"a b c each with one request, release('c'): route_request() returned "
                        f"{got!r}, expected 'c' (the only server with fewer in flight)")


def test_ties_go_to_the_server_added_first():
    lb = pool("b", "a")
    got = lb.route_request()
    assert got == "b", f"b then a, both idle: route_request() returned {got!r}, expected 'b'"


def test_the_busiest_server_waits():
    lb = pool("a", "b")
    got = [lb.route_request() for _ in range(4)]
    lb.release("b")
    lb.release("b")
    got += [lb.route_request() for _ in range(3)]
    assert got == list("ababbba"), f"four calls, release('b') twice, three calls gave {got}"


def test_release_never_goes_below_zero():
    lb = pool("a", "b")
    got = [lb.route_request(), lb.route_request()]
    lb.release("a")
    lb.release("a")  # one more than was in flight: a stays at zero
    got += [lb.route_request() for _ in range(3)]
    assert got == list("ababa")[:2] + list("aab"), (
        f"a and b busy, release('a') twice, three calls gave {got[2:]}, expected a a b "
        "(an extra release must not leave a with -1 in flight)")


def test_release_of_an_idle_server_is_allowed():
    lb = pool("a")
    lb.release("a")
    assert lb.route_request() == "a"


def test_down_servers_are_skipped_even_when_idle():
    lb = pool("a", "b")
    [lb.route_request() for _ in range(4)]
    lb.release("a")
    lb.release("a")
    lb.mark_down("a")
    got = lb.route_request()
    assert got == "b", f"a is idle but down: route_request() returned {got!r}, expected 'b'"


def test_a_server_added_later_is_idle():
    lb = pool("a", "b")
    [lb.route_request() for _ in range(2)]
    lb.add_server("c")
    got = [lb.route_request() for _ in range(2)]
    assert got == ["c", "a"], f"after add_server('c'), two calls gave {got}, expected c a"
