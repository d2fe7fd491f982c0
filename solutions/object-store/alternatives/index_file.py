"""A correct alternative: objects in numbered files, a JSON index per bucket replaced atomically."""

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass
class ObjectInfo:
    key: str
    size: int
    etag: str
    metadata: dict


@dataclass
class ListResult:
    keys: list
    common_prefixes: list
    next_token: object


class NoSuchBucket(KeyError):
    pass


class NoSuchKey(KeyError):
    pass


def _atomic(path, data):
    tmp = path.with_name(path.name + ".tmp-%d" % os.getpid())
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class ObjectStore:
    def __init__(self, root):
        self.root = Path(root)
        os.makedirs(self.root, exist_ok=True)

    def _index(self, bucket):
        if not re.fullmatch(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]", bucket or "x"):
            raise NoSuchBucket(bucket)
        path = self.root / bucket / "index.json"
        if not path.exists():
            raise NoSuchBucket(bucket)
        return path, json.loads(path.read_text())

    def create_bucket(self, name):
        if not re.fullmatch(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]", name):
            raise ValueError(name)
        if (self.root / name).exists():
            raise ValueError(name)
        (self.root / name).mkdir()
        _atomic(self.root / name / "index.json", b'{"next": 0, "objects": {}}')

    def put_object(self, bucket, key, data, metadata=None):
        if not key or len(key.encode()) > 1024:
            raise ValueError(key)
        path, index = self._index(bucket)
        number = index["next"]
        blob = self.root / bucket / f"{number}.blob"
        _atomic(blob, data)  # a new file: the old object stays until the index moves
        old = index["objects"].get(key)
        etag = hashlib.md5(data).hexdigest()
        index["next"] = number + 1
        index["objects"][key] = {"blob": blob.name, "etag": etag, "size": len(data),
                                 "meta": dict(metadata or {})}
        _atomic(path, json.dumps(index).encode())
        if old:
            (self.root / bucket / old["blob"]).unlink(missing_ok=True)
        return etag

    def _entry(self, bucket, key):
        _, index = self._index(bucket)
        if key not in index["objects"]:
            raise NoSuchKey(key)
        return index["objects"][key]

    def get_object(self, bucket, key):
        entry = self._entry(bucket, key)
        data = (self.root / bucket / entry["blob"]).read_bytes()
        return data, ObjectInfo(key, entry["size"], entry["etag"], dict(entry["meta"]))

    def head_object(self, bucket, key):
        entry = self._entry(bucket, key)
        return ObjectInfo(key, entry["size"], entry["etag"], dict(entry["meta"]))

    def delete_object(self, bucket, key):
        path, index = self._index(bucket)
        entry = index["objects"].pop(key, None)
        if entry:
            _atomic(path, json.dumps(index).encode())
            (self.root / bucket / entry["blob"]).unlink(missing_ok=True)

    def list_objects(self, bucket, prefix="", delimiter=None, max_keys=1000,
                     continuation_token=None):
        _, index = self._index(bucket)
        entries = []
        for key in sorted(index["objects"], key=lambda k: k.encode()):
            if not key.startswith(prefix):
                continue
            cut = key.find(delimiter, len(prefix)) if delimiter else -1
            item = (key[:cut + len(delimiter)], True) if cut >= 0 else (key, False)
            if item not in entries:
                entries.append(item)
        start = int(continuation_token) if continuation_token else 0
        page = entries[start:start + max_keys]
        token = str(start + max_keys) if start + max_keys < len(entries) else None
        return ListResult([e for e, p in page if not p], [e for e, p in page if p], token)
