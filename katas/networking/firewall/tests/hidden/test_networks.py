"""Source networks: CIDR prefixes of IPv4 and IPv6, each matching only its own version."""

import ipaddress
import random

import pytest

from _support import check

pytestmark = pytest.mark.networks


def test_an_ipv4_network_matches_the_addresses_inside_it():
    check("allow tcp 10.0.0.0/8", [
        ("tcp", "10.0.0.0", 80, True),
        ("tcp", "10.1.2.3", 80, True),
        ("tcp", "10.255.255.255", 80, True),
        ("tcp", "9.255.255.255", 80, False),
        ("tcp", "11.0.0.0", 80, False),
    ])


@pytest.mark.parametrize("network, inside, outside", [
    ("192.168.0.0/22", ["192.168.0.1", "192.168.3.255"], ["192.168.4.0", "192.167.255.255"]),
    ("172.16.0.0/12", ["172.16.0.0", "172.31.255.255"], ["172.32.0.0", "172.15.255.255"]),
    ("10.0.0.128/25", ["10.0.0.128", "10.0.0.255"], ["10.0.0.127", "10.0.1.0"]),
    ("203.0.113.7/32", ["203.0.113.7"], ["203.0.113.6", "203.0.113.8"]),
    ("128.0.0.0/1", ["128.0.0.0", "255.255.255.255"], ["127.255.255.255", "0.0.0.0"]),
], ids=["slash22", "slash12", "slash25", "slash32", "slash1"])
def test_prefixes_that_do_not_end_on_an_octet(network, inside, outside):
    check(f"allow udp {network}",
          [("udp", ip, 53, True) for ip in inside] + [("udp", ip, 53, False) for ip in outside])


def test_an_ipv6_network_matches_the_addresses_inside_it():
    check("allow tcp 2001:db8::/32", [
        ("tcp", "2001:db8::", 443, True),
        ("tcp", "2001:db8::1", 443, True),
        ("tcp", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 443, True),
        ("tcp", "2001:0db8:0000:0000:0000:0000:0000:0042", 443, True),
        ("tcp", "2001:DB8::abcd", 443, True),
        ("tcp", "2001:db9::", 443, False),
        ("tcp", "2001:db7:ffff::1", 443, False),
    ])


@pytest.mark.parametrize("network, inside, outside", [
    ("2001:db8:abcd:12::/64", ["2001:db8:abcd:12::1", "2001:db8:abcd:12:ffff:ffff:ffff:ffff"],
     ["2001:db8:abcd:13::", "2001:db8:abcd:11:ffff:ffff:ffff:ffff"]),
    ("2001:db8::/61", ["2001:db8:0:7::1"], ["2001:db8:0:8::"]),
    ("fe80::1/128", ["fe80::1"], ["fe80::2", "fe80::"]),
], ids=["slash64", "slash61", "slash128"])
def test_ipv6_prefixes_of_any_length(network, inside, outside):
    check(f"allow any {network}",
          [("tcp", ip, 22, True) for ip in inside] + [("udp", ip, 22, False) for ip in outside])


def test_all_ipv4_addresses_is_not_every_address():
    check("allow tcp 0.0.0.0/0", [
        ("tcp", "0.0.0.0", 80, True),
        ("tcp", "8.8.8.8", 80, True),
        ("tcp", "255.255.255.255", 80, True),
        ("tcp", "::1", 80, False),
        ("tcp", "2001:db8::1", 80, False),
    ], why=": 0.0.0.0/0 holds every IPv4 address and no IPv6 one")


def test_all_ipv6_addresses_is_not_every_address():
    check("allow tcp ::/0", [
        ("tcp", "::", 80, True),
        ("tcp", "::1", 80, True),
        ("tcp", "2001:db8::1", 80, True),
        ("tcp", "10.0.0.1", 80, False),
        ("tcp", "0.0.0.0", 80, False),
    ], why=": ::/0 holds every IPv6 address and no IPv4 one")


def test_an_ipv4_rule_never_matches_an_ipv6_source_with_the_same_bits():
    # ::a00:1 is 10.0.0.1 as a 128-bit number: equal integers, different versions.
    check("allow any 10.0.0.0/8\nallow any ::/96 port 1-100", [
        ("tcp", "::a00:1", 443, False),
        ("tcp", "10.0.0.1", 443, True),
        ("tcp", "10.0.0.1", 80, True),
        ("tcp", "::a00:1", 80, True),
    ], why=": an IPv4 rule never matches an IPv6 source, an IPv6 one never an IPv4 source")


def test_an_ipv4_mapped_address_is_an_ipv6_source():
    rules = "allow any 10.0.0.0/8 port 80\nallow any ::ffff:0:0/96 port 443"
    check(rules, [
        ("tcp", "::ffff:10.0.0.1", 80, False),
        ("tcp", "::ffff:10.0.0.1", 443, True),
        ("tcp", "::ffff:a00:1", 443, True),
        ("tcp", "10.0.0.1", 80, True),
        ("tcp", "10.0.0.1", 443, False),
    ], why=": ::ffff:10.0.0.1 is an IPv6 address, matched by IPv6 rules only")


def test_any_source_matches_both_versions():
    check("deny udp any\nallow any any", [
        ("udp", "10.0.0.1", 53, False),
        ("udp", "2001:db8::1", 53, False),
        ("udp", "::ffff:10.0.0.1", 53, False),
        ("tcp", "10.0.0.1", 53, True),
        ("tcp", "2001:db8::1", 53, True),
        ("tcp", "::", 53, True),
    ], why=": the source 'any' matches IPv4 and IPv6 addresses")


def test_rules_of_one_version_do_not_shadow_the_other():
    check("deny any 0.0.0.0/0\nallow tcp ::/0 port 22\ndeny any ::/0\nallow any any", [
        ("tcp", "2001:db8::1", 22, True),
        ("tcp", "2001:db8::1", 23, False),
        ("tcp", "192.0.2.1", 22, False),
    ])


def test_protocol_network_and_port_must_all_match():
    check("allow tcp 10.0.0.0/24 port 22\nallow udp 2001:db8::/48 port 53", [
        ("tcp", "10.0.0.9", 22, True),
        ("udp", "10.0.0.9", 22, False),
        ("tcp", "10.0.1.9", 22, False),
        ("tcp", "10.0.0.9", 23, False),
        ("udp", "2001:db8::9", 53, True),
        ("tcp", "2001:db8::9", 53, False),
        ("udp", "2001:db8:1::9", 53, False),
    ])


# -- many generated rule lists, against a model written here with ipaddress -------------------

def contains(network, address):
    """Same version and the same leading `prefixlen` bits, computed on integers."""
    if network.version != address.version:
        return False
    shift = network.max_prefixlen - network.prefixlen
    return int(address) >> shift == int(network.network_address) >> shift


def model_allows(rules, proto, ip, port):
    address = ipaddress.ip_address(ip)
    for action, rule_proto, network, ports in rules:
        if rule_proto not in ("any", proto):
            continue
        if network is not None and not contains(network, address):
            continue
        if ports is not None and not ports[0] <= port <= ports[1]:
            continue
        return action == "allow"
    return False


def random_network(rnd):
    shape = rnd.random()
    if shape < 0.1:
        return None
    if shape < 0.15:
        return ipaddress.ip_network(rnd.choice(["0.0.0.0/0", "::/0", "::ffff:0:0/96", "::/96"]))
    if shape < 0.6:
        base = ipaddress.IPv4Address("10.0.0.0") + rnd.getrandbits(20)
        return ipaddress.ip_network((base, rnd.randint(8, 32)), strict=False)
    base = ipaddress.IPv6Address("2001:db8::") + (rnd.getrandbits(40) << 80) + rnd.getrandbits(8)
    return ipaddress.ip_network((base, rnd.randint(16, 128)), strict=False)


def random_rules(rnd):
    rules = []
    for _ in range(rnd.randint(1, 15)):
        ports = None
        if rnd.random() < 0.4:
            low = rnd.randint(1, 30)
            ports = (low, rnd.choice([low, rnd.randint(low, 30)]))
        rules.append((rnd.choice(["allow", "deny"]), rnd.choice(["tcp", "udp", "any"]),
                      random_network(rnd), ports))
    return rules


def render(rules, rnd):
    lines = []
    for action, proto, network, ports in rules:
        if network is None:
            source = "any"
        elif network.version == 6 and rnd.random() < 0.2:
            source = network.exploded
        else:
            source = str(network)
        line = f"{action} {proto} {source}"
        if ports is not None:
            line += f" port {ports[0]}" if ports[0] == ports[1] else f" port {ports[0]}-{ports[1]}"
        lines.append(line)
        if rnd.random() < 0.15:
            lines.append(rnd.choice(["", "# comment"]))
    return "\n".join(lines)


def addresses_near(rules, rnd):
    """Addresses on the edges of the rules' networks, just outside them, of the other
    version with the same bits, and IPv4-mapped."""
    found = []
    for _, _, network, _ in rules:
        if network is None:
            continue
        last = network.broadcast_address
        top = 2 ** network.max_prefixlen - 1
        found += [network.network_address, last,
                  network.network_address + rnd.randint(0, network.num_addresses - 1)]
        if int(last) < top:
            found.append(last + 1)
        if int(network.network_address) > 0:
            found.append(network.network_address - 1)
    found = found or [ipaddress.ip_address("10.0.0.1")]
    more = []
    for address in found:
        if address.version == 4:
            more.append(ipaddress.IPv6Address(int(address)))
            more.append(ipaddress.IPv6Address((0xFFFF << 32) | int(address)))
        elif int(address) < 2 ** 32:
            more.append(ipaddress.IPv4Address(int(address)))
    return [str(a) for a in found + more]


@pytest.mark.parametrize("seeds", [range(0, 20), range(20, 40)], ids=["seeds0-19", "seeds20-39"])
def test_generated_rule_lists_agree_with_a_model(seeds):
    for seed in seeds:
        rnd = random.Random(seed)
        rules = random_rules(rnd)
        text = render(rules, rnd)
        near = addresses_near(rules, rnd)
        packets = [(rnd.choice(["tcp", "udp"]), rnd.choice(near), rnd.randint(1, 32))
                   for _ in range(80)]
        check(text, [(p, ip, port, model_allows(rules, p, ip, port)) for p, ip, port in packets],
              why=f" (seed {seed})")
