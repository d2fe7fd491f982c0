"""Examples of what the hidden tests check. Run them with: python -m pytest"""

import pytest
from document_store import DocumentStore


def ids_of(docs):
    return sorted(doc["_id"] for doc in docs)  # find()'s order is free: compare sorted


@pytest.mark.documents
def test_insert_get_update_delete():
    store = DocumentStore()
    doc_id = store.insert({"name": "ann", "address": {"city": "oslo"}})
    assert store.get(doc_id) == {"name": "ann", "address": {"city": "oslo"}, "_id": doc_id}
    store.update(doc_id, {"age": 31})
    assert store.get(doc_id)["age"] == 31 and store.get(doc_id)["name"] == "ann"
    with pytest.raises(KeyError):
        store.update("no-such-id", {"age": 1})
    store.delete(doc_id)
    assert store.get(doc_id) is None


@pytest.mark.documents
def test_returned_documents_are_copies():
    store = DocumentStore()
    doc_id = store.insert({"address": {"city": "oslo"}})
    store.get(doc_id)["address"]["city"] = "changed"
    assert store.get(doc_id)["address"] == {"city": "oslo"}


@pytest.mark.queries
def test_equality_and_dotted_paths():
    store = DocumentStore()
    ann = store.insert({"name": "ann", "address": {"city": "oslo"}})
    bob = store.insert({"name": "bob", "address": {"city": "lima"}})
    store.insert({"name": "cy"})
    got = store.find({"address.city": "oslo"})
    assert ids_of(got) == [ann], f"find({{'address.city': 'oslo'}}) returned {got}: only ann"
    got = store.find({"name": "bob", "address.city": "lima"})
    assert ids_of(got) == [bob], f"find(bob in lima) returned {got}: only bob"
    got = store.find({"name": "bob", "address.city": "oslo"})
    assert got == [], f"find(bob in oslo) returned {got}: the keys are ANDed, no one matches"


@pytest.mark.operators
def test_operators():
    store = DocumentStore()
    young = store.insert({"age": 18})
    old = store.insert({"age": 40})
    nobody = store.insert({"name": "no age"})
    got = store.find({"age": {"$gte": 18, "$lt": 40}})
    assert ids_of(got) == [young], f"find(18 <= age < 40) returned {got}: only age 18"
    got = store.find({"age": {"$in": [40, 50]}})
    assert ids_of(got) == [old], f"find(age in [40, 50]) returned {got}: only age 40"
    got = store.find({"age": {"$ne": 18}})
    assert ids_of(got) == sorted([old, nobody]), (
        f"find(age $ne 18) returned {got}: age 40 and the document with no age (MongoDB's "
        "$ne matches a missing field)")
    with pytest.raises(ValueError):
        store.find({"age": {"$in": 40}})


@pytest.mark.indexes
def test_an_index_makes_find_examine_only_the_matches():
    store = DocumentStore()
    for n in range(10):
        store.insert({"n": n, "city": "oslo" if n < 3 else "lima"})
    store.find({"city": "oslo"})
    assert store.scanned == 10, f"no index, 10 documents: scanned is {store.scanned}, not 10"
    store.create_index("city")
    assert len(store.find({"city": "oslo"})) == 3
    assert store.scanned == 13, (
        f"scanned went from 10 to {store.scanned}; with the index on 'city', find() examines "
        "only the 3 documents in oslo: 13")
