"""The tiny i18n helper: ``_()`` marks and translates user-visible strings (gettext catalogs).

Catalogs (``<locale>/LC_MESSAGES/rapport.mo``) live beside this file; without one the source
(English) text is used.
"""

from __future__ import annotations

import gettext
from pathlib import Path

_LOCALE_DIR = Path(__file__).resolve().parent
_translation: gettext.NullTranslations = gettext.translation(
    "rapport", localedir=_LOCALE_DIR, fallback=True
)


def install(languages: list[str] | None = None) -> None:
    """Switch the UI language (``None``: the environment's LANGUAGE/LANG)."""
    global _translation
    _translation = gettext.translation(
        "rapport", localedir=_LOCALE_DIR, languages=languages, fallback=True
    )


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translation.ngettext(singular, plural, count)
