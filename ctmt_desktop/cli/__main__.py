"""``python -m ctmt_desktop.cli``: the ``ctmt`` command line."""

import sys

from ctmt_desktop.cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
