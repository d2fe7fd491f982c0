"""find() with equality: several keys ANDed, dotted paths into embedded documents."""

import random

import _support
import pytest
from document_store import DocumentStore

from harness.testing import call_each, in_learner

pytestmark = pytest.mark.queries

PEOPLE = [
    {"name": "ann", "age": 31, "address": {"city": "oslo", "zip": 1}},
    {"name": "bob", "age": 25, "address": {"city": "lima", "zip": 2}},
    {"name": "cy", "age": 31, "address": {"city": "oslo", "zip": 3}},
    {"name": "dee", "age": 40},
    {"name": "eve", "address": "oslo"},
]


def people():
    store, model = DocumentStore(), _support.Model()
    _support.filled(store, model, PEOPLE, call_each)
    return store, model


@pytest.mark.parametrize("query", [
    {"name": "bob"},
    {"age": 31},
    {"name": "nobody"},
    {"age": 31, "name": "cy"},
    {"age": 31, "name": "bob"},
    {},
], ids=["one-key", "two-match", "no-match", "and", "and-no-match", "empty-query"])
def test_equality_and_keys_anded(query):
    store, model = people()
    _support.check_finds(store, model, [query], call_each)


@pytest.mark.parametrize("query", [
    {"address.city": "oslo"},
    {"address.zip": 2},
    {"address.city": "oslo", "age": 31},
    {"address.city": "paris"},
], ids=["city", "zip", "and-age", "no-match"])
def test_dotted_paths_walk_into_embedded_documents(query):
    # eve's address is the string "oslo": "address.city" runs into a non-dict, so for
    # her the field is missing (no match, and no error)
    store, model = people()
    _support.check_finds(store, model, [query], call_each)


def test_a_missing_field_never_equals():
    store, model = people()
    _support.check_finds(store, model, [{"age": 40}, {"address.zip": 1}, {"email": "x"},
                                        {"address.city.street": "x"}], call_each)


def test_an_embedded_document_is_compared_whole():
    store, model = people()
    _support.check_finds(store, model, [{"address": {"city": "oslo", "zip": 1}},
                                        {"address": {"city": "oslo"}},
                                        {"address": "oslo"}], call_each)


def test_find_by_id():
    store, model = people()
    some = next(iter(model.docs))
    _support.check_finds(store, model, [{"_id": some}], call_each)


def test_find_sees_updates_and_deletes():
    store, model = people()
    ids = list(model.docs)
    store.update(ids[0], {"age": 25, "address": {"city": "lima"}})
    model.update(ids[0], {"age": 25, "address": {"city": "lima"}})
    store.delete(ids[1])
    model.delete(ids[1])
    _support.check_finds(store, model, [{"age": 25}, {"address.city": "lima"},
                                        {"address.city": "oslo"}, {"name": "bob"}], call_each)


def test_changing_what_find_returned_does_not_change_the_store():
    store, model = people()
    in_learner("edit_result", store, "find", {"address.city": "oslo"})
    _support.check_finds(store, model, [{}], call_each)


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_generated_equality_queries_agree_with_the_model(seed):
    rng = random.Random(seed)
    store, model = DocumentStore(), _support.Model()
    _support.filled(store, model, [_support.random_doc(rng) for _ in range(14)], call_each)
    queries = [_support.random_query(rng, operators=False) for _ in range(40)]
    _support.check_finds(store, model, queries, call_each)
