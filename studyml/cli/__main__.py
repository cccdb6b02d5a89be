"""`python -m studyml.cli` runs the command line (tests and the e2e harness use it)."""

import sys

from studyml.cli import main

sys.exit(main())
