"""A document store that keeps each document as JSON text, as a document database keeps
serialised documents on disk, and decodes it whenever it is read.

Copies come for free: every `get` and `find` decodes a fresh dict, so nothing a caller
gets back is shared with the store, however deep. Each index is two maps kept in step:
id -> the indexed value's key (what the document held when last written) and key -> ids,
so a write moves an id only when its value really changed. A key is the value's JSON
text, the same encoding the documents are stored in.
"""

from __future__ import annotations

import itertools
import json
import operator
from typing import Any

_MISSING = object()  # what a path that does not resolve gives (None is a value)
_RANGES = {"$gt": operator.gt, "$gte": operator.ge, "$lt": operator.lt, "$lte": operator.le}


def _resolve(doc: Any, path: str) -> Any:
    """The value at a dotted path, or _MISSING when a step is absent or not a document."""
    for part in path.split("."):
        if not isinstance(doc, dict) or part not in doc:
            return _MISSING
        doc = doc[part]
    return doc


def _is_operators(condition: Any) -> bool:
    return isinstance(condition, dict) and bool(condition) and all(
        isinstance(key, str) and key.startswith("$") for key in condition)


def _holds(value: Any, condition: Any) -> bool:
    """Whether a field's value (maybe _MISSING) satisfies one key of a query."""
    if not _is_operators(condition):
        return value is not _MISSING and value == condition
    for op, operand in condition.items():
        if op == "$in" and not isinstance(operand, (list, tuple, set, frozenset)):
            raise ValueError(f"$in takes a list of values, not {operand!r}")
    for op, operand in condition.items():
        if op == "$ne":
            ok = value is _MISSING or value != operand
        elif value is _MISSING:
            ok = False
        elif op == "$in":
            ok = any(value == item for item in operand)
        else:
            ok = _RANGES[op](value, operand)
        if not ok:
            return False
    return True


def _key(value: Any) -> str:
    """An index key: the value as JSON text (indexed fields hold scalars)."""
    return json.dumps(value)


class _Index:
    """One field's index: id -> key, and key -> ids, kept in step."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.key_of: dict[str, str] = {}
        self.ids_of: dict[str, set[str]] = {}

    def write(self, doc_id: str, doc: dict | None) -> None:
        """Records what `doc` now holds at the field (None: the document is gone)."""
        value = _MISSING if doc is None else _resolve(doc, self.field)
        new = None if value is _MISSING else _key(value)
        old = self.key_of.get(doc_id)
        if old == new:
            return
        if old is not None:
            bucket = self.ids_of[old]
            bucket.discard(doc_id)
            if not bucket:
                del self.ids_of[old]
            del self.key_of[doc_id]
        if new is not None:
            self.key_of[doc_id] = new
            self.ids_of.setdefault(new, set()).add(doc_id)

    def lookup(self, value: Any) -> set[str]:
        return self.ids_of.get(_key(value), set())


class DocumentStore:
    """Documents as JSON text by id, plus an `_Index` per indexed field."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._indexes: dict[str, _Index] = {}
        self._ids = itertools.count(1)
        self._scanned = 0

    def insert(self, doc: dict) -> str:
        doc_id = f"doc-{next(self._ids)}"
        self._write(doc_id, {**doc, "_id": doc_id})
        return doc_id

    def get(self, doc_id: str) -> dict | None:
        text = self._texts.get(doc_id)
        return None if text is None else json.loads(text)

    def find(self, query: dict) -> list[dict]:
        ids = self._candidates(query)
        self._scanned += len(ids)
        docs = (json.loads(self._texts[doc_id]) for doc_id in ids)
        return [doc for doc in docs
                if all(_holds(_resolve(doc, path), cond) for path, cond in query.items())]

    def update(self, doc_id: str, changes: dict) -> None:
        if doc_id not in self._texts:
            raise KeyError(doc_id)
        doc = json.loads(self._texts[doc_id])
        doc.update(changes)  # shallow merge; encoding it copies the changes
        self._write(doc_id, doc)

    def delete(self, doc_id: str) -> None:
        if self._texts.pop(doc_id, None) is not None:
            for index in self._indexes.values():
                index.write(doc_id, None)

    def create_index(self, field: str) -> None:
        if field in self._indexes:
            return
        index = _Index(field)
        for doc_id, text in self._texts.items():
            index.write(doc_id, json.loads(text))
        self._indexes[field] = index

    @property
    def scanned(self) -> int:
        return self._scanned

    def _write(self, doc_id: str, doc: dict) -> None:
        self._texts[doc_id] = json.dumps(doc)
        for index in self._indexes.values():
            index.write(doc_id, doc)

    def _candidates(self, query: dict) -> list[str]:
        """Ids find() examines: the smallest set an indexed equality gives, else all."""
        served = [self._indexes[path].lookup(cond) for path, cond in query.items()
                  if path in self._indexes and not _is_operators(cond)]
        if served:
            return list(min(served, key=len))
        return list(self._texts)
