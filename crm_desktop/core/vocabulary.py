"""The words the UI shows for stored codes (statuses, interaction kinds), in one place."""

from __future__ import annotations

from crm_desktop.i18n import _
from crm_desktop.store import models

# The stored codes, for widgets (which read them from core, never from the store).
STAGES = models.STAGES
INTERACTION_KINDS = models.INTERACTION_KINDS

STATUS_LABELS = {
    "active": _("Active"),
    "passive": _("Passive"),
    "placed": _("Placed"),
    "do_not_contact": _("Do not contact"),
}

STAGE_LABELS = {
    "sourced": _("Sourced"),
    "contacted": _("Contacted"),
    "shortlisted": _("Shortlisted"),
    "interviewing": _("Interviewing"),
    "offered": _("Offered"),
    "joined": _("Joined"),
    "rejected": _("Rejected"),
    "withdrawn": _("Withdrawn"),
}

# Stage changes the candidate must hear about from the recruiter: each leaves an update owed.
OWED_STAGES = ("shortlisted", "interviewing", "offered", "rejected")

KIND_LABELS = {
    "call": _("Call"),
    "email": _("E-mail"),
    "message": _("Message"),
    "meeting": _("Meeting"),
    "note": _("Note"),
    "advice": _("Advice"),
    "celebration": _("Celebration"),
    "status_update": _("Status update"),
    "referral": _("Referral"),
}

# Who spoke: a call or meeting is two-way, a note is nobody talking to anybody.
DEFAULT_DIRECTION = {
    "call": "both",
    "email": "out",
    "message": "out",
    "meeting": "both",
    "note": "none",
    "advice": "out",
    "celebration": "out",
    "status_update": "out",
    "referral": "in",
}

# Directions that count as the recruiter being in touch (they move last_contacted_at).
CONTACT_DIRECTIONS = ("out", "both")

# How profile fields are named to the user (merge review, change notes).
FIELD_LABELS = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "headline": _("Title"),
    "company_name": _("Company"),
    "location": _("Location"),
    "status": _("Status"),
    "preferred_language": _("Language"),
    "birthday": _("Birthday"),
    "joined_on": _("Joining date"),
    "follow_up_days": _("Follow-up"),
    "source": _("Source"),
    "consent": _("Consent"),
    "referred_by": _("Referred by"),
    "emails": _("E-mails"),
    "phones": _("Phones"),
    "skills": _("Skills"),
    "notes": _("Notes"),
    "concerns": _("Concerns"),
    "career_goals": _("Career goals"),
}


def field_label(key: str) -> str:
    """The label of a field; a column not listed yet gets a readable one from its name."""
    return FIELD_LABELS.get(key) or key.replace("_", " ").capitalize()
