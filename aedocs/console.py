"""The `aedocs` command's entry point: `aedocs.cli.main`, run so that nothing the user
does shows a traceback, not even Ctrl-C while Python is still importing the command line.
It imports nothing Python has not loaded already: an interrupt finds the `try` in place.
"""

import os
import sys

INTERRUPTED = 130


def run() -> None:
    """Run the command line, then leave at once (never returns). Every file is written
    and closed by then; tearing the interpreter down object by object would only add a
    tenth of a second to each build."""
    try:
        from aedocs.cli import main

        main()
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:  # before a command began: nothing was written
        print("interrupted", file=sys.stderr)
        code = INTERRUPTED
    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105 (contextlib is one import more)
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing to flush
            pass
    os._exit(code)
