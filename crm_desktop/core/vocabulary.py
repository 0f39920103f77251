"""The words the UI shows for stored codes (statuses, interaction kinds), in one place."""

from __future__ import annotations

from crm_desktop.i18n import _

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
