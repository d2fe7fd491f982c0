"""Blocks: a file takes at least one block per block_size bytes, deleting gives them all
back, blocks need not be next to each other, and a write that does not fit raises NoSpace
and changes nothing."""

import random

import pytest
from _support import content, disk, short, state
from tiny_fs import NoSpace, TinyFS

pytestmark = pytest.mark.space

BS = 128


def blocks_for(size):
    return -(-size // BS)


@pytest.mark.parametrize("size", [1, 128, 129, 5 * 128 + 1])
def test_a_file_takes_its_blocks_and_delete_gives_them_back(size, tmp_path):
    fs = TinyFS.format(disk(tmp_path, 64))
    fs.write("keep", b"k" * 200)
    before = fs.free_blocks()
    fs.write("f", b"x" * size)
    during = fs.free_blocks()
    fs.delete("f")
    after = fs.free_blocks()
    assert before - during >= blocks_for(size), (
        f"write('f', {size} bytes) with {BS}-byte blocks: free_blocks() went from {before} to "
        f"{during}, expected at least {blocks_for(size)} fewer")
    assert after == before, (
        f"free_blocks() was {before}, {during} after write('f', {size} bytes) and {after} "
        f"after delete('f'): deleting must give back every block the file took")


def test_a_replaced_file_gives_back_its_old_blocks(tmp_path):
    fs = TinyFS.format(disk(tmp_path, 64))
    before = fs.free_blocks()
    fs.write("f", b"x" * (6 * BS))
    fs.write("f", b"y")
    fs.delete("f")
    after = fs.free_blocks()
    assert after == before, (
        f"free_blocks() was {before} on a fresh file system and {after} after write('f', 6 "
        "blocks), write('f', 1 byte), delete('f'): the blocks of the old content leaked")


def test_blocks_need_not_be_next_to_each_other(tmp_path):
    fs = TinyFS.format(disk(tmp_path, 64))
    free = fs.free_blocks()
    size = free // 8
    for i in range(6):
        fs.write(f"f{i}", b"x" * (size * BS))
    for i in (0, 2, 4):
        fs.delete(f"f{i}")  # holes of `size` blocks between the files left
    # more than any run of neighbouring free blocks, with a few to spare for a layout
    # that spends blocks of its own on a file (an index block, an inode)
    needed = fs.free_blocks() - 4
    try:
        fs.write("big", b"b" * (needed * BS))
    except NoSpace:
        pytest.fail(
            f"with {fs.free_blocks()} blocks free in several runs (files of {size} blocks "
            f"deleted between others), write('big', {needed} blocks) raised NoSpace: a file "
            "may take free blocks wherever they are")
    assert fs.read("big") == b"b" * (needed * BS)
    assert [fs.read(f"f{i}") for i in (1, 3, 5)] == [b"x" * (size * BS)] * 3


def test_a_write_that_does_not_fit_raises_no_space_and_changes_nothing(tmp_path):
    device = disk(tmp_path, 64)
    fs = TinyFS.format(device)
    fs.write("a", b"a" * 300)
    fs.write("b", b"b" * 10)
    before, free = state(fs), fs.free_blocks()
    with pytest.raises(NoSpace):
        fs.write("c", b"c" * ((free + 1) * BS))
    with pytest.raises(NoSpace):
        fs.write("a", b"z" * ((free + 4) * BS))  # more than free plus a's own 3 blocks
    got = state(fs)
    assert (got, fs.free_blocks()) == (before, free), (
        f"two writes too big for the {free} free blocks raised NoSpace, but the file system "
        f"changed: {short(got)} and {fs.free_blocks()} free, expected {short(before)} and "
        f"{free} free")
    again = state(TinyFS.mount(disk(tmp_path, 64)))
    assert again == before, f"a remount after the refused writes found {short(again)}"


def test_a_write_refused_for_a_full_directory_or_disk_changes_nothing(tmp_path):
    """One-byte files until a write raises NoSpace, whether the directory or the blocks
    ran out first: that write must change nothing either."""
    fs = TinyFS.format(disk(tmp_path, 64))
    written = {}
    for i in range(64):  # 64 one-byte files cannot fit on 64 blocks with the metadata
        free = fs.free_blocks()
        try:
            fs.write(f"f{i}", b"y")
        except NoSpace:
            break
        written[f"f{i}"] = b"y"
    else:
        pytest.fail("64 one-byte files fitted on a device of 64 blocks, metadata included")
    got, after = state(fs), fs.free_blocks()
    assert (got, after) == (written, free), (
        f"after {len(written)} one-byte files, write('f{i}', b'y') raised NoSpace but changed "
        f"the file system: {short(got)} and {after} free blocks, expected "
        f"{short(written)} and {free}: a write refused (the directory full, or no block "
        "left) must leave every block it took free again")
    again = TinyFS.mount(disk(tmp_path, 64))
    assert (state(again), again.free_blocks()) == (written, free), (
        "a remount after the refused write found another state (or free count) than before")


def test_after_a_no_space_deleting_makes_room_again(tmp_path):
    fs = TinyFS.format(disk(tmp_path, 40))
    data = b"d" * (3 * BS)
    written = []
    for i in range(16):  # 16 files of 3 blocks cannot fit in 40 blocks
        try:
            fs.write(f"f{i}", data)
        except NoSpace:
            break
        written.append(f"f{i}")
    assert len(written) < 16, "16 files of 3 blocks each fitted on a device of 40 blocks"
    fs.delete(written[0])
    fs.write("again", data)
    assert fs.read("again") == data and fs.read(written[-1]) == data


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_workloads_keep_every_file_and_every_block(seed, tmp_path):
    rng = random.Random(seed)
    fs = TinyFS.format(disk(tmp_path, 48))
    fresh = fs.free_blocks()
    model: dict[str, bytes] = {}
    done = []
    for step in range(40):
        name = f"n{rng.randrange(8)}"
        if rng.random() < 0.7:
            data = content(rng, rng.choice([0, 5, 127, 128, 129, 400, 900]))
            done.append(f"write({name!r}, {len(data)} bytes)")
            try:
                fs.write(name, data)
                model[name] = data
            except NoSpace:
                done[-1] += " -> NoSpace"
        elif name in model:
            done.append(f"delete({name!r})")
            fs.delete(name)
            del model[name]
        if step % 10 == 9:  # every tenth step: a remount, and every file read back
            fs = TinyFS.mount(disk(tmp_path, 48))  # a new device object on the same file
            done.append("remount")
            got = state(fs)
            assert got == model, (
                f"seed {seed}, after {'; '.join(done[-12:])}: the files are {short(got)}, "
                f"expected {short(model)}")
    for name in list(model):
        fs.delete(name)
    assert fs.free_blocks() == fresh, (
        f"seed {seed}: after deleting every file, free_blocks() is {fs.free_blocks()}, "
        f"expected {fresh} as after format: blocks leaked")
