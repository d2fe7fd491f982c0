"""What the catalog fixes about free_blocks() of tiny-filesystem, checked by `kata compare`
on the learner's code alone: how many blocks a layout spends on itself is the layout's
choice, so the reference's count is no yardstick, but how the count moves is not free.
The model's device has blocks of 128 bytes; these properties write a name the model never
uses, so the file is new."""

from harness.differential import Data
from harness.properties import Raised, prop

BLOCK = 128
NAME = "property.bin"


def _files(fs):
    return {name: fs.read(name) for name in sorted(fs.list())}


@prop(size={"one_of": [0, 1, 128, 129, 300]})
def a_file_takes_its_blocks_and_deleting_it_gives_them_back(fs, size):
    """A new file of n bytes takes at least ceil(n / block_size) blocks from free_blocks(),
    and deleting it gives back every block it took."""
    before = fs.free_blocks()
    try:
        fs.write(NAME, Data("x" * size))
    except Raised as exc:
        if exc.name == "NoSpace":
            return None  # the layout is full: nothing to count
        raise
    during = fs.free_blocks()
    fs.delete(NAME)
    after = fs.free_blocks()
    need = -(-size // BLOCK)
    if before - during < need:
        return (f"free_blocks() went from {before} to {during} on writing a new file of "
                f"{size} bytes, which takes at least {need} blocks of {BLOCK} bytes")
    if after != before:
        return (f"free_blocks() was {before}, {during} after writing a new file of {size} "
                f"bytes and {after} after deleting it")
    return None


@prop(first={"one_of": [129, 300]}, second={"one_of": [0, 1, 128]})
def replacing_a_file_gives_back_the_blocks_of_its_old_content(fs, first, second):
    """A file written again, then deleted, gives back every block it took: those of its
    old content too."""
    before = fs.free_blocks()
    try:
        fs.write(NAME, Data("x" * first))
        fs.write(NAME, Data("y" * second))
    except Raised as exc:
        if exc.name == "NoSpace":
            return None  # the layout is full: nothing to count
        raise
    fs.delete(NAME)
    after = fs.free_blocks()
    if after != before:
        return (f"free_blocks() was {before}, and {after} after writing a new file of {first} "
                f"bytes, writing it again with {second} bytes and deleting it")
    return None


@prop()
def a_write_that_does_not_fit_changes_nothing(fs):
    """A write that needs more blocks than are free raises NoSpace and changes nothing:
    every file keeps its content and free_blocks() its value."""
    before, files = fs.free_blocks(), _files(fs)
    try:
        fs.write(NAME, Data("z" * (4096 + 4)))  # more than the model's whole device
    except Raised as exc:
        if exc.name != "NoSpace":
            raise
    else:
        return "write of 4,100 bytes on a device of 4,096 bytes returned instead of NoSpace"
    after, now = fs.free_blocks(), _files(fs)
    if after != before:
        return f"free_blocks() was {before} before the refused write and {after} after it"
    if now != files:
        changed = sorted(n for n in {*files, *now} if files.get(n) != now.get(n))
        return f"the refused write changed the files {changed}"
    return None
