"""``python -m production``: see ``production.cli``."""

import sys

from .cli import main

sys.exit(main())
