"""Malformed rules raise RuleSyntaxError naming their line; bad packets raise ValueError."""

import random

import pytest

from firewall import Firewall, RuleSyntaxError

pytestmark = pytest.mark.errors

MALFORMED_WORDS = [
    "permit tcp any",                     # unknown action
    "allow icmp any",                     # unknown protocol
    "allow allow any",
    "allow",                              # too few words
    "allow tcp",
    "tcp any port 80",                    # no action
    "allow tcp any any",                  # four words
    "allow tcp any port",                 # port without a value
    "allow tcp any 80",                   # value without 'port'
    "allow tcp any ports 80",
    "allow tcp any port 80 extra",        # too many words
    "allow tcp any port 80 port 81",
]
MALFORMED_PORTS = [
    "allow tcp any port 0",               # ports are 1-65535
    "allow tcp any port 65536",
    "allow tcp any port 0-80",
    "allow tcp any port 80-65536",
    "allow tcp any port 90-80",           # start above end
    "allow tcp any port http",
    "allow tcp any port 8o",
    "allow tcp any port 80-",
    "allow tcp any port -80",
    "allow tcp any port 80-90-100",
]
MALFORMED_NETWORKS = [
    "allow tcp banana",                   # not a network
    "allow tcp 10.0.0.0/33",
    "allow tcp 10.0.0.256/32",
    "allow tcp 10.0.0.0/",
    "allow tcp 10.0.0.0/-1",
    "allow tcp 10.0.0.0/8/8",
    "allow tcp 2001:db8::/129",
    "allow tcp 2001:db8::g/32",
    "allow tcp 2001:db8:::/32",
]
HOST_BITS_SET = [
    "allow tcp 10.0.0.1/8",
    "allow tcp 192.168.1.1/24",
    "allow tcp 10.0.0.129/25",
    "allow tcp 2001:db8::1/32",
    "allow tcp ::1/0",
]
MALFORMED = MALFORMED_WORDS + MALFORMED_PORTS + MALFORMED_NETWORKS + HOST_BITS_SET


def raised_line(rules, description):
    """The .line of the RuleSyntaxError that Firewall(rules) raises."""
    try:
        Firewall(rules)
    except RuleSyntaxError as error:
        line = getattr(error, "line", None)
        assert line is not None, f"{description} raised RuleSyntaxError without a .line"
        return line
    except Exception as error:
        pytest.fail(f"{description} raised {type(error).__name__}: {error}; "
                    "expected RuleSyntaxError")
    pytest.fail(f"{description} raised nothing; expected RuleSyntaxError (a malformed rule)")


@pytest.mark.parametrize("malformed", [MALFORMED_WORDS, MALFORMED_PORTS, MALFORMED_NETWORKS,
                                       HOST_BITS_SET],
                         ids=["words", "ports", "networks", "host_bits_set"])
def test_a_malformed_rule_raises_rule_syntax_error_with_its_line(malformed):
    for bad in malformed:
        line = raised_line(bad, f"Firewall({bad!r})")
        assert line == 1, f"Firewall({bad!r}) raised RuleSyntaxError with line={line!r}, expected 1"


def test_the_line_counts_blank_lines_and_comments():
    for bad in MALFORMED[::3]:
        rules = f"# web servers\n\nallow tcp any port 80\n   \n# mail\n{bad}\nallow udp any\n"
        line = raised_line(rules, f"Firewall({rules!r})")
        assert line == 6, (f"Firewall({rules!r}) raised RuleSyntaxError with line={line!r}, "
                           "expected 6: lines are numbered from 1, blank lines and comments "
                           "included")


def test_a_malformed_last_line_after_good_rules():
    rules = "allow tcp any port 22\ndeny udp any\nallow tcp 10.0.0.1/8"
    line = raised_line(rules, f"Firewall({rules!r})")
    assert line == 3, f"Firewall({rules!r}) raised RuleSyntaxError with line={line!r}, expected 3"


WELL_FORMED = [
    "allow tcp any port 1",
    "allow tcp any port 65535",
    "allow udp any port 1-65535",
    "allow tcp any port 80-80",
    "deny any 0.0.0.0/0",
    "deny any ::/0",
    "allow tcp 10.0.0.128/25",
    "allow udp 203.0.113.7/32",
    "allow tcp 2001:db8::/32",
    "allow tcp 2001:db8::1/128",
    "allow any ::ffff:0:0/96 port 443",
]


def test_well_formed_rules_are_accepted():
    for good in WELL_FORMED:
        try:
            fw = Firewall(f"{good}\n# end")
        except Exception as error:
            pytest.fail(f"Firewall({good!r}) raised {type(error).__name__}: {error}; "
                        "the rule is well formed")
        fw.allows("tcp", "10.0.0.1", 80)


def test_the_first_malformed_line_is_found_among_many():
    for seed in range(30):
        rnd = random.Random(seed)
        lines = []
        for _ in range(rnd.randint(0, 15)):
            lines.append(rnd.choice([
                "", "# comment", "allow tcp any port 80", "deny udp 10.0.0.0/8 port 1-1023",
                "ALLOW ANY 2001:db8::/32", "deny any any", "Allow Udp 192.168.0.0/16 Port 53",
            ]))
        lines.append(rnd.choice(MALFORMED))
        expected = len(lines)  # the malformed line's number, counted from 1
        lines += rnd.choice([[], ["allow tcp any"], ["", "# tail"]])
        rules = "\n".join(lines)
        line = raised_line(rules, f"Firewall({rules!r})")
        assert line == expected, (f"Firewall({rules!r}) raised RuleSyntaxError with "
                                  f"line={line!r}, expected {expected} (seed {seed})")


def expect_value_error(fw, rules, packet, why):
    call = f"Firewall({rules!r}).allows{packet!r}"
    try:
        got = fw.allows(*packet)
    except ValueError:
        return
    except Exception as error:
        pytest.fail(f"{call} raised {type(error).__name__}: {error}; expected ValueError")
    pytest.fail(f"{call} returned {got!r}; expected ValueError: {why}")


BAD_ADDRESSES = ["10.0.0.256", "10.0.0", "1.2.3.4.5", "banana", "", "10.0.0.0/8",
                 "2001:db8::g", "2001:db8:::1", ":::", "1.2.3.-4", "any"]
RULE_SETS = ["", "allow any any", "allow tcp 10.0.0.0/8\nallow tcp ::/0 port 1-65535"]
RULE_SET_IDS = ["no_rules", "allow_any", "networks"]


@pytest.mark.parametrize("rules", RULE_SETS, ids=RULE_SET_IDS)
def test_an_invalid_source_address_raises_value_error(rules):
    fw = Firewall(rules)
    for src_ip in BAD_ADDRESSES:
        expect_value_error(fw, rules, ("tcp", src_ip, 80), f"{src_ip!r} is not one address")


@pytest.mark.parametrize("rules", RULE_SETS, ids=RULE_SET_IDS)
def test_a_port_outside_the_valid_range_raises_value_error(rules):
    fw = Firewall(rules)
    for src_ip in ("10.0.0.1", "2001:db8::1"):
        for port in (0, -1, 65536, 100000):
            expect_value_error(fw, rules, ("tcp", src_ip, port), "ports are 1-65535")


def test_the_extreme_ports_are_valid_in_a_packet():
    fw = Firewall("allow any any")
    for src_ip in ("10.0.0.1", "::1"):
        for port in (1, 65535):
            got = fw.allows("udp", src_ip, port)
            assert got == True, (  # noqa: E712
                f"Firewall('allow any any').allows('udp', {src_ip!r}, {port}) returned "
                f"{got!r}, expected True")
