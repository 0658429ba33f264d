"""`python -m aedocs`: the same as the `aedocs` command."""

from aedocs.console import run

run()
