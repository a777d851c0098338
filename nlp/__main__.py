"""``python -m nlp``."""

import sys

from .cli import main

sys.exit(main())
