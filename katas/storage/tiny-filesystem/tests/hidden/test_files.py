"""Files by name: what is written is read back byte for byte, a write replaces, and every
name keeps its own content."""

import random

import pytest
from _support import content, disk
from tiny_fs import TinyFS

pytestmark = pytest.mark.files

SIZES = [0, 1, 127, 128, 129, 3 * 128 + 5]


def test_a_new_file_system_has_no_files(tmp_path):
    fs = TinyFS.format(disk(tmp_path, 64))
    got = fs.list()
    assert list(got) == [], f"TinyFS.format(device).list() returned {got!r}, expected []"


@pytest.mark.parametrize("size", SIZES)
def test_a_file_reads_back_exactly_as_written(size, tmp_path):
    fs = TinyFS.format(disk(tmp_path, 64))
    data = content(random.Random(size), size)
    fs.write("f", data)
    got = fs.read("f")
    assert got == data, (
        f"write('f', {size} bytes) on a device of 128-byte blocks, then read('f') returned "
        f"{len(got)} bytes{'' if len(got) != size else ' that differ'}, expected the "
        f"{size} written (ending {data[-4:]!r}; zero bytes at the end are content too)")


@pytest.mark.parametrize(("blocks", "block_size", "size"), [
    (32, 128, 4 * 128 + 3),  # the smallest device
    (64, 4096, 70_000),  # big blocks: a file of more than 65,535 bytes
    (1024, 128, 70_000),  # many blocks: block numbers past 255, a file of 547 blocks
])
def test_devices_at_both_ends_of_the_range_hold_their_files(blocks, block_size, size, tmp_path):
    fs = TinyFS.format(disk(tmp_path, blocks, block_size))
    data = content(random.Random(size), size)
    fs.write("small", b"s" * 10)
    fs.write("f", data)
    got = TinyFS.mount(disk(tmp_path, blocks, block_size)).read("f")
    assert got == data, (
        f"on a device of {blocks} blocks of {block_size} bytes, write('f', {size} bytes), "
        f"then read('f') after a remount returned {len(got)} bytes"
        f"{'' if len(got) != size else ' that differ'}, expected the {size} written: sizes "
        "and block numbers must hold every device of 32 to 1024 blocks of 128 to 4096 bytes")


def test_every_file_keeps_its_own_content(tmp_path):
    fs = TinyFS.format(disk(tmp_path, 64))
    rng = random.Random(7)
    files = {f"file-{i}": content(rng, rng.choice(SIZES)) for i in range(6)}
    for name, data in files.items():
        fs.write(name, data)
    got = {name: fs.read(name) for name in files}
    wrong = sorted(n for n in files if got[n] != files[n])
    assert not wrong, (
        f"after writing 6 files, read gave other content for {wrong} (sizes "
        f"{[len(files[n]) for n in wrong]} written, {[len(got[n]) for n in wrong]} read)")
    assert sorted(fs.list()) == sorted(files), f"list() returned {fs.list()!r}"


def test_a_write_replaces_the_content(tmp_path):
    fs = TinyFS.format(disk(tmp_path, 64))
    fs.write("f", b"a" * 300)
    fs.write("f", b"bb")
    got, names = fs.read("f"), fs.list()
    assert got == b"bb" and list(names) == ["f"], (
        f"write('f', 300 bytes), then write('f', b'bb'): read('f') returned "
        f"{got[:20]!r}{'...' if len(got) > 20 else ''} and list() {names!r}; expected b'bb' "
        "and ['f']")


def test_reading_or_deleting_a_missing_file_raises(tmp_path):
    fs = TinyFS.format(disk(tmp_path, 64))
    fs.write("here", b"x")
    for call in (lambda: fs.read("nothere"), lambda: fs.delete("nothere")):
        with pytest.raises(Exception):  # noqa: B017, PT011 (the contract names none here)
            call()
    assert fs.read("here") == b"x"


def test_a_deleted_file_is_gone(tmp_path):
    fs = TinyFS.format(disk(tmp_path, 64))
    fs.write("a", b"1" * 200)
    fs.write("b", b"2")
    fs.delete("a")
    assert list(fs.list()) == ["b"] and fs.read("b") == b"2", (
        f"write a, write b, delete a: list() returned {fs.list()!r}, expected ['b']")
    with pytest.raises(Exception):  # noqa: B017, PT011
        fs.read("a")


def test_sixteen_files_with_names_of_32_bytes_fit(tmp_path):
    fs = TinyFS.format(disk(tmp_path, 64))
    names = [f"{i:02d}" + "é" * 15 for i in range(16)]  # 2 + 30 UTF-8 bytes each
    for i, name in enumerate(names):
        fs.write(name, bytes([i]) * 10)
    got = sorted(fs.list())
    assert got == sorted(names), (
        f"16 files with names of 32 UTF-8 bytes: list() returned {len(got)} names, expected "
        "16 (the contract: at least 16 files, names up to 32 bytes)")
    assert [fs.read(n) for n in names] == [bytes([i]) * 10 for i in range(16)]


def test_the_given_block_device_is_unchanged(tmp_path):
    device = disk(tmp_path, 32)
    device.write_block(31, b"last")
    got = device.read_block(31)
    assert got == b"last".ljust(128, b"\0"), f"BlockDevice.read_block(31) returned {got[:8]!r}..."
    with pytest.raises(IndexError):
        device.read_block(32)
    with pytest.raises(IndexError):
        device.write_block(32, b"x")
    with pytest.raises(ValueError):
        device.write_block(0, b"x" * 129)
