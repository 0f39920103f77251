"""PyInstaller entry script for the frozen Rapport app (``build.spec``).

Why not ``crm_desktop/__main__.py`` directly: PyInstaller puts the entry script's directory on
the module search path, which would make every module of the package importable at top level
too (``crm_desktop/profile.py`` would shadow the standard library's ``profile``). A script
outside the package avoids that.
"""

import sys

from crm_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
