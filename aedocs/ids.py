"""The form of every id a user writes: clients, people, decisions, tasks, slugs."""

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
