"""Find files under ``resources/`` the same way from a checkout, a wheel and a PyInstaller
bundle."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates() -> list[Path]:
    bundle = getattr(sys, "_MEIPASS", None)
    found = []
    if bundle:
        found.append(Path(bundle) / "resources")
    found.append(_PACKAGE_DIR / "_resources")  # installed wheel (force-included)
    found.append(_PACKAGE_DIR.parent / "resources")  # source checkout / editable install
    return found


def resources_dir() -> Path:
    """The resources directory for this way of running."""
    for candidate in _candidates():
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "Rapport's resources directory is missing: " + ", ".join(str(c) for c in _candidates())
    )


def resource_path(*parts: str) -> Path:
    """Path of one resource file, e.g. ``resource_path("demo", "seeds.json")``."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"Resource not found: {path}")
    return path
