"""Writes outside the run through a directory descriptor: os.open(relative, dir_fd=d)."""
import os

try:
    folder = os.open("/tmp/kata-attack-sentinel", os.O_RDONLY)
    fd = os.open("keep.txt", os.O_WRONLY | os.O_TRUNC, dir_fd=folder)
    os.write(fd, b"gone")
    fd = os.open("pwned", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder)
except OSError as exc:
    print("refused:", exc)


def add(a, b):
    return 0


def sub(a, b):
    return 0
