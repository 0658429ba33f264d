"""aedocs: an account executive's YAML files in, signed and archived Word documents out."""

__version__ = "0.1.0"
