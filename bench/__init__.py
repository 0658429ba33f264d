"""The benchmark behind `make bench`: synthetic workspaces (`generate`), the real command
line timed as a subprocess (`measure`, `suite`), pandoc, docxtpl and the zip floor on the
same content (`peers`), and one table of figures beside their targets (`__main__`)."""
