"""Rapport: an offline candidate-relationship manager for solo recruiters."""

# The single source of the version (pyproject reads it through hatch): a literal here costs
# nothing at start-up, where importlib.metadata took 30-60 ms.
__version__ = "0.1.0"

APP_NAME = "Rapport"
APP_AUTHOR = "Rapport"
