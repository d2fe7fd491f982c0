"""$gt $gte $lt $lte $in $ne, several on one field, on missing fields."""

import random

import _support
import pytest
from document_store import DocumentStore

from harness.testing import call_each

pytestmark = pytest.mark.operators

PEOPLE = [
    {"name": "ann", "age": 18, "address": {"city": "oslo"}},
    {"name": "bob", "age": 25, "address": {"city": "lima"}},
    {"name": "cy", "age": 31},
    {"name": "dee", "address": {"zip": 2}},
    {"age": 40, "address": "rome"},
]


def people():
    store, model = DocumentStore(), _support.Model()
    _support.filled(store, model, PEOPLE, call_each)
    return store, model


@pytest.mark.parametrize("query", [
    {"age": {"$gt": 25}}, {"age": {"$gte": 25}}, {"age": {"$lt": 25}}, {"age": {"$lte": 25}},
    {"age": {"$gt": 40}}, {"age": {"$gte": 40}}, {"age": {"$lt": 18}}, {"age": {"$lte": 18}},
], ids=["gt", "gte", "lt", "lte", "gt-top", "gte-top", "lt-bottom", "lte-bottom"])
def test_comparisons_and_their_bounds(query):
    store, model = people()
    _support.check_finds(store, model, [query], call_each)


def test_strings_compare_in_order():
    store, model = people()
    _support.check_finds(store, model, [{"name": {"$gt": "bob"}}, {"name": {"$lte": "b"}},
                                        {"address.city": {"$lt": "m"}}], call_each)


def test_several_operators_on_one_field_are_anded():
    store, model = people()
    _support.check_finds(store, model, [{"age": {"$gte": 20, "$lt": 35}},
                                        {"age": {"$gt": 18, "$ne": 31}},
                                        {"age": {"$gt": 30, "$lt": 20}}], call_each)


def test_operators_and_equality_in_one_query_are_anded():
    store, model = people()
    _support.check_finds(store, model, [{"age": {"$gt": 20}, "name": "cy"},
                                        {"age": {"$lt": 30}, "address.city": "lima"}],
                         call_each)


def test_in_matches_any_value_of_the_list():
    store, model = people()
    _support.check_finds(store, model, [{"name": {"$in": ["ann", "cy", "zed"]}},
                                        {"age": {"$in": [25]}},
                                        {"address.city": {"$in": ["lima", "rome"]}},
                                        {"name": {"$in": []}}], call_each)


def test_in_needs_a_list():
    store, _ = people()
    for operand in ("ann", 25):
        query = {"name" if operand == "ann" else "age": {"$in": operand}}
        with pytest.raises(ValueError):
            got = store.find(query)
            pytest.fail(f"find({query!r}) returned {got!r}; expected ValueError: $in takes "
                        "a list (a string is not a list of its letters)")


def test_ne_matches_documents_missing_the_field():
    # MongoDB: {"age": {"$ne": 25}} matches every document whose age is not 25,
    # including those that have no age at all.
    store, model = people()
    _support.check_finds(store, model, [{"age": {"$ne": 25}},
                                        {"address.city": {"$ne": "oslo"}},
                                        {"email": {"$ne": "x"}}], call_each)


def test_comparisons_never_match_a_missing_field():
    store, model = people()
    _support.check_finds(store, model, [{"age": {"$lt": 100}}, {"age": {"$gte": 0}},
                                        {"address.city": {"$gt": ""}},
                                        {"address.zip": {"$lte": 5}},
                                        {"email": {"$in": ["x"]}}], call_each)


@pytest.mark.parametrize("seed", [21, 22, 23, 24])
def test_generated_operator_queries_agree_with_the_model(seed):
    rng = random.Random(seed)
    store, model = DocumentStore(), _support.Model()
    _support.filled(store, model, [_support.random_doc(rng) for _ in range(14)], call_each)
    queries = [_support.random_query(rng, operators=True) for _ in range(50)]
    _support.check_finds(store, model, queries, call_each)
