"""``python -m carbonpeak.cli``: the same as the ``carbonpeak`` command."""

import sys

from carbonpeak.cli import main

sys.exit(main())
