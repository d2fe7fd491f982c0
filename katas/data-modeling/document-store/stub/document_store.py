"""A document store: JSON-like documents, MongoDB-style queries, secondary indexes.

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.

Queries, as MongoDB writes them (`find`):

- `{"name": "Ann"}`: equality. A document without the field never matches.
- `{"address.city": "Oslo"}`: a dotted path walks into embedded documents (dicts). A path
  that runs into something that is not a dict (`"address": "Oslo"`) names a missing field.
- `{"address": {"city": "Oslo", "zip": 1}}`: a dict whose keys do not start with `$` is a
  value, compared whole (equality of the embedded document).
- `{"age": {"$gte": 18, "$lt": 65}}`: operators `$gt $gte $lt $lte $in $ne`; several
  operators on one field are ANDed.
- Several keys in one query are ANDed: `{"city": "Oslo", "age": {"$gt": 30}}`.
- `$gt $gte $lt $lte $in` never match a document missing the field. `$ne` does (as in
  MongoDB: a document without an "age" has no age equal to 3).
- `$in` takes a list of values; anything else (a str, a number) raises ValueError, as
  MongoDB refuses it: a string is not a list of its letters.
- `{}` matches every document.

Left to you (the tests never do these): the format of an id; the order of find()'s
results; comparing values of different types (an operator's operand always has the type
of the field's values); paths through lists; unknown operators; equality with None;
deleting an id that is not there; an "_id" inside an inserted document or in `changes`;
an index on a field holding lists or dicts (indexed fields hold str, int, float or bool
values, or are missing); whether operators on an indexed field use the index.
"""

from __future__ import annotations


class DocumentStore:
    """Documents by id, queried by content, with optional indexes on fields."""

    def __init__(self) -> None:
        """An empty store, without indexes; `scanned` starts at 0."""
        # TODO: where the documents live, the indexes, the counter
        raise NotImplementedError

    def insert(self, doc: dict) -> str:
        """Stores a copy of `doc` under a new id and returns the id (a str, never used
        before by this store). The stored document gets an "_id" field holding its id.
        Keep a copy: the caller may go on changing its own dict."""
        # TODO: make an id, store a (deep) copy with its "_id", keep every index current
        raise NotImplementedError

    def get(self, doc_id: str) -> dict | None:
        """A copy of the document with this id (with its "_id"), or None if there is none.
        Changing the copy, however deep, does not change the store."""
        # TODO
        raise NotImplementedError

    def find(self, query: dict) -> list[dict]:
        """Copies of every document that matches `query` (see the module docstring), in
        any order. Adds to `scanned` the number of documents examined: every document,
        unless an index answers part of the query (see `create_index`)."""
        # TODO: pick the candidates (an index, or all), count them, keep those that match
        raise NotImplementedError

    def update(self, doc_id: str, changes: dict) -> None:
        """Shallow merge: every top-level key of `changes` replaces (or adds) that key of
        the document; the other keys stay. A key whose value is an embedded document is
        replaced whole, not merged. An unknown id raises KeyError. Indexes follow."""
        # TODO
        raise NotImplementedError

    def delete(self, doc_id: str) -> None:
        """Removes the document with this id (and it leaves every index)."""
        # TODO
        raise NotImplementedError

    def create_index(self, field: str) -> None:
        """Indexes `field` (a dotted path is fine: "address.city"), including the documents
        already stored. From then on, a find() whose query tests `field` for equality
        examines only the documents with that value: `scanned` grows by their number, not
        by the size of the store. The index stays correct through insert, update and
        delete. Indexing a field already indexed does nothing (as in MongoDB)."""
        # TODO: map each value of the field to the ids of the documents holding it
        raise NotImplementedError

    @property
    def scanned(self) -> int:
        """How many documents find() has examined since the store was made (get, update
        and delete examine none)."""
        # TODO
        raise NotImplementedError

