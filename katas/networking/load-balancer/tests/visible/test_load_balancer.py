"""Examples of what the hidden tests check. Run them with: python -m pytest"""

import pytest

from load_balancer import LoadBalancer, NoHealthyServerError


@pytest.mark.round_robin
def test_round_robin_cycles_in_insertion_order():
    lb = LoadBalancer("round_robin")
    for name in ("a", "b", "c"):
        lb.add_server(name)
    got = [lb.route_request() for _ in range(4)]
    assert got == ["a", "b", "c", "a"], f"four calls of route_request() gave {got}"


@pytest.mark.management
def test_no_healthy_server_raises():
    lb = LoadBalancer("round_robin")
    lb.add_server("a")
    lb.mark_down("a")
    with pytest.raises(NoHealthyServerError):
        lb.route_request()


@pytest.mark.weighted
def test_smooth_weighted_round_robin_interleaves():
    lb = LoadBalancer("weighted_round_robin")
    lb.add_server("a", weight=5)
    lb.add_server("b", weight=1)
    lb.add_server("c", weight=1)
    got = [lb.route_request() for _ in range(7)]
    assert got == list("aabacaa"), f"weights 5, 1, 1 gave {''.join(got)}, expected aabacaa"


@pytest.mark.least_connections
def test_least_connections_prefers_the_idle_server():
    lb = LoadBalancer("least_connections")
    lb.add_server("a")
    lb.add_server("b")
    assert lb.route_request() == "a"
    assert lb.route_request() == "b"
    lb.release("a")
    assert lb.route_request() == "a"
