"""Adding, removing, marking servers; the errors every strategy shares."""

import pytest

from load_balancer import LoadBalancer, NoHealthyServerError

pytestmark = pytest.mark.management

STRATEGIES = ["round_robin", "weighted_round_robin", "least_connections", "ip_hash"]
REQUEST = {"client_ip": "192.0.2.7"}


def expect_raises(kind, call, description):
    try:
        got = call()
    except kind:
        return
    except Exception as exc:  # the wrong kind of error teaches too
        pytest.fail(f"{description} raised {type(exc).__name__}: {exc}; expected {kind.__name__}")
    pytest.fail(f"{description} returned {got!r}; expected it to raise {kind.__name__}")


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_strategy_is_accepted(strategy):
    lb = LoadBalancer(strategy)
    lb.add_server("a")
    got = lb.route_request(REQUEST)
    assert got == "a", f"LoadBalancer({strategy!r}) with one server routed to {got!r}"


@pytest.mark.parametrize("strategy", ["random", "", "ROUND_ROBIN", "round-robin", None])
def test_unknown_strategy_raises_value_error(strategy):
    expect_raises(ValueError, lambda: LoadBalancer(strategy), f"LoadBalancer({strategy!r})")


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_adding_a_name_twice_raises_value_error(strategy):
    lb = LoadBalancer(strategy)
    lb.add_server("a", weight=2)
    expect_raises(ValueError, lambda: lb.add_server("a"), "add_server('a') when a is there")
    assert lb.servers == ["a"], f"after the refused add, servers is {lb.servers}, expected ['a']"


@pytest.mark.parametrize("weight", [0, -1, -10])
def test_weight_below_one_raises_value_error(weight):
    lb = LoadBalancer("weighted_round_robin")
    expect_raises(ValueError, lambda: lb.add_server("a", weight=weight),
                  f"add_server('a', weight={weight})")
    assert lb.servers == [], f"after the refused add, servers is {lb.servers}, expected []"


@pytest.mark.parametrize("method", ["remove_server", "mark_down", "mark_up", "release"])
@pytest.mark.parametrize("strategy", ["round_robin", "least_connections"])
def test_unknown_names_raise_key_error(strategy, method):
    lb = LoadBalancer(strategy)
    lb.add_server("a")
    expect_raises(KeyError, lambda: getattr(lb, method)("nope"), f"{method}('nope')")


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_an_empty_pool_raises_no_healthy_server_error(strategy):
    lb = LoadBalancer(strategy)
    expect_raises(NoHealthyServerError, lambda: lb.route_request(REQUEST),
                  f"route_request() on an empty {strategy} balancer")


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_all_servers_down_raises_and_recovers(strategy):
    lb = LoadBalancer(strategy)
    lb.add_server("a")
    lb.add_server("b")
    lb.mark_down("a")
    lb.mark_down("b")
    expect_raises(NoHealthyServerError, lambda: lb.route_request(REQUEST),
                  f"route_request() with every server down ({strategy})")
    lb.mark_up("b")
    got = lb.route_request(REQUEST)
    assert got == "b", f"after mark_up('b'), route_request() returned {got!r}, expected 'b'"


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_removing_every_server_raises(strategy):
    lb = LoadBalancer(strategy)
    lb.add_server("a")
    lb.remove_server("a")
    expect_raises(NoHealthyServerError, lambda: lb.route_request(REQUEST),
                  "route_request() after removing the only server")


def test_no_healthy_server_error_is_a_runtime_error():
    assert issubclass(NoHealthyServerError, RuntimeError)


def test_servers_lists_insertion_order_healthy_or_not():
    lb = LoadBalancer()
    for name in ("c", "a", "b"):
        lb.add_server(name)
    lb.mark_down("a")
    assert lb.servers == ["c", "a", "b"], f"servers is {lb.servers}, expected ['c', 'a', 'b']"
    lb.remove_server("c")
    lb.add_server("c")
    assert lb.servers == ["a", "b", "c"], (
        f"after remove_server('c') and add_server('c'), servers is {lb.servers}, "
        "expected ['a', 'b', 'c']")


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_removed_server_is_never_chosen(strategy):
    lb = LoadBalancer(strategy)
    for name in ("a", "b", "c"):
        lb.add_server(name)
    lb.remove_server("b")
    got = {lb.route_request({"client_ip": f"198.51.100.{i}"}) for i in range(60)}
    assert "b" not in got, f"route_request() returned the removed server b ({strategy})"


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_server_marked_down_is_never_chosen(strategy):
    lb = LoadBalancer(strategy)
    for name in ("a", "b", "c"):
        lb.add_server(name)
    lb.mark_down("a")
    got = {lb.route_request({"client_ip": f"198.51.100.{i}"}) for i in range(60)}
    assert "a" not in got, f"route_request() returned a, which is marked down ({strategy})"
