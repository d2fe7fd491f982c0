"""Examples of what the hidden tests check. Run them with: python -m pytest"""

import pytest
from tiny_fs import BlockDevice, NoSpace, TinyFS


@pytest.mark.files
def test_write_then_read(tmp_path):
    fs = TinyFS.format(BlockDevice(tmp_path / "disk", block_size=128, blocks=64))
    fs.write("hello.txt", b"hello\0\0")
    assert fs.read("hello.txt") == b"hello\0\0"
    assert fs.list() == ["hello.txt"]


@pytest.mark.mount
def test_a_remount_sees_the_files(tmp_path):
    fs = TinyFS.format(BlockDevice(tmp_path / "disk", block_size=128, blocks=64))
    fs.write("big", b"x" * 1000)  # 8 blocks
    again = TinyFS.mount(BlockDevice(tmp_path / "disk", block_size=128, blocks=64))
    assert again.read("big") == b"x" * 1000


@pytest.mark.space
def test_delete_gives_blocks_back_and_too_big_is_refused(tmp_path):
    fs = TinyFS.format(BlockDevice(tmp_path / "disk", block_size=128, blocks=64))
    free = fs.free_blocks()
    fs.write("f", b"x" * 300)  # 3 blocks
    assert fs.free_blocks() <= free - 3
    fs.delete("f")
    assert fs.free_blocks() == free
    with pytest.raises(NoSpace):
        fs.write("huge", b"x" * 128 * (free + 1))
    assert fs.list() == []
