"""scanned, and secondary indexes: an equality query on an indexed field examines only the
documents with that value, through inserts, updates and deletes."""

import random

import _support
import pytest
from document_store import DocumentStore

from harness.testing import call_each, in_learner

pytestmark = pytest.mark.indexes

CITIES = ["oslo", "lima", "oslo", "rome", "oslo", "lima", "oslo", "rome", "oslo", "lima"]


def city_people():
    """Ten people: 5 in oslo, 3 in lima, 2 in rome."""
    docs = [{"name": f"p{n}", "city": city, "age": 20 + n, "address": {"city": city}}
            for n, city in enumerate(CITIES)]
    store, model = DocumentStore(), _support.Model()
    _support.filled(store, model, docs, call_each)
    return store, model


def find_scanning(store, model, query, what=""):
    """find(query) checked against the model, and what it added to scanned checked
    against the bounds the contract sets."""
    before = store.scanned
    got = store.find(query)
    expected = model.find(query)
    assert _support.same_documents(got, expected), (
        _support.find_message(model, query, got, expected)
        + (f"\n(indexes on {sorted(model.indexed)}{what})" if model.indexed else what))
    grew = store.scanned - before
    least, most = model.scan_bounds(query)
    indexes = f"indexes on {sorted(model.indexed)}" if model.indexed else "no index"
    if least == most:
        should = f"expected {least}"
    else:
        should = f"expected between {least} and {most}"
    assert least <= grew <= most, (
        f"the store holds {len(model.docs)} documents, {indexes}{what}; "
        f"find({query!r}) returned {len(got)} and scanned grew by {grew}, {should}: "
        + ("with no index to use, find() examines every document"
           if not any(path in model.indexed for path in query) else
           "an equality query on an indexed field examines only the documents holding "
           "that value"))
    return got


def indexed(store, model, field):
    store.create_index(field)
    model.indexed.add(field)


def test_a_new_store_has_scanned_nothing():
    got = DocumentStore().scanned
    assert got == 0, f"DocumentStore().scanned is {got!r}, expected 0"


def test_without_an_index_find_examines_every_document():
    store, model = city_people()
    for query in ({"city": "rome"}, {"age": {"$gt": 100}}, {}, {"city": "rome"}):
        find_scanning(store, model, query)
    assert store.scanned == 40, f"4 finds over 10 documents: scanned is {store.scanned}"


def test_get_update_and_delete_examine_nothing():
    store, model = city_people()
    ids = list(model.docs)
    store.get(ids[0])
    store.update(ids[1], {"age": 5})
    store.delete(ids[2])
    assert store.scanned == 0, (
        f"after get(), update() and delete() only: scanned is {store.scanned}, expected 0 "
        "(it counts what find() examines)")


def test_an_index_makes_equality_examine_only_the_matches():
    store, model = city_people()
    indexed(store, model, "city")
    for query in ({"city": "rome"}, {"city": "oslo"}, {"city": "paris"}):
        find_scanning(store, model, query)
    assert store.scanned == 7, (
        f"with an index on 'city', finds of rome (2), oslo (5) and paris (0): scanned is "
        f"{store.scanned}, expected 7")


def test_the_index_narrows_and_the_other_keys_still_filter():
    store, model = city_people()
    indexed(store, model, "city")
    find_scanning(store, model, {"city": "oslo", "age": {"$gt": 24}})
    find_scanning(store, model, {"age": {"$gt": 24}, "city": "lima", "name": "p5"})


def test_a_query_on_another_field_still_scans_everything():
    store, model = city_people()
    indexed(store, model, "city")
    find_scanning(store, model, {"name": "p3"})
    find_scanning(store, model, {"address.city": "rome"})


def test_an_index_on_a_dotted_path():
    store, model = city_people()
    indexed(store, model, "address.city")
    doc = {"name": "x", "address": "rome"}  # not a dict: no address.city
    model.insert(store.insert(doc), doc)
    find_scanning(store, model, {"address.city": "rome"})
    find_scanning(store, model, {"address.city": "lima", "age": {"$lt": 26}})


def test_an_index_made_before_the_documents_covers_them():
    store, model = DocumentStore(), _support.Model()
    indexed(store, model, "city")
    _support.filled(store, model, [{"city": c} for c in CITIES], call_each)
    find_scanning(store, model, {"city": "oslo"})
    find_scanning(store, model, {"city": "rome"})


def test_the_index_follows_updates():
    store, model = city_people()
    indexed(store, model, "city")
    ids = list(model.docs)
    for doc_id in ids[:3]:  # p0 and p2 leave oslo, p1 leaves lima: all for rome
        store.update(doc_id, {"city": "rome"})
        model.update(doc_id, {"city": "rome"})
    store.update(ids[3], {"age": 99})  # rome, a change of another field
    model.update(ids[3], {"age": 99})
    what = " (after updates moved p0, p1 and p2 to rome)"
    for query in ({"city": "rome"}, {"city": "oslo"}, {"city": "lima"}):
        find_scanning(store, model, query, what)


def test_the_dotted_index_follows_an_embedded_document_replaced_whole():
    store, model = city_people()
    indexed(store, model, "address.city")
    ids = list(model.docs)
    store.update(ids[0], {"address": {"city": "rome"}})
    model.update(ids[0], {"address": {"city": "rome"}})
    store.update(ids[1], {"address": {"zip": 3}})  # lima no more, no city at all
    model.update(ids[1], {"address": {"zip": 3}})
    what = " (after updates replaced p0's and p1's address)"
    for query in ({"address.city": "rome"}, {"address.city": "oslo"},
                  {"address.city": "lima"}):
        find_scanning(store, model, query, what)


def test_the_index_follows_deletes():
    store, model = city_people()
    indexed(store, model, "city")
    for doc_id in list(model.docs)[:5]:
        store.delete(doc_id)
        model.delete(doc_id)
    what = " (after deleting p0 to p4)"
    for query in ({"city": "oslo"}, {"city": "lima"}, {"city": "rome"}):
        find_scanning(store, model, query, what)


def test_operators_on_an_indexed_field_give_the_right_documents():
    # whether an index serves them is yours to choose: scanned may grow by anything from
    # the number of matches to the number of documents
    store, model = city_people()
    indexed(store, model, "city")
    indexed(store, model, "age")
    for query in ({"city": {"$in": ["rome", "lima"]}}, {"age": {"$gte": 27}},
                  {"city": {"$ne": "oslo"}}, {"age": {"$lt": 22}, "city": {"$gt": "m"}}):
        find_scanning(store, model, query)


def test_indexed_finds_return_copies():
    store, model = city_people()
    indexed(store, model, "city")
    in_learner("edit_result", store, "find", {"city": "rome"})
    find_scanning(store, model, {"city": "rome"})


@pytest.mark.parametrize("seed", [31, 32, 33, 34, 35])
def test_generated_sequences_keep_indexes_and_scanned_right(seed):
    rng = random.Random(seed)
    store, model = DocumentStore(), _support.Model()
    _support.filled(store, model, [_support.random_doc(rng) for _ in range(8)], call_each)
    fields = list(_support.VALUES)
    for field in rng.sample(fields, 2):
        indexed(store, model, field)
    log = []
    for step in range(40):
        roll = rng.random()
        if roll < 0.2:
            doc = _support.random_doc(rng)
            model.insert(store.insert(doc), doc)
            log.append(f"insert({doc!r})")
        elif roll < 0.35 and model.docs:
            doc_id = rng.choice(list(model.docs))
            changes = _support.random_changes(rng)
            store.update(doc_id, changes)
            model.update(doc_id, changes)
            log.append(f"update({doc_id!r}, {changes!r})")
        elif roll < 0.45 and model.docs:
            doc_id = rng.choice(list(model.docs))
            store.delete(doc_id)
            model.delete(doc_id)
            log.append(f"delete({doc_id!r})")
        elif roll < 0.5 and set(fields) - model.indexed:
            field = rng.choice(sorted(set(fields) - model.indexed))
            indexed(store, model, field)
            log.append(f"create_index({field!r})")
        else:
            query = _support.random_query(rng, operators=rng.random() < 0.4)
            recent = "; ".join(log[-4:]) or "nothing"
            find_scanning(store, model, query,
                          f" (seed {seed}, step {step}; last calls: {recent})")


def test_indexing_a_field_twice_does_nothing():
    store, model = city_people()
    indexed(store, model, "city")
    store.create_index("city")
    find_scanning(store, model, {"city": "lima"}, " (create_index('city') called twice)")
