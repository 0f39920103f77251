"""Rapport: an offline candidate-relationship manager for solo recruiters."""

from importlib import metadata

APP_NAME = "Rapport"
APP_AUTHOR = "Rapport"

try:
    __version__ = metadata.version("crm-desktop")
except metadata.PackageNotFoundError:  # running from a bundle without dist-info
    __version__ = "0.1.0"
