"""``python -m icsatlas``: the same command line as ``icsatlas``."""

from icsatlas.cli import main

main()
