"""``python -m crm_desktop`` runs the same entry point as the ``crm-desktop`` script."""

import sys

from crm_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
