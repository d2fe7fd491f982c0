"""A document store: schemaless JSON-like documents, MongoDB-style queries, and secondary
indexes that turn an equality query from a scan of every document into a lookup."""

from __future__ import annotations

import copy
import uuid
from typing import Any

_MISSING = object()  # what a path that does not resolve gives (None is a value)
_COMPARE = {
    "$gt": lambda value, operand: value > operand,
    "$gte": lambda value, operand: value >= operand,
    "$lt": lambda value, operand: value < operand,
    "$lte": lambda value, operand: value <= operand,
}


def _resolve(doc: dict, path: str) -> Any:
    """The value at a dotted path ("address.city"), or _MISSING when a step is absent or
    lands on something that is not a document."""
    value: Any = doc
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _is_operator_expression(condition: Any) -> bool:
    """{"$gt": 3} is a condition; {"city": "Oslo"} is an embedded document to compare."""
    return isinstance(condition, dict) and bool(condition) and all(
        isinstance(key, str) and key.startswith("$") for key in condition)


def _matches_condition(value: Any, condition: Any) -> bool:
    """Whether a field's value (maybe _MISSING) satisfies one key of a query."""
    if not _is_operator_expression(condition):
        return value is not _MISSING and value == condition
    for operator, operand in condition.items():
        if operator == "$ne":
            if value is not _MISSING and value == operand:
                return False  # a missing field is "not equal": MongoDB matches it
        elif operator == "$in":
            if not isinstance(operand, (list, tuple, set)):
                raise ValueError(f"$in needs a list of values, got {operand!r}")
            if value is _MISSING or value not in operand:
                return False
        elif operator in _COMPARE:
            if value is _MISSING or not _COMPARE[operator](value, operand):
                return False
        else:  # pragma: no cover -- the contract leaves unknown operators free
            raise ValueError(f"unknown query operator {operator!r}")
    return True


def _matches(doc: dict, query: dict) -> bool:
    """Every key of the query holds for the document (the keys are ANDed)."""
    return all(_matches_condition(_resolve(doc, path), condition)
               for path, condition in query.items())


class DocumentStore:
    """Documents by id, plus one index per indexed field: value -> set of ids."""

    def __init__(self) -> None:
        self._docs: dict[str, dict] = {}
        self._indexes: dict[str, dict[Any, set[str]]] = {}
        self._scanned = 0

    def insert(self, doc: dict) -> str:
        doc_id = uuid.uuid4().hex
        stored = copy.deepcopy(doc)  # the caller's dict stays theirs, and is not given an _id
        stored["_id"] = doc_id
        self._docs[doc_id] = stored
        self._index_add(doc_id, stored)
        return doc_id

    def get(self, doc_id: str) -> dict | None:
        doc = self._docs.get(doc_id)
        return None if doc is None else copy.deepcopy(doc)

    def find(self, query: dict) -> list[dict]:
        candidates = self._candidates(query)
        self._scanned += len(candidates)
        return [copy.deepcopy(doc) for doc in candidates if _matches(doc, query)]

    def update(self, doc_id: str, changes: dict) -> None:
        if doc_id not in self._docs:
            raise KeyError(doc_id)
        doc = self._docs[doc_id]
        self._index_remove(doc_id, doc)
        doc.update(copy.deepcopy(changes))  # shallow merge: top-level keys replace
        self._index_add(doc_id, doc)

    def delete(self, doc_id: str) -> None:
        doc = self._docs.pop(doc_id, None)
        if doc is not None:  # pragma: no branch -- deleting an unknown id is left free
            self._index_remove(doc_id, doc)

    def create_index(self, field: str) -> None:
        if field in self._indexes:
            return
        new = {field: {}}
        for doc_id, doc in self._docs.items():
            self._index_add(doc_id, doc, new)
        self._indexes.update(new)

    @property
    def scanned(self) -> int:
        return self._scanned

    def _candidates(self, query: dict) -> list[dict]:
        """The documents find() must examine: those an index gives for the first indexed
        field the query tests for equality, else every document."""
        for path, condition in query.items():
            if path in self._indexes and not _is_operator_expression(condition):
                ids = self._indexes[path].get(condition, ())
                return [self._docs[doc_id] for doc_id in ids]
        return list(self._docs.values())

    def _index_add(self, doc_id: str, doc: dict, indexes: dict | None = None) -> None:
        """Adds the document to `indexes` (every index of the store by default)."""
        for field, index in (self._indexes if indexes is None else indexes).items():
            value = _resolve(doc, field)
            if value is not _MISSING:
                index.setdefault(value, set()).add(doc_id)

    def _index_remove(self, doc_id: str, doc: dict) -> None:
        for field, index in self._indexes.items():
            value = _resolve(doc, field)
            if value is _MISSING:
                continue
            ids = index[value]
            ids.discard(doc_id)
            if not ids:
                del index[value]
