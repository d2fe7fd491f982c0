"""Round robin: a ring in insertion order, a cursor on the last server returned."""

import pytest

from load_balancer import LoadBalancer

pytestmark = pytest.mark.round_robin


def balancer(*names):
    lb = LoadBalancer("round_robin")
    for name in names:
        lb.add_server(name)
    return lb


def routes(lb, count):
    return [lb.route_request() for _ in range(count)]


def expect(got, want, story):
    assert got == want, f"{story}: route_request() gave {' '.join(got)}, expected {' '.join(want)}"


def test_starts_with_the_first_server_and_cycles():
    lb = balancer("a", "b", "c")
    expect(routes(lb, 7), list("abcabca"), "servers a b c, seven calls")


def test_default_strategy_is_round_robin():
    lb = LoadBalancer()
    lb.add_server("a")
    lb.add_server("b")
    expect(routes(lb, 3), list("aba"), "LoadBalancer() with a b, three calls")


def test_single_server_always_chosen():
    expect(routes(balancer("only"), 3), ["only"] * 3, "one server, three calls")


def test_a_new_server_joins_at_the_end_of_the_ring():
    lb = balancer("a", "b")
    first = routes(lb, 1)
    lb.add_server("c")
    expect(first + routes(lb, 4), list("abcab"),
           "a b, one call, then add_server('c'), four calls (c joins after b)")


def test_skips_servers_marked_down():
    lb = balancer("a", "b", "c")
    lb.mark_down("b")
    expect(routes(lb, 4), list("acac"), "a b c with b marked down")


def test_marking_down_the_server_under_the_cursor_moves_on():
    lb = balancer("a", "b", "c")
    first = routes(lb, 1)
    lb.mark_down("a")
    expect(first + routes(lb, 4), list("abcbc"), "one call (a), then mark_down('a')")


def test_mark_down_and_up_never_reset_the_rotation():
    lb = balancer("a", "b", "c", "d", "e")
    got = routes(lb, 2)
    lb.mark_down("c")
    got += routes(lb, 1)
    lb.mark_up("c")
    got += routes(lb, 4)
    expect(got, list("abdeabc"),
           "a b c d e: two calls, mark_down('c'), one call, mark_up('c'), four calls")


def test_mark_up_of_a_healthy_server_changes_nothing():
    lb = balancer("a", "b", "c")
    got = routes(lb, 2)
    lb.mark_up("a")
    got += routes(lb, 2)
    expect(got, list("abca"), "two calls, mark_up('a') (already up), two calls")


def test_removing_the_server_under_the_cursor_continues_with_its_follower():
    lb = balancer("a", "b", "c", "d")
    got = routes(lb, 2)
    lb.remove_server("b")
    got += routes(lb, 3)
    expect(got, list("abcda"),
           "a b c d: two calls (cursor on b), remove_server('b'), three calls: c follows b")


def test_removing_the_last_server_under_the_cursor_wraps_to_the_first():
    lb = balancer("a", "b", "c")
    got = routes(lb, 3)
    lb.remove_server("c")
    got += routes(lb, 3)
    expect(got, list("abcaba"), "three calls (cursor on c), remove_server('c'), three calls")


def test_removing_the_first_server_under_the_cursor():
    lb = balancer("a", "b", "c")
    got = routes(lb, 1)
    lb.remove_server("a")
    got += routes(lb, 3)
    expect(got, list("abcb"), "one call (cursor on a), remove_server('a'), three calls")


def test_removing_the_server_under_the_cursor_then_its_follower():
    lb = balancer("a", "b", "c", "d")
    got = routes(lb, 2)
    lb.remove_server("b")
    lb.remove_server("c")
    got += routes(lb, 3)
    expect(got, list("abdad"),
           "a b c d: two calls (cursor on b), remove_server('b'), remove_server('c'), three "
           "calls: d follows the removed c")


def test_removing_a_server_before_the_cursor_keeps_the_rotation():
    lb = balancer("a", "b", "c", "d")
    got = routes(lb, 3)
    lb.remove_server("a")
    got += routes(lb, 3)
    expect(got, list("abcdbc"), "three calls (cursor on c), remove_server('a'), three calls")


def test_removing_a_server_after_the_cursor_keeps_the_rotation():
    lb = balancer("a", "b", "c", "d")
    got = routes(lb, 1)
    lb.remove_server("c")
    got += routes(lb, 3)
    expect(got, list("abda"), "one call (cursor on a), remove_server('c'), three calls")


def test_a_removed_and_re_added_server_joins_at_the_end():
    lb = balancer("a", "b", "c")
    got = routes(lb, 1)
    lb.remove_server("a")
    lb.add_server("a")
    got += routes(lb, 4)
    expect(got, list("abcab"), "one call, remove_server('a'), add_server('a'), four calls")


def test_route_request_accepts_a_request_and_ignores_it():
    lb = balancer("a", "b")
    got = [lb.route_request({"client_ip": "10.0.0.1"}), lb.route_request(None),
           lb.route_request({})]
    expect(got, list("aba"), "route_request with a request dict, None and {}")
