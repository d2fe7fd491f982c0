"""What the catalog fixes about ip_hash, checked by `kata compare` on the learner's code
alone: which server an ip maps to is free (rendezvous or consistent hashing both fine), so
the reference's choice is no yardstick, but how the mapping behaves is not free."""

from harness.properties import Raised, prop

IP_HASH = [{"just": "ip_hash"}]
IPS = {"list": {"one_of": [f"10.0.0.{n}" for n in range(1, 31)]}, "max": 8}


def _route_all(lb, ips):
    """Each ip's server, routed in order; None when no server is healthy."""
    try:
        return {ip: lb.route_request({"client_ip": ip}) for ip in ips}
    except Raised as exc:
        if exc.name == "NoHealthyServerError":
            return None
        raise


@prop(constructor_args=IP_HASH, max_operations=20, ips=IPS)
def the_same_ip_gets_the_same_server_while_nothing_changes(lb, ips):
    """The same ip gets the same server while no server is added, removed, marked down or up."""
    first = _route_all(lb, ips)
    if not first:
        return None
    again = _route_all(lb, ips)
    for ip in ips:
        if again[ip] != first[ip]:
            return f"{ip} went to {first[ip]!r}, then to {again[ip]!r}, with nothing changed"
    return None


@prop(constructor_args=IP_HASH, max_operations=20, ips=IPS)
def only_the_clients_of_a_server_that_goes_down_move(lb, ips):
    """When a server goes down, only the clients that were on it move."""
    before = _route_all(lb, ips)
    if not before:
        return None
    down = before[ips[0]]  # the first ip's server: shrinking keeps the ips that matter
    lb.mark_down(down)
    after = _route_all(lb, ips)
    if after is None:
        return None  # it was the last healthy server
    for ip in ips:
        if after[ip] == down:
            return f"{ip} still went to {down!r} after it went down"
        if before[ip] != down and after[ip] != before[ip]:
            return (f"{ip} was on {before[ip]!r}, which stayed up, and moved to {after[ip]!r} "
                    f"when {down!r} went down")
    return None


@prop(constructor_args=IP_HASH, max_operations=20, ips=IPS)
def the_clients_of_a_server_come_back_when_it_is_up(lb, ips):
    """When a server comes back up, the clients that were on it before it went down return."""
    before = _route_all(lb, ips)
    if not before:
        return None
    down = before[ips[0]]
    lb.mark_down(down)
    _route_all(lb, ips)  # meanwhile they go elsewhere, or nowhere
    lb.mark_up(down)
    after = _route_all(lb, ips)
    for ip in ips:
        if before[ip] == down and after[ip] != down:
            return (f"{ip} was on {down!r}; after {down!r} went down and came back up, it went "
                    f"to {after[ip]!r}")
    return None
