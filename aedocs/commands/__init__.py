"""One module per command-line verb; each exposes `run(opts, ...) -> exit code`."""
