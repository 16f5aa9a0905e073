"""The one exception tree of carecircle."""

__all__ = ["CarecircleError", "IngestError", "StoreError"]


class CarecircleError(Exception):
    """Root of every error carecircle raises on purpose.

    Its message is meant for the user: it never holds a raw BSN or a Python traceback.
    """


class IngestError(CarecircleError):
    """A dataset cannot be read at all (a file-level problem, SPEC §4)."""


class StoreError(CarecircleError):
    """A store cannot be opened, read or written."""
