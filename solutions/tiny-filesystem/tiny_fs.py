"""A tiny file system on a fixed-size block device: files, a directory and a free-block
map, all kept in the device's blocks.

Fill in every method of TinyFS marked TODO (BlockDevice is given: use it as it is).
`kata check` tells you which task to work on next; `kata hint` helps when you are stuck.
The docstrings are the contract.

Your file system must hold at least 16 files with names of up to 32 UTF-8 bytes on any
device of 32 to 1024 blocks of 128 to 4096 bytes. The tests may hand it a device of
their own with the same methods and attributes as BlockDevice.
"""

from __future__ import annotations

import os
import struct


class NoSpace(Exception):
    """A write needs more blocks than are free (or the directory is full)."""


class BlockDevice:
    """Given, do not change: `blocks` blocks of `block_size` bytes each, in a file at
    `path` (created full of zero bytes if it does not exist)."""

    def __init__(self, path: str | os.PathLike, block_size: int = 512, blocks: int = 128) -> None:
        self.path, self.block_size, self.blocks = os.fspath(path), block_size, blocks
        if not os.path.exists(self.path):
            with open(self.path, "wb") as handle:
                handle.write(bytes(block_size * blocks))

    def read_block(self, index: int) -> bytes:
        """The `block_size` bytes of block `index` (0 <= index < blocks)."""
        self._check(index)
        with open(self.path, "rb") as handle:
            handle.seek(index * self.block_size)
            return handle.read(self.block_size)

    def write_block(self, index: int, data: bytes) -> None:
        """Writes `data` (at most `block_size` bytes, padded with zero bytes) to block
        `index`."""
        self._check(index)
        if len(data) > self.block_size:
            raise ValueError(f"{len(data)} bytes do not fit in a block of {self.block_size}")
        with open(self.path, "r+b") as handle:
            handle.seek(index * self.block_size)
            handle.write(bytes(data).ljust(self.block_size, b"\0"))

    def _check(self, index: int) -> None:
        if not 0 <= index < self.blocks:
            raise IndexError(f"block {index} is not on a device of {self.blocks} blocks")


MAGIC = b"TFS1"
ENTRIES = 16  # directory slots: the contract asks for at least 16 files
NAME_BYTES = 32
_ENTRY = struct.Struct(f"<{NAME_BYTES}sII")  # name, size in bytes, first block
_SUPER = struct.Struct("<4sIIII")  # magic, block size, blocks, FAT blocks, directory blocks
FREE, END, RESERVED = 0, 0xFFFFFFFF, 0xFFFFFFFE  # FAT values besides "next block"


class TinyFS:
    """Files by name on a BlockDevice. Everything it knows (the directory, each file's
    size and blocks, which blocks are free) is written to the device before a call
    returns, so `TinyFS.mount` of the same device, by any process, sees the same files.

    The layout, FAT-style: block 0 is the superblock; then the file allocation table,
    one 4-byte entry per block (free, reserved, the next block of a file, or its end);
    then the directory, 16 entries of (name, size, first block); then the data blocks.
    """


    @classmethod
    def format(cls, device: BlockDevice) -> TinyFS:
        """Writes an empty file system onto `device` (whatever was there is gone) and
        returns it, mounted."""
        size, blocks = device.block_size, device.blocks
        fat_blocks = -(-blocks * 4 // size)
        dir_blocks = -(-ENTRIES * _ENTRY.size // size)
        fat = [RESERVED] * (1 + fat_blocks + dir_blocks) + [FREE] * (blocks - 1 - fat_blocks
                                                                   - dir_blocks)
        device.write_block(0, _SUPER.pack(MAGIC, size, blocks, fat_blocks, dir_blocks))
        for index in range(1, 1 + fat_blocks + dir_blocks):
            device.write_block(index, b"")
        fs = cls.__new__(cls)
        fs._device, fs._size = device, size
        fs._fat_blocks, fs._dir_blocks = fat_blocks, dir_blocks
        fs._fat, fs._dir = fat, [(b"", 0, END)] * ENTRIES
        fs._write_fat(range(blocks))
        return fs

    @classmethod
    def mount(cls, device: BlockDevice) -> TinyFS:
        """The file system a `format` wrote onto `device`, with every file written since."""
        magic, size, blocks, fat_blocks, dir_blocks = _SUPER.unpack_from(device.read_block(0))
        unformatted = magic != MAGIC or (size, blocks) != (device.block_size, device.blocks)
        if unformatted:  # pragma: no cover -- a device never formatted: left to the layout
            raise ValueError("no tiny file system on this device: format it first")
        fs = cls.__new__(cls)
        fs._device, fs._size = device, size
        fs._fat_blocks, fs._dir_blocks = fat_blocks, dir_blocks
        fs._fat, fs._dir = fs._read_fat(), fs._read_dir()
        return fs

    # -- the tables, as they are on the device ---------------------------------------------

    def _read_fat(self) -> list[int]:
        raw = b"".join(self._device.read_block(1 + i) for i in range(self._fat_blocks))
        return list(struct.unpack_from(f"<{self._device.blocks}I", raw))

    def _write_fat(self, changed) -> None:
        """Writes the FAT blocks holding the entries of `changed` blocks."""
        per_block = self._size // 4
        for block in sorted({index // per_block for index in changed}):
            entries = self._fat[block * per_block:(block + 1) * per_block]
            self._device.write_block(1 + block, struct.pack(f"<{len(entries)}I", *entries))

    def _read_dir(self) -> list[tuple[bytes, int, int]]:
        start = 1 + self._fat_blocks
        raw = b"".join(self._device.read_block(start + i) for i in range(self._dir_blocks))
        return [_ENTRY.unpack_from(raw, i * _ENTRY.size) for i in range(ENTRIES)]

    def _write_entry(self, slot: int, entry: tuple[bytes, int, int]) -> None:
        self._dir[slot] = entry
        first = slot * _ENTRY.size // self._size
        last = ((slot + 1) * _ENTRY.size - 1) // self._size
        raw = b"".join(_ENTRY.pack(*e) for e in self._dir)
        for block in range(first, last + 1):
            self._device.write_block(1 + self._fat_blocks + block,
                                     raw[block * self._size:(block + 1) * self._size])

    def _slot(self, name: str) -> int | None:
        key = _encoded(name)
        return next((i for i, entry in enumerate(self._dir) if entry[0].rstrip(b"\0") == key
                     and key), None)

    def _chain(self, first: int) -> list[int]:
        """The blocks of the file that starts at `first`, in order."""
        blocks, block = [], first
        while block not in (END, FREE, RESERVED):
            blocks.append(block)
            block = self._fat[block]
        return blocks

    # -- files ------------------------------------------------------------------------------

    def write(self, name: str, data: bytes) -> None:
        """Creates the file `name` holding `data`, or replaces its content. A file takes
        at least ceil(len(data) / block_size) blocks, which need not be next to each
        other. If they are not free, or the directory is full, raises NoSpace and changes
        nothing: every file keeps its content and free_blocks() its value."""
        key = _encoded(name)
        slot = self._slot(name)
        if slot is None:
            slot = next((i for i, entry in enumerate(self._dir) if not entry[0].rstrip(b"\0")),
                        None)
            if slot is None:  # pragma: no cover -- how many files past 16 is the layout's
                raise NoSpace(f"the directory is full ({ENTRIES} files)")
        needed = -(-len(data) // self._size)
        free = [i for i, value in enumerate(self._fat) if value == FREE]
        if needed > len(free):
            raise NoSpace(f"{name!r} needs {needed} blocks, {len(free)} are free")
        blocks = free[:needed]
        # the new content first, in blocks nobody uses; then the table; then the entry that
        # points at it; the old blocks are freed last
        for number, block in enumerate(blocks):
            self._device.write_block(block, data[number * self._size:(number + 1) * self._size])
        for block, following in zip(blocks, [*blocks[1:], END], strict=False):
            self._fat[block] = following
        self._write_fat(blocks)
        old = self._dir[slot]
        self._write_entry(slot, (key, len(data), blocks[0] if blocks else END))
        if old[0].rstrip(b"\0"):
            self._free(self._chain(old[2]))

    def _free(self, blocks: list[int]) -> None:
        for block in blocks:
            self._fat[block] = FREE
        self._write_fat(blocks)

    def read(self, name: str) -> bytes:
        """The content of file `name`, exactly as written (every byte, zero bytes at its
        end too). A name that is not a file raises FileNotFoundError."""
        slot = self._slot(name)
        if slot is None:
            raise FileNotFoundError(name)
        _, size, first = self._dir[slot]
        return b"".join(self._device.read_block(b) for b in self._chain(first))[:size]

    def delete(self, name: str) -> None:
        """Removes file `name` and gives its blocks back to the free ones. A name that is
        not a file raises FileNotFoundError."""
        slot = self._slot(name)
        if slot is None:
            raise FileNotFoundError(name)
        _, size, first = self._dir[slot]
        self._write_entry(slot, (b"", 0, END))
        self._free(self._chain(first))

    def list(self) -> list[str]:
        """The names of all files, in any order."""
        return [entry[0].rstrip(b"\0").decode() for entry in self._dir
                if entry[0].rstrip(b"\0")]

    def free_blocks(self) -> int:
        """How many blocks are free for file data. Writing a new file of n bytes takes at
        least ceil(n / block_size) of them (a write that needs more than are free raises
        NoSpace), and deleting the file gives back every block it took."""
        return sum(1 for value in self._fat if value == FREE)


def _encoded(name: str) -> bytes:
    key = name.encode()
    if not key or len(key) > NAME_BYTES or b"\0" in key:  # pragma: no cover -- names are free
        raise ValueError(f"a name is 1 to {NAME_BYTES} UTF-8 bytes without NUL: {name!r}")
    return key
