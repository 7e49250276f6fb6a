"""CTMT Desktop core: records, catalog, validation, storage and command line. No Qt here."""

__version__ = "0.1.0"
