"""kata: practise system design by writing code, graded by hidden pytest suites."""

__version__ = "0.1.0.dev0"
