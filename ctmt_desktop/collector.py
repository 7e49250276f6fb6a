"""Python's cyclic garbage collector paused while a package is built or verified.

Building the package of a year of 10,000 records keeps some 400,000 containers alive at
once (the records, the audit trail, the report's figures, every line of the PDF's tables),
and the collector keeps walking them: on the project's 2-core machine ``ctmt package``
spent about 0.5 s of its 5 s in collections (six of them full). Nearly all of those objects
are freed by their reference counts when the build returns, so the collector is paused for
the build (and a verification) and resumes afterwards; the few reference cycles made
meanwhile are collected then. The peak memory is the same (260 MB for that year).

The pause is process-wide (:func:`gc.disable`); pauses in several threads at once end with
the collector enabled as it was before the first, whatever their order.

A process that ends pays the collector once more: the interpreter's shutdown runs full
collections over every object still alive (the modules of SQLAlchemy, reportlab, pyHanko…),
some 0.25 s after a package. The command line (:func:`ctmt_desktop.cli.main`) asks for
:func:`skip_collections_at_exit`: the objects alive at exit are frozen (:func:`gc.freeze`),
which those collections leave alone.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the ``with`` block with the cyclic garbage collector disabled; re-enable it after,
    when it was enabled before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_freeze_registered = False


def skip_collections_at_exit() -> None:
    """Freeze every object when the interpreter exits (an :mod:`atexit` handler, registered
    once), so that its shutdown frees them without walking them all in full collections.
    Only reference cycles that are already garbage then stay unfreed, their memory going
    with the process."""
    global _freeze_registered
    if not _freeze_registered:
        atexit.register(gc.freeze)
        _freeze_registered = True
