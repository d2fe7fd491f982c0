"""Everything lives on the device: a mount of what the device holds (and of the device
rebuilt from the writes alone) sees every file, and format starts afresh."""

import random

import pytest
from _support import MemoryDevice, content, disk, short, state
from tiny_fs import TinyFS

from harness.testing import learner_process

pytestmark = pytest.mark.mount


def filled(device, seed=3):
    fs = TinyFS.format(device)
    rng = random.Random(seed)
    for i in range(5):
        fs.write(f"f{i}", content(rng, rng.choice([0, 1, 128, 200, 700])))
    fs.delete("f1")
    fs.write("f3", content(rng, 300))
    return fs


def test_a_remount_sees_the_same_files():
    device = MemoryDevice(128, 64)
    fs = filled(device)
    before, free = state(fs), fs.free_blocks()
    again = TinyFS.mount(device.copy())
    got = state(again)
    assert got == before, (
        f"TinyFS.mount of a copy of the device's blocks found {short(got)}, expected "
        f"{short(before)}: everything must be written to the device")
    assert again.free_blocks() == free, (
        f"free_blocks() was {free} before the remount and {again.free_blocks()} after: the "
        "free-block map must be on the device too")


def test_another_process_mounts_the_same_files(tmp_path):
    fs = filled(disk(tmp_path, 64))
    before = state(fs)
    with learner_process() as other:
        device = other.tiny_fs.BlockDevice(str(tmp_path / "disk"), block_size=128, blocks=64)
        got = state(other.tiny_fs.TinyFS.mount(device))
    assert got == before, (
        f"TinyFS.mount of the same device file in another process found {short(got)}, "
        f"expected {short(before)}: nothing may live only in the process that wrote it")


def test_a_device_rebuilt_from_the_writes_alone_mounts():
    device = MemoryDevice(128, 64)
    before = state(filled(device))
    got = state(TinyFS.mount(device.replayed()))
    assert got == before, (
        f"a zeroed device with only the blocks written replayed mounts with {short(got)}, "
        f"expected {short(before)}")


def test_a_remounted_file_system_keeps_working():
    device = MemoryDevice(128, 64)
    filled(device)
    fs = TinyFS.mount(device.copy())
    fs.write("new", b"n" * 260)
    fs.delete("f0")
    got = fs.read("new"), sorted(fs.list())
    assert got == (b"n" * 260, ["f2", "f3", "f4", "new"]), (
        f"after a remount, write('new'), delete('f0'): read('new') and list() gave "
        f"{len(got[0])} bytes and {got[1]}, expected 260 bytes and ['f2', 'f3', 'f4', 'new']")


def test_format_erases_what_was_there():
    device = MemoryDevice(128, 64)
    fresh = TinyFS.format(MemoryDevice(128, 64)).free_blocks()
    fs = filled(device)
    for i in range(16 - len(fs.list())):  # every directory slot in use
        fs.write(f"more{i}", b"m" * 20)
    fs = TinyFS.format(device)
    got = (list(fs.list()), fs.free_blocks())
    assert got == ([], fresh), (
        f"format() of a device holding 16 files: list() and free_blocks() returned {got}, "
        f"expected ([], {fresh}) as on a fresh device")
    mounted = TinyFS.mount(device.copy())
    got = (list(mounted.list()), mounted.free_blocks())
    assert got == ([], fresh), (
        f"a mount right after format() of a device that held 16 files found {got[0]!r} and "
        f"{got[1]} free blocks, expected [] and {fresh}: format must write every table")
