"""``python -m wolkvox_async.cli``: the ``wolkvox`` command."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
