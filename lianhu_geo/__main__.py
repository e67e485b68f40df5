"""``python -m lianhu_geo`` is the ``lianhu-geo`` command."""

import sys

from .cli import main

sys.exit(main())
