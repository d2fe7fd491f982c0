"""A correct alternative in the ext2 manner: a bitmap of free blocks, a table of 16 inodes
(name, size, first index block), and per file a chain of index blocks listing its data
blocks (each index block ends with the number of the next one). A file spends blocks of
its own on its index, so a write needs a little more than its data blocks.
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


_SUPER = struct.Struct("<4sIIII")  # magic, block size, blocks, bitmap blocks, inode blocks
_INODE = struct.Struct("<32sII")  # name, size, first index block (0: none)
INODES = 16


class TinyFS:
    @classmethod
    def format(cls, device: BlockDevice) -> TinyFS:
        size, blocks = device.block_size, device.blocks
        bitmap = -(-blocks // (8 * size))
        inodes = -(-INODES * _INODE.size // size)
        device.write_block(0, _SUPER.pack(b"INOD", size, blocks, bitmap, inodes))
        fs = cls._open(device, bitmap, inodes, [False] * blocks,
                       [(b"", 0, 0)] * INODES)
        for block in range(1 + bitmap + inodes):
            fs._used[block] = True
        fs._save_bitmap()
        fs._save_inodes()
        return fs

    @classmethod
    def mount(cls, device: BlockDevice) -> TinyFS:
        _, size, blocks, bitmap, inodes = _SUPER.unpack_from(device.read_block(0))
        raw = b"".join(device.read_block(1 + i) for i in range(bitmap))
        used = [bool(raw[i // 8] >> (i % 8) & 1) for i in range(blocks)]
        raw = b"".join(device.read_block(1 + bitmap + i) for i in range(inodes))
        table = [_INODE.unpack_from(raw, i * _INODE.size) for i in range(INODES)]
        return cls._open(device, bitmap, inodes, used, table)

    @classmethod
    def _open(cls, device, bitmap, inodes, used, table) -> TinyFS:
        fs = cls.__new__(cls)
        fs._device, fs._size = device, device.block_size
        fs._bitmap, fs._inodes, fs._used, fs._table = bitmap, inodes, used, table
        return fs

    def _save_bitmap(self) -> None:
        raw = bytearray(self._bitmap * self._size)
        for i, taken in enumerate(self._used):
            if taken:
                raw[i // 8] |= 1 << (i % 8)
        for i in range(self._bitmap):
            self._device.write_block(1 + i, bytes(raw[i * self._size:(i + 1) * self._size]))

    def _save_inodes(self) -> None:
        raw = b"".join(_INODE.pack(*entry) for entry in self._table)
        for i in range(self._inodes):
            self._device.write_block(1 + self._bitmap + i,
                                     raw[i * self._size:(i + 1) * self._size])

    def _find(self, name: str) -> int | None:
        key = name.encode()
        return next((i for i, e in enumerate(self._table) if e[0].rstrip(b"\0") == key), None)

    def _blocks_of(self, first_index: int) -> tuple[list[int], list[int]]:
        """(data blocks, index blocks) of the file whose index chain starts at `first_index`."""
        data, index, block = [], [], first_index
        per = self._size // 4 - 1
        while block:
            index.append(block)
            numbers = struct.unpack(f"<{per + 1}I", self._device.read_block(block))
            data += [n for n in numbers[:per] if n]
            block = numbers[per]
        return data, index

    def write(self, name: str, data: bytes) -> None:
        slot = self._find(name)
        if slot is None:
            slot = next((i for i, e in enumerate(self._table) if not e[0].rstrip(b"\0")), None)
            if slot is None:
                raise NoSpace("no free inode")
        per = self._size // 4 - 1
        count = -(-len(data) // self._size)
        indexes = -(-count // per)
        free = [i for i, taken in enumerate(self._used) if not taken]
        if count + indexes > len(free):
            raise NoSpace(f"{count + indexes} blocks needed, {len(free)} free")
        index_blocks, data_blocks = free[:indexes], free[indexes:indexes + count]
        for n, block in enumerate(data_blocks):
            self._device.write_block(block, data[n * self._size:(n + 1) * self._size])
        for n, block in enumerate(index_blocks):
            numbers = data_blocks[n * per:(n + 1) * per]
            numbers += [0] * (per - len(numbers))
            following = index_blocks[n + 1] if n + 1 < len(index_blocks) else 0
            self._device.write_block(block, struct.pack(f"<{per + 1}I", *numbers, following))
        old = self._table[slot]
        for block in [*index_blocks, *data_blocks]:
            self._used[block] = True
        self._save_bitmap()
        self._table[slot] = (name.encode(), len(data), index_blocks[0] if index_blocks else 0)
        self._save_inodes()
        if old[0].rstrip(b"\0"):
            self._release(old[2])

    def _release(self, first_index: int) -> None:
        data, index = self._blocks_of(first_index)
        for block in [*data, *index]:
            self._used[block] = False
        self._save_bitmap()

    def read(self, name: str) -> bytes:
        slot = self._find(name)
        if slot is None:
            raise FileNotFoundError(name)
        _, size, first = self._table[slot]
        data, _ = self._blocks_of(first)
        return b"".join(self._device.read_block(b) for b in data)[:size]

    def delete(self, name: str) -> None:
        slot = self._find(name)
        if slot is None:
            raise FileNotFoundError(name)
        first = self._table[slot][2]
        self._table[slot] = (b"", 0, 0)
        self._save_inodes()
        self._release(first)

    def list(self) -> list[str]:
        return [e[0].rstrip(b"\0").decode() for e in self._table if e[0].rstrip(b"\0")]

    def free_blocks(self) -> int:
        return self._used.count(False)
