"""An S3-like object store on a local folder.

Fill in every method marked TODO; the docstrings are the contract.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


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
    """The bucket does not exist (raised by every call that names it)."""


class NoSuchKey(KeyError):
    """The bucket holds no object under that key."""


class ObjectStore:
    """Buckets of objects kept under `root`; a new ObjectStore on the same root sees the same
    objects and metadata."""

    def __init__(self, root: str | os.PathLike) -> None:
        # TODO
        raise NotImplementedError

    def create_bucket(self, name: str) -> None:
        """S3's naming rules: 3-63 characters of a-z 0-9 . -, starting and ending with a
        letter or digit (else ValueError); an existing bucket: ValueError."""
        # TODO
        raise NotImplementedError

    def put_object(self, bucket: str, key: str, data: bytes,
                   metadata: dict[str, str] | None = None) -> str:
        """Stores data under key and returns its etag (the hex MD5 of the data).

        A key is any non-empty string of at most 1024 UTF-8 bytes (else ValueError), `/`,
        `..`, spaces and unicode included: nothing may ever be written outside root. The put
        replaces the object atomically: a reader never sees a partly written object, and a
        crash in the middle leaves the old version."""
        # TODO
        raise NotImplementedError

    def get_object(self, bucket: str, key: str) -> tuple[bytes, ObjectInfo]:
        """The data and its info; a missing key raises NoSuchKey."""
        # TODO
        raise NotImplementedError

    def head_object(self, bucket: str, key: str) -> ObjectInfo:
        """The info without the data; a missing key raises NoSuchKey."""
        # TODO
        raise NotImplementedError

    def delete_object(self, bucket: str, key: str) -> None:
        """Deletes the object; a missing key is not an error."""
        # TODO
        raise NotImplementedError

    def list_objects(self, bucket: str, prefix: str = "", delimiter: str | None = None,
                     max_keys: int = 1000, continuation_token: str | None = None) -> ListResult:
        """Keys starting with prefix, in UTF-8 byte order.

        With a delimiter, a key whose rest after the prefix contains it is rolled up into
        prefix + that rest up to and including the first delimiter (a common prefix). At most
        max_keys entries per page (a common prefix counts as one); next_token resumes after
        the page and is None on the last one; pages together hold each key and each common
        prefix exactly once."""
        # TODO
        raise NotImplementedError
