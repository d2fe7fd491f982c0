import no_such_module_anywhere


def add(a, b):
    return a + b


def sub(a, b):
    return a - b
