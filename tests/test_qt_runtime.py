"""The Qt runtime the app ships with survives what a long working day does to it."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_many_signal_emits_do_not_corrupt_the_interpreter():
    # PySide6 6.12.0 returned a borrowed reference to True from every emit(); on Python 3.11
    # the interpreter aborted ("bool_dealloc") after a few thousand emits.
    script = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QObject, Signal
        class Source(QObject):
            changed = Signal(int)
        source = Source()
        before = sys.getrefcount(True)
        for number in range(100_000):
            source.changed.emit(number)
        print(sys.getrefcount(True) - before)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert abs(int(done.stdout.strip())) < 1000
