"""kata compare's contract properties (solutions/<slug>/properties.py): where the catalog
leaves values free, what it fixes about them is checked on the submission alone. For
load-balancer's ip_hash: only a down server's clients move, they come back when it is up,
the same ip keeps its server while nothing changes. For every kata with properties: the
reference and each alternative keep them all, and a mistake the model cannot see breaks one."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, mutant_file
from harness import properties
from harness.catalog import Catalog
from harness.errors import CatalogError

LB = ROOT / "solutions" / "load-balancer"
ONLY_THE_DOWN = "When a server goes down, only the clients that were on it move."
# ip_hash as a digest modulo the healthy servers: one server going down moves the clients
# of the others; the built-in hash() of the ip, as a learner would write it
MODULO_HEALTHY = ("        return max(healthy, key=lambda name: _score(ip, name))\n",
                  "        return healthy[hash(ip) % len(healthy)]\n")


@pytest.fixture
def modulo_healthy(tmp_path) -> Path:
    source = (LB / "load_balancer.py").read_text()
    assert MODULO_HEALTHY[0] in source
    path = tmp_path / "modulo" / "load_balancer.py"
    path.parent.mkdir()
    path.write_text(source.replace(*MODULO_HEALTHY))
    return path


def test_compare_shows_a_shrunk_counterexample_of_a_broken_property(kata, tmp_path):
    """The shipped mutant: a stable digest modulo the healthy servers, so the pasted
    counterexample gives in a fresh Python what it gave in compare."""
    workspace = tmp_path / "ws"
    assert kata("start", "load-balancer", "--dir", str(workspace)).returncode == 0
    shutil.copy(mutant_file("ip_hash_remaps_everyone_on_down", tmp_path / "m", "load-balancer",
                            ROOT), workspace / "load_balancer.py")
    done = kata("compare", str(workspace), "--examples", "150", "--seed", "2",
                "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["differential"]["divergence"] is None, "the values are free: no divergence"
    by_contract = {p["contract"]: p for p in report["properties"]}
    assert len(by_contract) == 3
    broken = by_contract[ONLY_THE_DOWN]["counterexample"]
    assert broken is not None, by_contract
    assert re.fullmatch(r"\S+ was on '\w', which stayed up, and moved to '\w' when '\w' went "
                        "down", broken["came_back"]), broken
    assert _replays(broken["code"], workspace), broken["code"]
    assert "lb.mark_down(" in broken["code"]
    # shrunk: no call the property does not need (the three servers, nothing else)
    setup = [line for line in broken["code"].splitlines() if "  # " not in line]
    assert len([line for line in setup if "add_server" in line]) == 3, broken["code"]
    assert len(setup) == 5, broken["code"]
    others = [p for contract, p in by_contract.items() if contract != ONLY_THE_DOWN]
    assert all(p["counterexample"] is None and p["examples"] == 150 for p in others), others

    text = kata("compare", str(workspace), "--examples", "150", "--seed", "2").stdout
    view = text.split("2. Behaviour")[1].split("3. Speed")[0]
    assert f"✗ {ONLY_THE_DOWN}" in view
    assert "    what came back: " + broken["came_back"] in view
    assert "    what the contract says: " + ONLY_THE_DOWN in view
    assert "(replay: --seed 2)" in view


def _replays(code: str, folder: Path) -> bool:
    """Pastes the counterexample into a fresh Python, each call commented with what it
    returned: true when every call returns what its comment says."""
    lines = code.splitlines()
    checked = []
    for line in lines:
        call, _, said = line.partition("  # ")
        checked.append(f"assert repr({call}) == {said!r}, {call!r}" if said else line)
    done = subprocess.run([sys.executable, "-c", "\n".join(checked)], cwd=folder,
                          capture_output=True, text=True, timeout=60)
    return done.returncode == 0 and sum("  # " in line for line in lines) >= 3


CORRECT = [LB / "load_balancer.py", *sorted((LB / "alternatives").glob("*.py"))]


@pytest.mark.parametrize("solution", CORRECT, ids=[p.stem for p in CORRECT])
def test_rendezvous_and_consistent_hashing_keep_every_property(solution):
    kata = Catalog().get("load-balancer")
    reports = properties.check(kata, kata.model, {"load_balancer.py": solution},
                               examples=300, seed=4)
    assert len(reports) == 3
    for report in reports:
        assert report.examples == 300
        assert report.counterexample is None, report.counterexample


def test_the_builtin_hash_modulo_the_healthy_servers_is_caught(modulo_healthy):
    """hash(ip) % len(healthy): its values change with the process, so the pasted code may
    not give the same servers, but within one process the property fails all the same."""
    kata = Catalog().get("load-balancer")
    reports = properties.check(kata, kata.model, {"load_balancer.py": modulo_healthy},
                               examples=300, seed=4)
    assert [r.contract for r in reports if r.counterexample] == [ONLY_THE_DOWN]


UDP = ROOT / "solutions" / "reliable-udp"
UDP_CORRECT = [UDP / "reliable_udp.py", *sorted((UDP / "alternatives").glob("*.py"))]
RTO_RULE = "A packet is retransmitted only after rto without an ack."


@pytest.mark.parametrize("solution", UDP_CORRECT, ids=[p.stem for p in UDP_CORRECT])
def test_a_timer_per_packet_and_one_backing_off_timer_both_keep_the_rto(solution):
    """How many packets go out again after rto is free; the bound rto puts on it is not."""
    kata = Catalog().get("reliable-udp")
    reports = properties.check(kata, kata.model, {"reliable_udp.py": solution},
                               examples=300, seed=4)
    assert [(r.contract, r.examples, r.counterexample) for r in reports] == [
        (RTO_RULE, 300, None)]


@pytest.mark.parametrize("mutant", ["timer_not_restarted", "gbn_one_timer_resends_all"])
def test_a_packet_sent_again_too_soon_is_caught_past_where_the_model_looks(tmp_path, mutant):
    """The model stays under one rto (how much is resent after it is free), so these two
    agree with the reference there; the property sees them resend within rto of a send."""
    kata = Catalog().get("reliable-udp")
    pasted = mutant_file(mutant, tmp_path / "m", "reliable-udp", ROOT)
    reports = properties.check(kata, kata.model, {"reliable_udp.py": pasted},
                               examples=300, seed=4)
    broken = reports[0].counterexample
    assert broken is not None and reports[0].contract == RTO_RULE, reports
    assert re.fullmatch(r"\d+ packet\(s\) went out again in the 5 s up to [\d.]+ s \(counted "
                        r"from the first call above\), when only \d+ message\(s\) had been "
                        r"out for 5 s", broken.came_back), broken.came_back
    folder = tmp_path / "pasted"
    folder.mkdir()
    shutil.copy(pasted, folder / "reliable_udp.py")
    assert _replays(broken.code, folder), broken.code
    assert "now += " in broken.code and "sender.tick()" in broken.code


def test_a_property_with_a_bad_spec_names_the_file_and_the_fix():
    with pytest.raises(CatalogError, match=r"property broken: 'ips' .*one_of") as raised:
        @properties.prop(ips={"one_off": [1]})
        def broken(lb, ips):
            """Says something."""
    assert __file__ in str(raised.value)
    with pytest.raises(CatalogError, match="'docstring' is missing"):
        @properties.prop()
        def silent(lb):
            return None


def test_a_kata_without_properties_checks_none():
    kata = Catalog().get("lru-cache")  # nothing free: the model compares every value
    assert not (kata.solution_path / properties.PROPERTIES_FILE).exists()
    assert properties.load(kata) == []


ADDER_PROPERTIES = '''from harness.properties import prop


@prop(a={"integers": [-5, 5]}, b={"integers": [-5, 5]})
def add_commutes(calc, a, b):
    """add(a, b) equals add(b, a)."""
    if calc.add(a, b) != calc.add(b, a):
        return f"add({a}, {b}) and add({b}, {a}) differ"
    return None


@prop(a={"integers": [-5, 5]})
def sub_of_itself_is_one(calc, a):
    """sub(a, a) is 1."""
    got = calc.sub(a, a)
    return None if got == 1 else f"sub({a}, {a}) returned {got}"
'''


def test_verify_requires_the_reference_to_keep_every_property(kata, tmp_path):
    """A property the reference breaks checks something else than the contract: kata verify
    fails and shows the shrunk calls."""
    from conftest import FIXTURE_CATALOG

    root = tmp_path / "catalog"
    shutil.copytree(FIXTURE_CATALOG, root)
    (root / "solutions/adder/properties.py").write_text(ADDER_PROPERTIES)
    done = kata("verify", "adder", "--catalog", str(root), "--format", "json", "--repeat", "1",
                timeout=600)
    report = json.loads(done.stdout)[0]
    check = next(c for c in report["checks"] if c["name"] == "properties hold")
    assert done.returncode == 1 and not check["ok"], check
    assert "reference, sub(a, a) is 1." in check["detail"]
    assert re.search(r"\nfrom adder import sub\nsub\((-?\d), \1\)  # 0\n  what came back: "
                     r"sub\(\1, \1\) returned 0", check["detail"]), check["detail"]
    assert "add(a, b) equals" not in check["detail"]
    kept = ADDER_PROPERTIES.split('\n\n\n@prop(a={"integers": [-5, 5]})\n')[0]
    (root / "solutions/adder/properties.py").write_text(kept)  # the true property alone
    done = kata("verify", "adder", "--catalog", str(root), "--format", "json", "--repeat", "1",
                timeout=600)
    check = next(c for c in json.loads(done.stdout)[0]["checks"] if c["name"] == "properties hold")
    assert check["ok"] and "keep the 1 contract property on" in check["detail"], check


def test_a_property_never_checked_says_so_instead_of_holding():
    """The stub's constructor raises: no property ran, so none is reported as held."""
    kata = Catalog().get("load-balancer")
    stub = kata.path / "stub" / "load_balancer.py"
    reports = properties.check(kata, kata.model, {"load_balancer.py": stub}, examples=20,
                               seed=1)
    assert [r.unbuilt for r in reports] == [
        "LoadBalancer('ip_hash') raised NotImplementedError"] * 3
    assert all(r.counterexample is None for r in reports)


TINY = ROOT / "solutions" / "tiny-filesystem"
TINY_CORRECT = [TINY / "tiny_fs.py", *sorted((TINY / "alternatives").glob("*.py"))]


@pytest.mark.parametrize("solution", TINY_CORRECT, ids=[p.stem for p in TINY_CORRECT])
def test_every_tiny_filesystem_layout_keeps_the_free_block_properties(solution):
    """A FAT, an inode table with a bitmap, a JSON region: each spends its own number of
    blocks on itself, and each counts free blocks as the contract says."""
    kata = Catalog().get("tiny-filesystem")
    reports = properties.check(kata, kata.model, {"tiny_fs.py": solution},
                               examples=200, seed=4)
    assert len(reports) == 3
    for report in reports:
        assert report.examples == 200
        assert report.counterexample is None, report.counterexample


@pytest.mark.parametrize(("mutant", "broken"), [
    ("delete_keeps_the_blocks", ["a_file_takes_its_blocks_and_deleting_it_gives_them_back",
                                 "replacing_a_file_gives_back_the_blocks_of_its_old_content"]),
    ("replace_leaks_the_old_blocks",
     ["replacing_a_file_gives_back_the_blocks_of_its_old_content"]),
])
def test_a_tiny_filesystem_that_leaks_blocks_breaks_a_property(tmp_path, mutant, broken):
    """Leaked blocks show in free_blocks() long before a write runs out of space: the
    differential view, which cannot compare the count, misses delete_keeps_the_blocks."""
    kata = Catalog().get("tiny-filesystem")
    pasted = mutant_file(mutant, tmp_path / "mutant", "tiny-filesystem", ROOT)
    reports = properties.check(kata, kata.model, {"tiny_fs.py": pasted}, examples=200, seed=4)
    assert [r.name for r in reports if r.counterexample] == broken


# -- every kata with properties: the correct solutions keep them, a wrong one breaks one -------

WITH_PROPERTIES = sorted(p.parent.name for p in (ROOT / "solutions").glob("*/properties.py"))


def _solutions(slug: str) -> list[Path]:
    folder = ROOT / "solutions" / slug
    reference = next(p for p in folder.glob("*.py") if p.name != properties.PROPERTIES_FILE)
    return [reference, *sorted((folder / "alternatives").glob("*.py")),
            *sorted((folder / "alternatives").glob(f"*/{reference.name}"))]


OWN_TESTS = ("load-balancer", "reliable-udp", "tiny-filesystem")  # proven above, at length
CORRECT_ELSEWHERE = [(slug, path) for slug in WITH_PROPERTIES if slug not in OWN_TESTS
                     for path in _solutions(slug)]


@pytest.mark.parametrize(("slug", "solution"), CORRECT_ELSEWHERE,
                         ids=[f"{slug}-{p.stem}" for slug, p in CORRECT_ELSEWHERE])
def test_the_reference_and_every_alternative_keep_every_property(slug, solution):
    kata = Catalog().get(slug)
    reports = properties.check(kata, kata.model, {_solutions(slug)[0].name: solution},
                               examples=100, seed=4)
    assert reports
    for report in reports:
        assert report.examples == 100 and report.unbuilt is None, report
        assert report.counterexample is None, report.counterexample


#: (kata, the correct file it starts from, what it replaces, with what, the property that
#: catches it): mistakes the model cannot see, since it compares only what the catalog fixes
WRONG = [
    # the first ids of a sorted list are the oldest: a feed of the right length, distinct,
    # newest first, but not the newest posts
    ("news-feed", "alternatives/sorted_ids.py", "            return ids[max(0, end - limit):end]\n",
     "            return ids[:min(end, limit)]\n",
     "a_feed_holds_exactly_the_followees_posts_newest_first"),
    # an id from the count of documents: after a delete, the next insert takes a live id
    ("document-store", "document_store.py", "        doc_id = uuid.uuid4().hex\n",
     "        doc_id = str(len(self._docs))\n", "each_document_stays_under_the_id_insert_returned"),
    # the shard's place in the list, not its id
    ("range-sharding", "range_shards.py", "        return self._shards[self._index(key)].id\n",
     "        return self._index(key)\n", "shard_for_names_the_shard_whose_range_holds_the_key"),
    # both halves numbered by the count of shards: an id a live shard holds again
    ("range-sharding", "range_shards.py", "next(self._ids), shard.keys[middle:])",
     "len(self._shards) + 1, shard.keys[middle:])", "ids_are_never_shared_nor_reused"),
    # base64 with its padding, both ways: its own tokens verify, PyJWT's header is not read
    ("signed-tokens", "tokens.py",
     ('.urlsafe_b64encode(data).rstrip(b"=").decode', 'r"[A-Za-z0-9_-]*"'),
     ('.urlsafe_b64encode(data).decode', 'r"[A-Za-z0-9_=-]*"'),
     "issue_makes_a_compact_hs256_jws_of_the_claims"),
    # the header checked as the bytes its own issue writes, not as the JSON it holds
    ("signed-tokens", "tokens.py",
     ('_b64encode(json.dumps(HEADER, separators=(",", ":")).encode())',
      '    header = _json_object(header_segment, "header")\n'
      '    if header.get("alg") != ALGORITHM:'),
     ("_b64encode(json.dumps(HEADER).encode())",
      "    if header_segment != _b64encode(json.dumps(HEADER).encode()):"),
     "verify_reads_the_tokens_pyjwt_writes"),
    # only aliases are checked when an alias is asked for: a generated code is handed over
    ("url-shortener", "url_shortener.py", "        owner = self._urls.get(alias)\n",
     "        owner = None if alias in self._generated.values() else self._urls.get(alias)\n",
     "a_generated_code_is_taken_for_aliases"),
    # rotate moves the session to the new id but leaves the id it carries as it was
    ("session-store", "session_store.py", "replace(session, id=new_id, last_seen=now)",
     "replace(session, last_seen=now)", "a_session_carries_the_id_it_is_under"),
    # rotate forgets to take the old id out of the user's index, and destroy_all counts the
    # index (counting expired sessions is free, counting a rotated-away id is not)
    ("session-store", "alternatives/per_user_index.py",
     ("            record = self._drop(session_id)\n",
      "                record = self._records.pop(session_id)\n"
      "                ended += not self._expired(record, now)\n"),
     ("            record = self._records.pop(session_id)\n",
      "                self._records.pop(session_id, None)\n                ended += 1\n"),
     "destroy_all_counts_every_live_session_of_the_user"),
]


@pytest.mark.parametrize(("slug", "source", "old", "new", "breaks"), WRONG,
                         ids=[w[-1] for w in WRONG])
def test_a_mistake_the_model_cannot_see_breaks_its_property(tmp_path, slug, source, old, new,
                                                            breaks):
    """`old` and `new` are one text, or tuples of texts replaced pairwise."""
    kata = Catalog().get(slug)
    text = (ROOT / "solutions" / slug / source).read_text()
    for before, after in zip(*((o,) if isinstance(o, str) else o for o in (old, new)),
                             strict=True):
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    wrong = tmp_path / _solutions(slug)[0].name
    wrong.write_text(text)
    reports = properties.check(kata, kata.model, {wrong.name: wrong}, examples=300, seed=4)
    assert [r.name for r in reports if r.counterexample] == [breaks]


#: (kata, a shipped mutant the model cannot see, a property that catches it)
MUTANTS = [
    ("consistent-hashing", "get_nodes_repeats_nodes",
     "get_nodes_gives_n_distinct_nodes_the_first_being_get_node"),
    ("consistent-hashing", "modulo_hashing",
     "only_the_keys_of_a_removed_node_move_and_only_to_an_added_one"),
    ("url-shortener", "same_url_new_code", "a_code_leads_back_to_its_url_and_only_to_it"),
    ("url-shortener", "sequential_codes", "generated_codes_are_base62_long_and_not_sequential"),
    ("session-store", "uuid4_ids", "ids_are_url_safe_unguessable_and_never_reused"),
    ("session-store", "short_ids", "ids_are_url_safe_unguessable_and_never_reused"),
]


@pytest.mark.parametrize(("slug", "mutant", "breaks"), MUTANTS, ids=[m[1] for m in MUTANTS])
def test_a_shipped_mutant_the_model_cannot_see_breaks_a_property(tmp_path, slug, mutant,
                                                                 breaks):
    kata = Catalog().get(slug)
    wrong = mutant_file(mutant, tmp_path, slug, ROOT)
    reports = properties.check(kata, kata.model, {wrong.name: wrong}, examples=300, seed=4)
    assert breaks in [r.name for r in reports if r.counterexample], reports
