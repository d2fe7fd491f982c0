"""What the hidden tests of tiny-filesystem share: a block device of the tests' own (in
memory, recording every write), so that a remount sees only what was written to it, and
a dict model of the files for seeded workloads."""

import random

from tiny_fs import BlockDevice


class MemoryDevice:
    """The methods and attributes of the stub's BlockDevice, kept in this process: the
    file system can know only what it writes here. `writes` records (index, data)."""

    def __init__(self, block_size: int = 128, blocks: int = 64) -> None:
        self.block_size, self.blocks = block_size, blocks
        self.data = [bytes(block_size) for _ in range(blocks)]
        self.writes: list[tuple[int, bytes]] = []

    def read_block(self, index: int) -> bytes:
        self._check(index)
        return self.data[index]

    def write_block(self, index: int, data: bytes) -> None:
        self._check(index)
        data = bytes(data)
        if len(data) > self.block_size:
            raise ValueError(f"{len(data)} bytes do not fit in a block of {self.block_size}")
        self.data[index] = data.ljust(self.block_size, b"\0")
        self.writes.append((index, self.data[index]))

    def _check(self, index: int) -> None:
        if type(index) is not int or not 0 <= index < self.blocks:
            raise IndexError(f"block {index!r} is not on a device of {self.blocks} blocks")

    def copy(self) -> "MemoryDevice":
        """Another device holding the same blocks (what a reboot would find)."""
        other = MemoryDevice(self.block_size, self.blocks)
        other.data = list(self.data)
        return other

    def replayed(self) -> "MemoryDevice":
        """A zeroed device with every recorded write applied again, in order."""
        other = MemoryDevice(self.block_size, self.blocks)
        for index, data in self.writes:
            other.data[index] = data
        return other


def disk(tmp_path, blocks: int = 64, block_size: int = 128, name: str = "disk"):
    """A BlockDevice of the kata (the learner's process, a file under tmp_path)."""
    return BlockDevice(str(tmp_path / name), block_size=block_size, blocks=blocks)


def content(rng: random.Random, size: int) -> bytes:
    """`size` seeded bytes that end in zero bytes half of the time (a file system that
    trims padding loses them)."""
    data = bytes(rng.randrange(256) for _ in range(size))
    if size and rng.random() < 0.5:
        data = data[:-min(size, 3)] + bytes(min(size, 3))
    return data


def state(fs) -> dict[str, bytes]:
    """Every file of `fs` with its content."""
    return {name: fs.read(name) for name in sorted(fs.list())}


def short(files: dict[str, bytes]) -> str:
    return "{" + ", ".join(f"{n!r}: {len(d)} bytes" for n, d in sorted(files.items())) + "}"
