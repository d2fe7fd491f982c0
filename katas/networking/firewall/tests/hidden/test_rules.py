"""Rules in order: first match wins, no match denies; protocols, ports, comments, keywords."""

import random

import pytest

from _support import check

pytestmark = pytest.mark.rules


def test_no_rules_deny_everything():
    check("", [("tcp", "10.0.0.1", 80, False), ("udp", "2001:db8::1", 53, False)])


def test_only_comments_and_blank_lines_deny_everything():
    check("# nothing here\n\n   \n", [("tcp", "10.0.0.1", 80, False)])


def test_an_allow_rule_allows_only_what_it_names():
    check("allow tcp any port 80", [
        ("tcp", "10.0.0.1", 80, True),
        ("tcp", "10.0.0.1", 81, False),
        ("udp", "10.0.0.1", 80, False),
    ])


def test_a_deny_rule_denies_before_a_later_allow():
    check("deny tcp any port 22\nallow tcp any", [
        ("tcp", "10.0.0.1", 22, False),
        ("tcp", "10.0.0.1", 23, True),
        ("tcp", "10.0.0.1", 21, True),
    ])


@pytest.mark.parametrize("first, expected", [("allow", True), ("deny", False)])
def test_the_first_matching_rule_decides(first, expected):
    second = "deny" if first == "allow" else "allow"
    rules = f"{first} tcp any port 80\n{second} tcp any port 80\n{second} any any"
    check(rules, [("tcp", "192.0.2.1", 80, expected)])


def test_a_later_more_specific_rule_does_not_win():
    check("deny any any\nallow tcp 10.0.0.5/32 port 22", [("tcp", "10.0.0.5", 22, False)])


def test_rules_that_do_not_match_are_skipped():
    check("allow udp any port 53\ndeny tcp any port 80\nallow tcp any port 443", [
        ("tcp", "10.0.0.1", 443, True),
        ("tcp", "10.0.0.1", 53, False),
        ("udp", "10.0.0.1", 443, False),
    ])


def test_proto_any_matches_tcp_and_udp():
    check("allow any any port 53", [
        ("tcp", "10.0.0.1", 53, True),
        ("udp", "10.0.0.1", 53, True),
        ("udp", "2001:db8::1", 53, True),
    ])


@pytest.mark.parametrize("rule_proto, other", [("tcp", "udp"), ("udp", "tcp")])
def test_a_protocol_rule_does_not_match_the_other_protocol(rule_proto, other):
    check(f"allow {rule_proto} any\ndeny any any", [
        (rule_proto, "10.0.0.1", 80, True),
        (other, "10.0.0.1", 80, False),
    ])


def test_a_rule_without_port_matches_every_port():
    check("allow udp any", [("udp", "10.0.0.1", port, True) for port in (1, 2, 80, 65534, 65535)])


def test_a_port_range_includes_both_ends():
    check("allow tcp any port 1000-2000", [
        ("tcp", "10.0.0.1", 999, False),
        ("tcp", "10.0.0.1", 1000, True),
        ("tcp", "10.0.0.1", 1500, True),
        ("tcp", "10.0.0.1", 2000, True),
        ("tcp", "10.0.0.1", 2001, False),
    ])


def test_the_extreme_ports_can_be_named():
    check("allow tcp any port 1\nallow tcp any port 65535\nallow udp any port 1-65535", [
        ("tcp", "10.0.0.1", 1, True),
        ("tcp", "10.0.0.1", 65535, True),
        ("tcp", "10.0.0.1", 2, False),
        ("tcp", "10.0.0.1", 65534, False),
        ("udp", "10.0.0.1", 1, True),
        ("udp", "10.0.0.1", 65535, True),
    ])


def test_a_range_of_one_port_matches_that_port():
    check("allow tcp any port 8080-8080", [
        ("tcp", "10.0.0.1", 8079, False),
        ("tcp", "10.0.0.1", 8080, True),
        ("tcp", "10.0.0.1", 8081, False),
    ])


@pytest.mark.parametrize("rule", [
    "ALLOW TCP ANY PORT 80",
    "Allow Tcp Any Port 80",
    "aLLoW tCp aNy pOrT 80",
])
def test_keywords_are_case_insensitive(rule):
    check(f"{rule}\ndeny any any", [("tcp", "10.0.0.1", 80, True), ("tcp", "10.0.0.1", 81, False)])


def test_uppercase_deny_and_any_protocol():
    check("DENY ANY ANY PORT 23\nallow any any", [
        ("tcp", "10.0.0.1", 23, False),
        ("udp", "10.0.0.1", 23, False),
        ("udp", "10.0.0.1", 24, True),
    ])


def test_blank_lines_and_comments_are_ignored():
    rules = ("# the office firewall\n"
             "\n"
             "   \n"
             "\t\n"
             "#allow tcp any port 22\n"
             "    # deny tcp any port 80\n"
             "allow tcp any port 80\n"
             "\n")
    check(rules, [
        ("tcp", "10.0.0.1", 80, True),
        ("tcp", "10.0.0.1", 22, False),
    ])


# -- many rule lists at once, against a small model written here -----------------------------

def model_allows(rules, proto, port):
    for action, rule_proto, low, high in rules:
        if rule_proto in ("any", proto) and (low is None or low <= port <= high):
            return action == "allow"
    return False


def random_rules(rnd):
    rules = []
    for _ in range(rnd.randint(0, 12)):
        action = rnd.choice(["allow", "deny"])
        proto = rnd.choice(["tcp", "udp", "any"])
        shape = rnd.random()
        if shape < 0.25:
            low = high = None
        elif shape < 0.6:
            low = high = rnd.randint(1, 40)
        else:
            low = rnd.randint(1, 40)
            high = rnd.randint(low, 45)
        rules.append((action, proto, low, high))
    return rules


def text_of(rules, rnd):
    lines = []
    for action, proto, low, high in rules:
        while rnd.random() < 0.2:
            lines.append(rnd.choice(["", "# a comment", "# allow any any"]))
        words = [action, proto, "any"]
        if low is not None:
            words += ["port", str(low) if low == high and rnd.random() < 0.7 else f"{low}-{high}"]
        line = " ".join(words)
        lines.append(line.upper() if rnd.random() < 0.2 else line)
    return "\n".join(lines)


@pytest.mark.parametrize("seeds", [range(0, 20), range(20, 40)], ids=["seeds0-19", "seeds20-39"])
def test_random_rule_lists_decide_as_first_match_with_default_deny(seeds):
    for seed in seeds:
        rnd = random.Random(seed)
        rules = random_rules(rnd)
        text = text_of(rules, rnd)
        packets = [(rnd.choice(["tcp", "udp"]), rnd.choice(["192.0.2.9", "2001:db8::9"]),
                    rnd.randint(1, 48)) for _ in range(60)]
        check(text, [(p, ip, port, model_allows(rules, p, port)) for p, ip, port in packets],
              why=f" (seed {seed})")
