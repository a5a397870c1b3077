"""`python -m streetlight.cli`."""

import sys

from streetlight.cli import main

sys.exit(main())
