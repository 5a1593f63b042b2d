"""``python -m dangjian_nlp`` runs the ``dangjian`` command line."""

import sys

from .cli import main

sys.exit(main())
