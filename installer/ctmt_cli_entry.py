"""Entry script of the frozen ``ctmt`` console executable (``installer/ctmt.spec``).

The bundle's second executable, beside the windowed ``ctmt-desktop``: the same command line
as the ``ctmt`` console script of a pip install (``ctmt_desktop.cli.main``), with a console,
so that ``ctmt.exe verify FILE`` prints its report on Windows. It imports no Qt.
"""

import sys

from ctmt_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
