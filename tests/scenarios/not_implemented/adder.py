def add(a, b):
    return a + b


def sub(a, b):
    """Returns a - b."""
    # TODO
    raise NotImplementedError
