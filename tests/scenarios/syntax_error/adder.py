def add(a, b):
    return a +


def sub(a, b):
    return a - b
