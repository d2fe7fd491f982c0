"""Lets `python -m harness` run the command line, as the `kata` script does."""

from harness.cli import main

main()
