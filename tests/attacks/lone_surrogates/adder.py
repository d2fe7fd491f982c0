"""Text that is not valid UTF-8: a lone surrogate in an exception, in printed output and in a
returned string. Reports must still be written, as valid UTF-8, for this test and the others."""


def add(a: int, b: int) -> int:
    print("printed caf\udce9")
    raise ValueError("caf\udce9 \udcff")


def sub(a: int, b: int) -> int:
    return a - b
