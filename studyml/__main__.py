"""`python -m studyml` runs the command line, as the `studyml` script does."""

import sys

from studyml.cli import main

sys.exit(main())
