"""add() is right; sub() kills its own process. Only sub's tests may fail."""
import os


def add(a, b):
    return a + b


def sub(a, b):
    os._exit(3)
