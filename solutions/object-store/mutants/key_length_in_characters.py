"""Mutant: the 1024 limit counts characters, not UTF-8 bytes."""
from __future__ import annotations

import base64
import bisect
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_SUFFIX = ".obj"


@dataclass
class ObjectInfo:
    key: str
    size: int
    etag: str
    metadata: dict[str, str]


@dataclass
class ListResult:
    keys: list[str]
    common_prefixes: list[str]
    next_token: str | None


class NoSuchBucket(KeyError):
    """The bucket does not exist."""


class NoSuchKey(KeyError):
    """The bucket holds no object under that key."""


def _check_key(key: str) -> bytes:
    if not isinstance(key, str) or not key:
        raise ValueError("a key is a non-empty string")
    encoded = key.encode("utf-8")
    if len(key) > 1024:
        raise ValueError(f"a key is at most 1024 UTF-8 bytes, not {len(encoded)}")
    return encoded


class ObjectStore:
    """Buckets of objects under `root`; a new store on the same root sees the same data."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _bucket(self, name: str) -> Path:
        path = self.root / name
        if not (isinstance(name, str) and _BUCKET.match(name) and path.is_dir()):
            raise NoSuchBucket(name)
        return path

    def _file(self, bucket: str, key: str) -> Path:
        digest = hashlib.sha256(_check_key(key)).hexdigest()
        return self._bucket(bucket) / (digest + _SUFFIX)

    def create_bucket(self, name: str) -> None:
        if not isinstance(name, str) or not _BUCKET.match(name):
            raise ValueError(f"invalid bucket name {name!r}")
        try:
            (self.root / name).mkdir()
        except FileExistsError:
            raise ValueError(f"bucket {name!r} already exists") from None

    def put_object(self, bucket: str, key: str, data: bytes,
                   metadata: dict[str, str] | None = None) -> str:
        target = self._file(bucket, key)
        etag = hashlib.md5(data).hexdigest()
        header = json.dumps({"key": key, "etag": etag, "metadata": dict(metadata or {})})
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".put-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(header.encode("utf-8") + b"\n")
                out.write(data)
                out.flush()
                os.fsync(out.fileno())  # on disk before the rename makes it visible
            os.replace(temporary, target)
        except BaseException:  # pragma: no cover -- runs in the crash test's subprocess
            Path(temporary).unlink(missing_ok=True)
            raise
        return etag

    def _read(self, bucket: str, key: str) -> tuple[bytes, ObjectInfo]:
        path = self._file(bucket, key)
        try:
            with open(path, "rb") as source:
                header = json.loads(source.readline())
                data = source.read()
        except FileNotFoundError:
            raise NoSuchKey(key) from None
        return data, ObjectInfo(header["key"], len(data), header["etag"], header["metadata"])

    def get_object(self, bucket: str, key: str) -> tuple[bytes, ObjectInfo]:
        return self._read(bucket, key)

    def head_object(self, bucket: str, key: str) -> ObjectInfo:
        return self._read(bucket, key)[1]

    def delete_object(self, bucket: str, key: str) -> None:
        self._file(bucket, key).unlink(missing_ok=True)  # a missing key is fine, as in S3

    def _keys(self, bucket: str) -> list[str]:
        keys = []
        for path in self._bucket(bucket).glob("*" + _SUFFIX):
            try:
                with open(path, "rb") as source:
                    keys.append(json.loads(source.readline())["key"])
            except FileNotFoundError:  # pragma: no cover -- deleted while listing
                continue
        return keys

    def list_objects(self, bucket: str, prefix: str = "", delimiter: str | None = None,
                     max_keys: int = 1000, continuation_token: str | None = None) -> ListResult:
        entries: list[tuple[bytes, str, bool]] = []  # (sort key, text, is a common prefix)
        for key in sorted(self._keys(bucket), key=lambda k: k.encode("utf-8")):
            if not key.startswith(prefix):
                continue
            rest = key[len(prefix):]
            if delimiter and delimiter in rest:
                rolled = prefix + rest[:rest.index(delimiter) + len(delimiter)]
                if not entries or entries[-1][1] != rolled:
                    entries.append((rolled.encode("utf-8"), rolled, True))
            else:
                entries.append((key.encode("utf-8"), key, False))
        # A common prefix sorts before every key it rolls up, so entries are in byte order
        # and a page can resume strictly after the last entry it returned.
        start = 0
        if continuation_token:
            after = base64.urlsafe_b64decode(continuation_token.encode("ascii"))
            start = bisect.bisect_right([e[0] for e in entries], after)
        page = entries[start:start + max_keys]
        more = start + max_keys < len(entries)
        token = base64.urlsafe_b64encode(page[-1][0]).decode("ascii") if more and page else None
        return ListResult([text for _, text, rolled in page if not rolled],
                          [text for _, text, rolled in page if rolled], token)
