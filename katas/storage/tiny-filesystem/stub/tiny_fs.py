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


class TinyFS:
    """Files by name on a BlockDevice. Everything it knows (the directory, each file's
    size and blocks, which blocks are free) is written to the device before a call
    returns, so `TinyFS.mount` of the same device, by any process, sees the same files."""

    @classmethod
    def format(cls, device: BlockDevice) -> TinyFS:
        """Writes an empty file system onto `device` (whatever was there is gone) and
        returns it, mounted."""
        # TODO
        raise NotImplementedError

    @classmethod
    def mount(cls, device: BlockDevice) -> TinyFS:
        """The file system a `format` wrote onto `device`, with every file written since."""
        # TODO
        raise NotImplementedError

    def write(self, name: str, data: bytes) -> None:
        """Creates the file `name` holding `data`, or replaces its content. A file takes
        at least ceil(len(data) / block_size) blocks, which need not be next to each
        other. If they are not free, or the directory is full, raises NoSpace and changes
        nothing: every file keeps its content and free_blocks() its value."""
        # TODO
        raise NotImplementedError

    def read(self, name: str) -> bytes:
        """The content of file `name`, exactly as written (every byte, zero bytes at its
        end too). A name that is not a file raises FileNotFoundError."""
        # TODO
        raise NotImplementedError

    def delete(self, name: str) -> None:
        """Removes file `name` and gives its blocks back to the free ones. A name that is
        not a file raises FileNotFoundError."""
        # TODO
        raise NotImplementedError

    def list(self) -> list[str]:
        """The names of all files, in any order."""
        # TODO
        raise NotImplementedError

    def free_blocks(self) -> int:
        """How many blocks are free for file data. Writing a new file of n bytes takes at
        least ceil(n / block_size) of them (a write that needs more than are free raises
        NoSpace), and deleting the file gives back every block it took."""
        # TODO
        raise NotImplementedError
