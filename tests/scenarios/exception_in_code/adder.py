def add(a, b):
    return a + b


def sub(a, b):
    values = {}
    return values[a] - b
