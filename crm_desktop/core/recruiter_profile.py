"""Who the recruiter is, for the messages they send: name, e-mail and phone for signatures.

Three declared preferences (``core.preferences``), stored in the ``setting`` table under
``recruiter.name``, ``recruiter.email`` and ``recruiter.phone``, so they travel with the database
(backups, a new laptop) rather than living in per-machine QSettings. Templates reach them through
``{recruiter_name}``, ``{recruiter_email}`` and ``{recruiter_phone}``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from crm_desktop.core.preferences import Pref, Preferences
from crm_desktop.core.validation import ValidationError, email_problem

MAX_LENGTH = 200


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


RECRUITER_NAME = Pref("recruiter.name", "", str, _text)
RECRUITER_EMAIL = Pref("recruiter.email", "", str, _text)
RECRUITER_PHONE = Pref("recruiter.phone", "", str, _text)
_PREFS = {"name": RECRUITER_NAME, "email": RECRUITER_EMAIL, "phone": RECRUITER_PHONE}


@dataclass(frozen=True)
class RecruiterProfile:
    name: str = ""
    email: str = ""
    phone: str = ""


class RecruiterProfileService:
    """Reads and validates-then-writes the recruiter's details."""

    def __init__(self, preferences: Preferences) -> None:
        self._preferences = preferences

    def get(self) -> RecruiterProfile:
        return RecruiterProfile(
            **{attribute: self._preferences.get(pref) for attribute, pref in _PREFS.items()}
        )

    def save(self, profile: RecruiterProfile) -> None:
        """Store the details; ``ValidationError`` names each bad field and nothing is saved."""
        profile = replace(
            profile,
            name=profile.name.strip(),
            email=profile.email.strip(),
            phone=profile.phone.strip(),
        )
        errors = {
            attribute: f"Too long: at most {MAX_LENGTH} characters"
            for attribute in _PREFS
            if len(getattr(profile, attribute)) > MAX_LENGTH
        }
        if profile.email and (problem := email_problem(profile.email)):
            errors["email"] = problem
        if errors:
            raise ValidationError(errors)
        last = len(_PREFS) - 1
        for number, (attribute, pref) in enumerate(_PREFS.items()):
            # One announcement for the three values, after the last one is written.
            self._preferences.set(pref, getattr(profile, attribute), announce=number == last)
