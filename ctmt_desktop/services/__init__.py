"""Services: the only code that writes to the database. They take a SQLAlchemy session,
take and return plain data, and raise the typed errors of :mod:`ctmt_desktop.errors`."""
