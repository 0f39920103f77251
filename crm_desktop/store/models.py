"""The schema (v1), as peewee models bound to a database proxy.

Only ``store`` and ``core`` use these models; widgets never touch them. Columns the list sorts or
filters by are indexed; names use NOCASE collation so a plain index serves a case-blind sort.
Yearly dates keep a month-day integer (``birthday_md``, ``joined_md``) so "birthdays this week"
is an index range, not a scan.
"""

from __future__ import annotations

import peewee

from crm_desktop.store.fields import PlainDateField, UtcDateTimeField

db = peewee.DatabaseProxy()

CANDIDATE_STATUSES = ("active", "passive", "placed", "do_not_contact")
CONTACT_KINDS = ("email", "phone", "url")
JOB_STATUSES = ("open", "on_hold", "filled", "closed")
STAGES = (
    "sourced",
    "contacted",
    "shortlisted",
    "interviewing",
    "offered",
    "joined",
    "rejected",
    "withdrawn",
)
INTERACTION_KINDS = (
    "call",
    "email",
    "message",
    "meeting",
    "note",
    "advice",
    "celebration",
    "status_update",
    "referral",
)
DIRECTIONS = ("in", "out", "both", "none")
RECURRENCES = ("none", "daily", "weekly", "monthly", "yearly")


class BaseModel(peewee.Model):
    class Meta:
        database = db
        legacy_table_names = False


class Candidate(BaseModel):
    first_name = peewee.TextField(collation="NOCASE")
    last_name = peewee.TextField(collation="NOCASE", default="")
    headline = peewee.TextField(default="")
    company_name = peewee.TextField(collation="NOCASE", default="", index=True)
    location = peewee.TextField(collation="NOCASE", default="", index=True)
    skills = peewee.TextField(default="")
    source = peewee.TextField(default="", index=True)
    status = peewee.TextField(default="active", index=True)
    preferred_language = peewee.TextField(default="en")
    birthday_month = peewee.IntegerField(null=True)
    birthday_day = peewee.IntegerField(null=True)
    birthday_year = peewee.IntegerField(null=True)
    birthday_md = peewee.IntegerField(null=True, index=True)
    joined_on = PlainDateField(null=True)
    joined_md = peewee.IntegerField(null=True, index=True)
    follow_up_days = peewee.IntegerField(null=True)
    notes = peewee.TextField(default="")
    concerns = peewee.TextField(default="")
    career_goals = peewee.TextField(default="")
    # Career profile (schema v3): what the recruiter consults on.
    motivations = peewee.TextField(default="")
    notice_period = peewee.TextField(default="")
    expected_salary = peewee.TextField(default="")
    target_roles = peewee.TextField(default="")
    certifications_held = peewee.TextField(default="")
    certifications_recommended = peewee.TextField(default="")
    achievements = peewee.TextField(default="")
    consent_date = PlainDateField(null=True)
    consent_basis = peewee.TextField(default="")
    referred_by = peewee.ForeignKeyField(
        "self", null=True, on_delete="SET NULL", backref="referrals", index=True
    )
    last_contacted_at = UtcDateTimeField(null=True, index=True)
    created_at = UtcDateTimeField()
    updated_at = UtcDateTimeField(index=True)
    deleted_at = UtcDateTimeField(null=True, index=True)

    class Meta:
        indexes = ((("last_name", "first_name"), False),)


class ContactPoint(BaseModel):
    candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", backref="contact_points")
    kind = peewee.TextField()
    value = peewee.TextField()
    label = peewee.TextField(default="")
    is_primary = peewee.BooleanField(default=False)
    digits = peewee.TextField(default="", index=True)  # phone digits, for matching any format

    class Meta:
        indexes = ((("kind", "value"), False),)


class Company(BaseModel):
    name = peewee.TextField(collation="NOCASE", unique=True)
    website = peewee.TextField(default="")
    notes = peewee.TextField(default="")
    created_at = UtcDateTimeField()
    updated_at = UtcDateTimeField()


class Job(BaseModel):
    company = peewee.ForeignKeyField(Company, null=True, on_delete="SET NULL", backref="jobs")
    title = peewee.TextField(collation="NOCASE")
    description = peewee.TextField(default="")
    location = peewee.TextField(default="")
    salary_min = peewee.IntegerField(null=True)
    salary_max = peewee.IntegerField(null=True)
    currency = peewee.TextField(default="")
    openings = peewee.IntegerField(default=1)
    status = peewee.TextField(default="open", index=True)
    created_at = UtcDateTimeField()
    updated_at = UtcDateTimeField()


class Application(BaseModel):
    candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", backref="applications")
    job = peewee.ForeignKeyField(Job, on_delete="CASCADE", backref="applications")
    stage = peewee.TextField(default="sourced", index=True)
    stage_changed_at = UtcDateTimeField()
    informed_at = UtcDateTimeField(null=True)
    candidate_feedback = peewee.TextField(default="")
    assessment = peewee.TextField(default="")
    interview_at = UtcDateTimeField(null=True, index=True)
    created_at = UtcDateTimeField()

    class Meta:
        indexes = ((("candidate", "job"), True),)


class Interaction(BaseModel):
    candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", backref="interactions")
    kind = peewee.TextField()
    direction = peewee.TextField(default="none")
    occurred_at = UtcDateTimeField()
    duration_minutes = peewee.IntegerField(null=True)
    summary = peewee.TextField(default="")
    body = peewee.TextField(default="")
    job = peewee.ForeignKeyField(Job, null=True, on_delete="SET NULL", backref="interactions")
    template_name = peewee.TextField(null=True)
    created_at = UtcDateTimeField()
    updated_at = UtcDateTimeField()

    class Meta:
        indexes = ((("candidate", "occurred_at"), False),)


class Reminder(BaseModel):
    title = peewee.TextField()
    notes = peewee.TextField(default="")
    due_at = UtcDateTimeField(index=True)
    recurrence = peewee.TextField(default="none")
    # The day of the month a monthly/yearly reminder keeps (v7); None: its due date's day.
    repeat_day = peewee.IntegerField(null=True)
    candidate = peewee.ForeignKeyField(
        Candidate, null=True, on_delete="CASCADE", backref="reminders", index=True
    )
    job = peewee.ForeignKeyField(Job, null=True, on_delete="SET NULL", backref="reminders")
    interaction = peewee.ForeignKeyField(
        Interaction, null=True, on_delete="SET NULL", backref="promises"
    )
    done_at = UtcDateTimeField(null=True)  # open ones: partial index reminder_open_due (v7)
    snoozed_until = UtcDateTimeField(null=True)
    notified_at = UtcDateTimeField(null=True)
    created_at = UtcDateTimeField()


class OccurrenceState(BaseModel):
    """Done / alerted state of a derived yearly item (birthday 2027, anniversary 2028...)."""

    kind = peewee.TextField()
    candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", backref="occurrences")
    occurs_on = PlainDateField()
    done_at = UtcDateTimeField(null=True)
    notified_at = UtcDateTimeField(null=True)

    class Meta:
        indexes = ((("kind", "candidate", "occurs_on"), True),)


class Template(BaseModel):
    name = peewee.TextField(unique=True)
    purpose = peewee.TextField(default="")
    subject = peewee.TextField(default="")
    body = peewee.TextField(default="")
    updated_at = UtcDateTimeField()
    # Schema v3: "" = any language; the timeline kind a sent message is logged as; the shipped
    # default it came from (None for the recruiter's own templates).
    language = peewee.TextField(default="")
    kind = peewee.TextField(default="email")
    builtin_key = peewee.TextField(null=True)


class Insight(BaseModel):
    """A note worth sharing (industry news, a certification, a tip); searchable (insight_fts)."""

    title = peewee.TextField(collation="NOCASE")
    body = peewee.TextField(default="")
    topic = peewee.TextField(collation="NOCASE", default="")
    tags = peewee.TextField(default="")  # comma-separated, as typed
    created_at = UtcDateTimeField()
    updated_at = UtcDateTimeField(index=True)


class Tag(BaseModel):
    name = peewee.TextField(collation="NOCASE", unique=True)
    colour = peewee.TextField(default="#607d8b")


class CandidateTag(BaseModel):
    candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", backref="tag_links")
    tag = peewee.ForeignKeyField(Tag, on_delete="CASCADE", backref="candidate_links", index=True)

    class Meta:
        indexes = ((("candidate", "tag"), True),)


class Attachment(BaseModel):
    candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", backref="attachments")
    filename = peewee.TextField()
    sha256 = peewee.TextField(index=True)
    size = peewee.IntegerField()
    mime_type = peewee.TextField(default="application/octet-stream")
    added_at = UtcDateTimeField()


class AuditEntry(BaseModel):
    """A privacy action (schema v4): what and when, never who (see sql/v004_audit.sql)."""

    at = UtcDateTimeField(index=True)
    action = peewee.TextField()
    detail = peewee.TextField()

    class Meta:
        table_name = "audit_log"


class Setting(BaseModel):
    key = peewee.TextField(primary_key=True)
    value = peewee.TextField()  # JSON


ALL_MODELS: tuple[type[BaseModel], ...] = (
    Candidate,
    ContactPoint,
    Company,
    Job,
    Application,
    Interaction,
    Reminder,
    OccurrenceState,
    Template,
    Tag,
    CandidateTag,
    Attachment,
    Setting,
    Insight,
    AuditEntry,
)
