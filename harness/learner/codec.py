"""The plain data a message carries, tagged so that every type comes back exactly:

    None, bool, int, str     as themselves      float   itself, or ["f", "nan"]
    list  ["l", ...]   tuple ["t", ...]   set ["s", ...]   frozenset ["z", ...]
    dict  ["d", k1, v1, k2, v2, ...]      bytes ["b", base64]     path ["p", str]
    datetime ["T", isoformat, zone key or None, fold]   (naive, fixed offset or ZoneInfo)

Anything else a side holds crosses as a handle it keeps (`["H", id, info]`); a handle
sent back is `["R", id]`. What each side does with handles, dataclasses and
exceptions is its own (`Codec` subclasses); this module decodes nothing beyond the
tags above, refuses anything malformed with ProtocolError, and imports only the
standard library.
"""

from __future__ import annotations

import base64
import datetime
import itertools
import math
import pathlib
import threading
from typing import Any

from harness.learner.protocol import ProtocolError

MAX_DEPTH = 200
#: what a handle names as its class when it is an iterator of no class of the stub's (a
#: generator, a map object): the other side steps it with next(), one call each
ITERATOR = "<iterator>"
_TAGS: dict[type, str] = {list: "l", tuple: "t", set: "s", frozenset: "z"}


class Unsupported(Exception):
    """A value that cannot cross as plain data; carries its type's name."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class Codec:
    """Encodes and decodes plain data; subclasses add handles, dataclasses and exceptions."""

    def __init__(self) -> None:
        self._exported: dict[int, Any] = {}
        self._ids: dict[int, int] = {}
        self._next = itertools.count(1)
        self._lock = threading.Lock()

    # objects this side keeps for the other side to call
    def export(self, obj: Any) -> int:
        with self._lock:
            key = self._ids.get(id(obj))
            if key is None:
                key = next(self._next)
                self._ids[id(obj)] = key
                self._exported[key] = obj
            return key

    def exported(self, key: Any) -> Any:
        if type(key) is not int or key not in self._exported:
            raise ProtocolError(f"no object with handle {key!r}")
        return self._exported[key]

    def encode(self, value: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise Unsupported("a value nested more than 200 deep")
        kind = type(value)
        if value is None or kind is bool or kind is str:
            return value
        if kind is int:
            return value if abs(value) < 1 << 1000 else ["i", format(value, "x")]
        if kind is float:
            return value if math.isfinite(value) else ["f", repr(value)]
        if kind is list or kind is tuple or kind is set or kind is frozenset:
            tag = _TAGS[kind]
            return [tag, *(self.encode(item, depth + 1) for item in value)]
        if kind is dict:
            flat: list = ["d"]
            for key, item in value.items():
                flat.append(self.encode(key, depth + 1))
                flat.append(self.encode(item, depth + 1))
            return flat
        if kind is bytes:
            return ["b", base64.b64encode(value).decode("ascii")]
        if kind is pathlib.PosixPath or kind is pathlib.PurePosixPath:
            return ["p", str(value)]
        if kind is datetime.datetime:
            return _encode_datetime(value)
        return self.encode_other(value, depth)

    def encode_other(self, value: Any, depth: int) -> Any:
        raise Unsupported(type(value).__name__)

    def decode(self, data: Any, depth: int = 0) -> Any:
        kind = type(data)
        if data is None or kind is bool or kind is str or kind is int or kind is float:
            return data
        if depth > MAX_DEPTH:
            raise ProtocolError("a value is nested too deep")
        if kind is not list or not data or type(data[0]) is not str:
            raise ProtocolError(f"not a tagged value: {str(data)[:80]}")
        tag, items = data[0], data[1:]
        if tag == "l":
            return [self.decode(item, depth + 1) for item in items]
        if tag == "t":
            return tuple(self.decode(item, depth + 1) for item in items)
        if tag in ("s", "z"):
            members = [self.decode(item, depth + 1) for item in items]
            try:
                return set(members) if tag == "s" else frozenset(members)
            except TypeError:
                raise ProtocolError("a set holds a value that cannot be hashed") from None
        if tag == "d":
            if len(items) % 2:
                raise ProtocolError("a dict with an odd number of items")
            result = {}
            for index in range(0, len(items), 2):
                key = self.decode(items[index], depth + 1)
                try:
                    result[key] = self.decode(items[index + 1], depth + 1)
                except TypeError:
                    raise ProtocolError("a dict key that cannot be hashed") from None
            return result
        if tag == "b" and len(items) == 1 and type(items[0]) is str:
            try:
                return base64.b64decode(items[0], validate=True)
            except ValueError:
                raise ProtocolError("bytes that are not base64") from None
        if tag == "p" and len(items) == 1 and type(items[0]) is str:
            return pathlib.Path(items[0])
        if tag == "T":
            return _decode_datetime(items)
        if tag == "f" and items in (["nan"], ["inf"], ["-inf"]):
            return float(items[0])
        if tag == "i" and len(items) == 1 and type(items[0]) is str and len(items[0]) < 10_000:
            try:
                return int(items[0], 16)
            except ValueError:
                raise ProtocolError("a malformed large integer") from None
        return self.decode_other(tag, items, depth)

    def decode_other(self, tag: str, items: list, depth: int) -> Any:
        raise ProtocolError(f"unknown tag {tag!r}")

    def encode_args(self, args: tuple, kwargs: dict) -> dict:
        return {"a": [self.encode(a) for a in args],
                "w": {str(k): self.encode(v) for k, v in kwargs.items()}}

    def decode_args(self, message: dict) -> tuple[list, dict]:
        args, kwargs = message.get("a", []), message.get("w", {})
        if type(args) is not list or type(kwargs) is not dict:
            raise ProtocolError("malformed arguments")
        return ([self.decode(a) for a in args],
                {str(k): self.decode(v) for k, v in kwargs.items()})


def _encode_datetime(value: datetime.datetime) -> list:
    """A datetime by value, so that the learner's code gets a real one (backup-retention
    compares, hashes and buckets them): naive, a fixed offset (`timezone`) or a ZoneInfo,
    which crosses by its key; any other tzinfo cannot be rebuilt on the other side."""
    zone = value.tzinfo
    if zone is None or type(zone) is datetime.timezone:
        return ["T", value.isoformat(), None, value.fold]
    key = getattr(zone, "key", None)
    if type(zone).__module__ == "zoneinfo" and type(key) is str:
        return ["T", value.replace(tzinfo=None).isoformat(), key, value.fold]
    raise Unsupported(f"datetime with tzinfo {type(zone).__name__}")


def _decode_datetime(items: list) -> datetime.datetime:
    if len(items) != 3 or type(items[0]) is not str or items[2] not in (0, 1) \
            or not (items[1] is None or type(items[1]) is str):
        raise ProtocolError("a malformed datetime")
    try:
        value = datetime.datetime.fromisoformat(items[0])
        if items[1] is not None:
            if value.tzinfo is not None:
                raise ValueError("a zone key on a datetime with an offset")
            import zoneinfo  # only when a zone crosses: most sessions never need it
            value = value.replace(tzinfo=zoneinfo.ZoneInfo(items[1]))
    except (ValueError, OSError, LookupError):
        raise ProtocolError("a malformed datetime") from None
    return value.replace(fold=int(items[2]))
