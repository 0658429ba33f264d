"""`python -m aedocs`: the same as the `aedocs` command."""

from aedocs.cli import console

console()
