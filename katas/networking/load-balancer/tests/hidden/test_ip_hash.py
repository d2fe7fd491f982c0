"""IP hash: a client keeps its server, in every process; only a failed server's clients move."""

from collections import Counter

import pytest

from harness.testing import call_each, learner_process
from load_balancer import LoadBalancer, NoHealthyServerError

pytestmark = pytest.mark.ip_hash

SERVERS = ["s1", "s2", "s3", "s4", "s5"]
IPS = [f"10.{i // 250}.{i % 250}.{(i * 7) % 256}" for i in range(400)]


def pool():
    lb = LoadBalancer("ip_hash")
    for name in SERVERS:
        lb.add_server(name)
    return lb


def mapping(lb, ips=IPS):
    """Where each client goes; the 400 calls cross to your code's process in one message."""
    return dict(zip(ips, call_each(lb, "route_request", [({"client_ip": ip},) for ip in ips])))


def test_the_same_client_always_gets_the_same_server():
    lb = pool()
    first, again = mapping(lb), mapping(lb)
    moved = [ip for ip in IPS if first[ip] != again[ip]]
    assert not moved, (f"route_request({{'client_ip': {moved[0]!r}}}) returned {first[moved[0]]!r} "
                       f"then {again[moved[0]]!r}")


def test_other_fields_of_the_request_do_not_matter():
    lb = pool()
    for ip in IPS[:20]:
        plain = lb.route_request({"client_ip": ip})
        extra = lb.route_request({"client_ip": ip, "path": "/x", "user": "ana"})
        assert plain == extra, f"client {ip} went to {plain!r}, then {extra!r} with more fields"


def test_clients_are_spread_over_the_servers():
    used = Counter(mapping(pool()).values())
    assert len(used) >= 2, f"400 clients all went to {list(used)}: hash the client's ip"


@pytest.mark.parametrize("hash_seed", ["1", "2"])
def test_the_mapping_is_the_same_in_every_process(hash_seed):
    here = mapping(pool())
    with learner_process(env={"PYTHONHASHSEED": hash_seed}) as other:
        lb = other.load_balancer.LoadBalancer("ip_hash")
        for name in SERVERS:
            lb.add_server(name)
        there = mapping(lb, IPS[:100])
    differ = [ip for ip in IPS[:100] if there[ip] != here[ip]]
    assert not differ, (
        f"client {differ[0]} goes to {here[differ[0]]!r} here but {there[differ[0]]!r} in a "
        f"process with PYTHONHASHSEED={hash_seed}: use a digest from hashlib (md5, sha256), "
        "not the built-in hash(), whose value changes from one process to the next")


def test_only_the_clients_of_a_server_that_goes_down_move():
    lb = pool()
    before = mapping(lb)
    down = Counter(before.values()).most_common(1)[0][0]
    lb.mark_down(down)
    during = mapping(lb)
    moved = [ip for ip in IPS if before[ip] != down and during[ip] != before[ip]]
    assert not moved, (
        f"after mark_down({down!r}), client {moved[0]} moved from {before[moved[0]]!r} to "
        f"{during[moved[0]]!r}; only the clients of {down!r} should move "
        f"({len(moved)} of {len(IPS)} clients moved without reason)")
    stranded = [ip for ip in IPS if during[ip] == down]
    assert not stranded, f"client {stranded[0]} was still sent to {down!r}, which is down"


def test_clients_return_when_their_server_comes_back():
    lb = pool()
    before = mapping(lb)
    down = Counter(before.values()).most_common(1)[0][0]
    lb.mark_down(down)
    mapping(lb)
    lb.mark_up(down)
    after = mapping(lb)
    moved = [ip for ip in IPS if after[ip] != before[ip]]
    assert not moved, (f"after mark_down({down!r}) and mark_up({down!r}), client {moved[0]} "
                       f"went to {after[moved[0]]!r} instead of back to {before[moved[0]]!r}")


@pytest.mark.parametrize("request_", [None, {}, {"ip": "10.0.0.1"}, {"client": "10.0.0.1"}])
def test_a_request_without_client_ip_raises_value_error(request_):
    lb = pool()
    with pytest.raises(ValueError):
        lb.route_request(request_)
        pytest.fail(f"route_request({request_!r}) returned normally; expected ValueError")


def test_route_request_without_a_request_raises_value_error():
    lb = pool()
    with pytest.raises(ValueError):
        lb.route_request()
        pytest.fail("route_request() with no request returned normally; expected ValueError")


def test_no_healthy_server_raises():
    lb = pool()
    for name in SERVERS:
        lb.mark_down(name)
    with pytest.raises(NoHealthyServerError):
        lb.route_request({"client_ip": "10.0.0.1"})
