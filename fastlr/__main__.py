"""``python -m fastlr``: the command line (see :mod:`fastlr.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
