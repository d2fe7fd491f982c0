"""add() is right; sub() never returns. Only sub's tests may fail, and quickly."""


def add(a, b):
    return a + b


def sub(a, b):
    while True:
        pass
