"""insert, get, update, delete: ids, the "_id" field, shallow merges and copies out."""

import pytest
from document_store import DocumentStore

from harness.testing import call_each, in_learner

pytestmark = pytest.mark.documents


def test_insert_returns_a_new_str_id_each_time():
    store = DocumentStore()
    ids = call_each(store, "insert", [({"n": n},) for n in range(30)])
    assert all(isinstance(doc_id, str) for doc_id in ids), (
        f"insert() returned {ids[:3]}...: ids are str")
    assert len(set(ids)) == 30, f"30 inserts returned {len(set(ids))} distinct ids: {ids}"
    again = store.insert({"n": 0})
    assert again not in ids, f"a 31st insert returned {again!r}, an id already given out"


def test_get_returns_the_document_with_its_id():
    store = DocumentStore()
    doc = {"name": "ann", "age": 31, "address": {"city": "oslo", "geo": {"lat": 59}},
           "tags": ["a", "b"]}
    doc_id = store.insert(doc)
    got = store.get(doc_id)
    assert got == {**doc, "_id": doc_id}, (
        f"insert({doc!r}) returned {doc_id!r}; get() of it returned {got!r}, expected the "
        "document with an '_id' field holding its id")


def test_get_of_an_unknown_id_is_none():
    store = DocumentStore()
    store.insert({"name": "ann"})
    got = store.get("no-such-id")
    assert got is None, f"get('no-such-id') returned {got!r}, expected None"


def test_documents_are_kept_apart():
    store = DocumentStore()
    docs = [{"name": "ann"}, {"name": "bob", "age": 3}, {}]
    ids = [store.insert(doc) for doc in docs]
    got = [store.get(doc_id) for doc_id in ids]
    expected = [{**doc, "_id": doc_id} for doc, doc_id in zip(docs, ids, strict=True)]
    assert got == expected, f"inserted {docs}; get() of each id gave {got}, expected {expected}"


def test_update_merges_the_top_level_keys():
    store = DocumentStore()
    doc_id = store.insert({"name": "ann", "age": 31, "address": {"city": "oslo", "zip": 1}})
    store.update(doc_id, {"age": 32, "email": "ann@x", "address": {"city": "lima"}})
    got = store.get(doc_id)
    expected = {"name": "ann", "age": 32, "address": {"city": "lima"}, "email": "ann@x",
                "_id": doc_id}
    assert got == expected, (
        "insert({'name': 'ann', 'age': 31, 'address': {'city': 'oslo', 'zip': 1}}), then "
        "update(id, {'age': 32, 'email': 'ann@x', 'address': {'city': 'lima'}}): get() "
        f"returned {got!r}, expected {expected!r} (a shallow merge: keys not in the changes "
        "stay, an embedded document given is replaced whole)")


def test_update_leaves_other_documents_alone():
    store = DocumentStore()
    first = store.insert({"name": "ann", "age": 1})
    second = store.insert({"name": "bob", "age": 2})
    store.update(first, {"age": 5})
    got = store.get(second)
    assert got == {"name": "bob", "age": 2, "_id": second}, (
        f"update() of another document changed this one: get() returned {got!r}")


def test_update_of_an_unknown_id_raises_key_error():
    store = DocumentStore()
    store.insert({"name": "ann"})
    with pytest.raises(KeyError):
        store.update("no-such-id", {"name": "x"})
    doc_id = store.insert({"name": "bob"})
    store.delete(doc_id)
    with pytest.raises(KeyError):
        store.update(doc_id, {"name": "x"})
    assert store.get(doc_id) is None, (
        "update() of a deleted id must raise KeyError and not bring the document back; "
        f"get() now returns {store.get(doc_id)!r}")


def test_delete_removes_only_that_document():
    store = DocumentStore()
    keep = store.insert({"name": "ann"})
    gone = store.insert({"name": "bob"})
    store.delete(gone)
    got = (store.get(gone), store.get(keep))
    assert got == (None, {"name": "ann", "_id": keep}), (
        f"after delete() of bob's id: get(bob's id), get(ann's id) returned {got}")


def test_changing_what_get_returned_does_not_change_the_store():
    store = DocumentStore()
    doc = {"name": "ann", "address": {"city": "oslo", "geo": {"lat": 59}}, "tags": ["a"]}
    doc_id = store.insert(doc)
    # The edit is made where your code runs: what crosses to the tests is always a copy.
    # It sets a key in the document and in every dict inside it, and appends to its lists.
    in_learner("edit_result", store, "get", doc_id)
    got = store.get(doc_id)
    assert got == {**doc, "_id": doc_id}, (
        f"after a caller edited the dict get() returned, the store holds {got!r}; expected "
        f"{ {**doc, '_id': doc_id}!r}: return a deep copy (copy.deepcopy), not the stored "
        "dict nor a shallow copy sharing its embedded documents and lists")
