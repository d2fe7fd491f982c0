"""Taking a submission in: what its owner wrote, copied into a run, and nothing else.

A submission is a folder (or named files) that may hold anything: links to the
installed reference or to a classmate's folder, a link to a folder of the catalog,
`/dev/zero`, FIFOs, a million files. The copy follows no link: a link that stays
inside the submission is copied as the same link, one that leaves it (or leads
nowhere) refuses the submission, naming the file and why; devices, FIFOs and
sockets refuse it too. Every byte that would be copied is counted first, so a
submission over the limit costs nothing but the walk.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

IGNORED = (".kata", ".git", "__pycache__", "*.pyc", ".venv", "venv", "node_modules",
           ".pytest_cache")
MAX_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 10_000


class Refused(Exception):
    """The submission cannot be graded as it is; the message says which file and why."""


@dataclass
class _Plan:
    folders: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (where, relative target)
    size: int = 0


def copy_folder(source: Path, dest: Path, files: dict[str, str] | None = None) -> str:
    """Copies the submission folder `source` to `dest` (which must not exist), or Refused;
    returns the digest of what it copied (see `digest`), and puts each file's sha256 in
    `files` (by relative name)."""
    return _take(source, Path(dest), files)


def combined(parts: list[str]) -> str:
    """One digest for a submission's folder digest and named files (`name:digest`)."""
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def digest(source: Path) -> str | None:
    """What `copy_folder` would return for the folder now, copying nothing (None: it would
    be refused). A batch takes it before any learner code runs: a submission changed
    later (by another submission's code, run without bubblewrap) is refused, not graded."""
    try:
        return _take(source, None)
    except Refused:
        return None


def _take(source: Path, dest: Path | None, files: dict[str, str] | None = None) -> str:
    root = os.path.realpath(source)
    plan = _Plan()
    _walk(root, "", plan)
    if dest is not None:
        os.mkdir(dest)
        for folder in plan.folders:
            os.mkdir(dest / folder)
    hashed = hashlib.sha256()
    for name in plan.files:
        hashed.update(b"F" + os.fsencode(name) + b"\0")
        taken = _copy_file(os.path.join(root, name), dest / name if dest else None)
        hashed.update(taken)
        if files is not None:
            files[name] = taken.hex()
    for where, target in plan.links:
        if dest is not None:
            os.symlink(target, dest / where)
        hashed.update(b"L" + os.fsencode(where) + b"\0" + os.fsencode(target) + b"\0")
    return hashed.hexdigest()


@dataclass
class Packed:
    """A submission folder as data, to travel to another machine (a queue worker): what
    `copy_folder` would copy, and nothing else."""

    folders: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # where -> relative target

    @property
    def size(self) -> int:
        return sum(len(data) for data in self.files.values())


def pack(source: Path) -> Packed:
    """Reads the submission folder `source` as `copy_folder` would copy it (the same
    links followed or refused, the same limits), or Refused."""
    root = os.path.realpath(source)
    plan = _Plan()
    _walk(root, "", plan)
    packed = Packed(folders=list(plan.folders), links=dict(plan.links))
    for name in plan.files:
        packed.files[name] = read_file(Path(root) / name)
    if packed.size > MAX_BYTES:  # grown since the walk counted it
        raise Refused(f"the submission holds more than {MAX_BYTES // 1024 // 1024} MiB of files")
    return packed


def unpack(packed: Packed, dest: Path) -> None:
    """Writes a packed folder out at `dest` (which must not exist). Every name must be a
    plain relative path inside it: a packed folder came over the network."""
    def place(name: str) -> Path:
        parts = Path(name).parts
        if not parts or Path(name).is_absolute() or any(p in ("..", ".") for p in parts) \
                or "\0" in name:
            raise Refused(f"{name!r} is not a path inside the submission")
        return dest.joinpath(*parts)

    os.mkdir(dest)
    for folder in sorted(packed.folders, key=lambda n: len(Path(n).parts)):
        place(folder).mkdir()
    for name, data in packed.files.items():
        path = place(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for name, target in packed.links.items():
        path = place(name)
        resolved = os.path.normpath(os.path.join(os.path.dirname(path), target))
        if os.path.isabs(target) or (resolved != str(dest)
                                     and not resolved.startswith(str(dest) + os.sep)):
            raise Refused(f"{name} is a link to {target}, outside the submission")
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)


def read_file(source: Path) -> bytes:
    """The bytes of one regular file, never through a link, at most MAX_BYTES; or Refused."""
    with _open_regular(source) as reader:
        data = reader.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Refused(f"{source} holds more than {MAX_BYTES // 1024 // 1024} MiB; at most "
                      f"{MAX_BYTES // 1024 // 1024} MiB are graded")
    return data


def copy_file(source: Path, dest: Path | None) -> str:
    """Copies one named file of a submission (with `dest` None: only reads it); a link, a
    device or an oversized file is Refused. Returns the sha256 of its bytes."""
    try:
        info = os.lstat(source)
    except OSError as exc:
        raise Refused(f"{source} cannot be read ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise Refused(f"{source} is a link, not a file: give the file itself")
    if not stat.S_ISREG(info.st_mode):
        raise Refused(f"{source} is {_kind(info.st_mode)}, not a file")
    if info.st_size > MAX_BYTES:
        raise Refused(f"{source} holds {info.st_size // 1024 // 1024} MiB; at most "
                      f"{MAX_BYTES // 1024 // 1024} MiB are graded")
    return _copy_file(str(source), dest).hex()


def _walk(root: str, relative: str, plan: _Plan) -> None:
    folder = os.path.join(root, relative)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise Refused(f"{relative or '.'}/ cannot be read ({exc.strerror})") from None
    for entry in entries:
        if any(fnmatch.fnmatch(entry.name, pattern) for pattern in IGNORED):
            continue
        name = os.path.join(relative, entry.name)
        if len(plan.folders) + len(plan.files) + len(plan.links) >= MAX_ENTRIES:
            raise Refused(f"the submission holds more than {MAX_ENTRIES:,} files and folders")
        info = entry.stat(follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            plan.links.append((name, _inside_target(root, name)))
        elif stat.S_ISDIR(info.st_mode):
            plan.folders.append(name)
            _walk(root, name, plan)
        elif stat.S_ISREG(info.st_mode):
            plan.size += info.st_size
            if plan.size > MAX_BYTES:
                raise Refused(f"the submission holds more than {MAX_BYTES // 1024 // 1024} MiB "
                              f"of files (counted up to {name})")
            plan.files.append(name)
        else:
            raise Refused(f"{name} is {_kind(info.st_mode)}, not a file: remove it")


def _inside_target(root: str, name: str) -> str:
    """The link's target, relative to the link, when it stays inside the submission."""
    path = os.path.join(root, name)
    target = os.readlink(path)
    resolved = os.path.realpath(path)
    if resolved != root and not resolved.startswith(root + os.sep):
        raise Refused(f"{name} is a link to {target}, outside the submission: only what is in "
                      "the submission is graded; copy the file in instead")
    if not os.path.exists(resolved):
        raise Refused(f"{name} is a link to {target}, which does not exist")
    # the folders walked are real ones under root: the copy has them at the same places
    return os.path.relpath(resolved, os.path.dirname(path))


def _copy_file(source: str, dest: Path | None) -> bytes:
    """Copies a regular file's bytes (to `dest`, unless None), refusing to follow a link put
    there since the walk; returns their sha256."""
    with _open_regular(source) as reader:
        hashed = hashlib.sha256()
        with open(dest, "wb") if dest is not None else contextlib.nullcontext() as writer:
            while chunk := reader.read(1 << 20):
                hashed.update(chunk)
                if writer is not None:
                    writer.write(chunk)
    return hashed.digest()


def _open_regular(source: str | Path) -> BinaryIO:
    """A regular file opened for reading, never through a link (nor a FIFO that would
    block the open); or Refused."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(source, flags)
    except OSError as exc:
        raise Refused(f"{source} cannot be read ({exc.strerror})") from None
    reader = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(reader.fileno()).st_mode):
        reader.close()
        raise Refused(f"{source} is not a file")
    return reader


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"
