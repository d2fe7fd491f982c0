"""A correct alternative: all metadata is one JSON document ({name: [size, [blocks]]}) kept
in a fixed region at the start of the device, sized for the worst case the contract allows;
which blocks are free is worked out from it, not stored. Each change writes the data
blocks first and the whole metadata region last.
"""

from __future__ import annotations

import json
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


_LENGTH = struct.Struct("<I")


class TinyFS:
    def __init__(self, device: BlockDevice, files: dict[str, list]) -> None:
        self._device, self._files = device, files
        size, blocks = device.block_size, device.blocks
        # 16 entries of a 32-byte name (UTF-8; a quote or backslash escaped takes two) and
        # a size, every block number once, the braces and the length prefix
        worst = 16 * (32 * 2 + 30) + blocks * 7 + 64
        self._meta = -(-worst // size)
        if self._meta >= blocks:
            raise ValueError("the device is too small")

    @classmethod
    def format(cls, device: BlockDevice) -> TinyFS:
        fs = cls(device, {})
        fs._save()
        return fs

    @classmethod
    def mount(cls, device: BlockDevice) -> TinyFS:
        fs = cls(device, {})
        raw = b"".join(device.read_block(i) for i in range(fs._meta))
        (length,) = _LENGTH.unpack_from(raw)
        fs._files = json.loads(raw[4:4 + length])["files"]
        return fs

    def _save(self) -> None:
        text = json.dumps({"files": self._files}, ensure_ascii=False).encode()
        raw = _LENGTH.pack(len(text)) + text
        size = self._device.block_size
        for i in range(self._meta):
            self._device.write_block(i, raw[i * size:(i + 1) * size])

    def _free(self) -> list[int]:
        used = {b for _, blocks in self._files.values() for b in blocks}
        return [b for b in range(self._meta, self._device.blocks) if b not in used]

    def write(self, name: str, data: bytes) -> None:
        if not name or len(name.encode()) > 32:
            raise ValueError(f"a name is 1 to 32 UTF-8 bytes: {name!r}")
        if name not in self._files and len(self._files) >= 16:
            raise NoSpace("the directory is full")
        size = self._device.block_size
        needed = -(-len(data) // size)
        free = self._free()
        if needed > len(free):
            raise NoSpace(f"{needed} blocks needed, {len(free)} free")
        blocks = free[:needed]
        for number, block in enumerate(blocks):
            self._device.write_block(block, bytes(data[number * size:(number + 1) * size]))
        self._files[name] = [len(data), blocks]
        self._save()

    def read(self, name: str) -> bytes:
        if name not in self._files:
            raise FileNotFoundError(name)
        size, blocks = self._files[name]
        return b"".join(self._device.read_block(b) for b in blocks)[:size]

    def delete(self, name: str) -> None:
        if name not in self._files:
            raise FileNotFoundError(name)
        del self._files[name]
        self._save()

    def list(self) -> list[str]:
        return list(self._files)

    def free_blocks(self) -> int:
        return len(self._free())
