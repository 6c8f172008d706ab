"""Entry point of `python -m data_access`."""

import sys

from data_access.cli import main

sys.exit(main())
