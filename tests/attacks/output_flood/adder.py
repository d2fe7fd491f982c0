"""Prints 100 MB, then answers wrongly."""
import sys

def add(a, b):
    return a + b


def sub(a, b):
    chunk = "y" * (1024 * 1024)
    for _ in range(100):
        sys.stdout.write(chunk)
    return 0
