"""Merging a duplicate candidate into the record that survives, losing nothing.

Everything that hangs off the duplicate moves to the survivor in one transaction: timeline
entries, applications, reminders, birthday/anniversary "done" states, tags, attachments, contact
points and the candidates it referred. Profile fields take the survivor's value unless it is empty
(or the recruiter chose the duplicate's); long texts (notes, concerns, career goals) and skills are
combined. Values that lose are written into the "Merged duplicate record" timeline note, so even a
replaced title can be read again. Then the duplicate row is deleted for good: its data lives on in
the survivor. The FTS5 search index follows through its triggers.

Where both records applied to the same job (one application per candidate and job), the one
further along the pipeline is kept (an outcome, joined / rejected / withdrawn, is furthest), then
the one whose stage changed last; the other's feedback and assessment are appended to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.candidates import display_name
from crm_desktop.core.duplicates import phone_key
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.referrals import refers_back
from crm_desktop.core.validation import PartialDate, ValidationError
from crm_desktop.core.vocabulary import CONTACT_DIRECTIONS, STATUS_LABELS, field_label
from crm_desktop.i18n import _, ngettext
from crm_desktop.store.models import (
    Application,
    Attachment,
    Candidate,
    CandidateTag,
    ContactPoint,
    Interaction,
    OccurrenceState,
    Reminder,
)
from crm_desktop.store.search import search_index_paused

SURVIVOR = "survivor"
DUPLICATE = "duplicate"

# Profile fields where one side's value wins: key -> the candidate columns that make it up.
CHOOSABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "first_name": ("first_name",),
    "last_name": ("last_name",),
    "headline": ("headline",),
    "company_name": ("company_name",),
    "location": ("location",),
    "status": ("status",),
    "preferred_language": ("preferred_language",),
    "birthday": ("birthday_month", "birthday_day", "birthday_year", "birthday_md"),
    "joined_on": ("joined_on", "joined_md"),
    "follow_up_days": ("follow_up_days",),
    "source": ("source",),
    "consent": ("consent_date", "consent_basis"),
    "referred_by": ("referred_by",),
}
# Fields whose values are combined, never chosen: nothing typed into them is lost.
COMBINED_FIELDS = ("skills", "notes", "concerns", "career_goals")
# Columns the merge sets itself.
_BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "deleted_at", "last_contacted_at"})
# Shown for information: every contact point moves to the survivor.
CONTACT_FIELDS = ("emails", "phones")
# Fields that always have a value; the survivor's is kept unless the duplicate's is chosen.
_NEVER_EMPTY = frozenset({"status", "preferred_language"})

# Pipeline progress; an outcome (joined, rejected, withdrawn) is the furthest a stage gets.
_STAGE_RANK = {
    "sourced": 0,
    "contacted": 1,
    "shortlisted": 2,
    "interviewing": 3,
    "offered": 4,
    "joined": 5,
    "rejected": 5,
    "withdrawn": 5,
}
_SKILL_SPLIT = re.compile(r"[;,\n]+")
# The search index (store/sql/v002_search.sql): external-content FTS5 over this view.


@dataclass(frozen=True)
class MergeSide:
    """One candidate as the merge dialog shows it: display texts per field, related counts.

    ``values`` maps every key of ``CHOOSABLE_FIELDS``, ``combined_fields()`` and
    ``CONTACT_FIELDS`` to plain text ("" when empty); ``counts`` maps "timeline",
    "applications", "reminders", "tags", "contact_points", "attachments", "referrals" to numbers.
    """

    candidate_id: int
    name: str
    values: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def combined_fields() -> tuple[str, ...]:
    """``COMBINED_FIELDS`` and every other plain-text candidate column the merge does not know.

    A column added by a later schema (career fields, say) is combined like the notes rather than
    silently dropped with the duplicate; its dialog row reads "combined".
    """
    known = _BOOKKEEPING | set(COMBINED_FIELDS)
    known |= {column for columns in CHOOSABLE_FIELDS.values() for column in columns}
    extra = tuple(
        f.name
        for f in Candidate._meta.sorted_fields
        if f.name not in known and type(f) is peewee.TextField
    )
    return COMBINED_FIELDS + extra


def _other_columns() -> tuple[str, ...]:
    """Unknown non-text candidate columns: the survivor's value unless it is empty."""
    known = _BOOKKEEPING | set(combined_fields())
    known |= {column for columns in CHOOSABLE_FIELDS.values() for column in columns}
    return tuple(f.name for f in Candidate._meta.sorted_fields if f.name not in known)


def default_choice(key: str, survivor_text: str, duplicate_text: str) -> str:
    """Which side wins ``key`` when the recruiter did not choose: the survivor unless empty."""
    if key in _NEVER_EMPTY or survivor_text or not duplicate_text:
        return SURVIVOR
    return DUPLICATE


def combine_texts(first: str, second: str) -> str:
    """Both texts separated by a blank line; one of them when the other is empty or the same."""
    first, second = first.strip(), second.strip()
    if not second or second == first:
        return first
    if not first:
        return second
    return f"{first}\n\n{second}"


def combine_skills(first: str, second: str) -> str:
    """The union of two skill lists ("Python, SQL" + "sql; Go" -> "Python, SQL, Go")."""
    if not second.strip():
        return first
    if not first.strip():
        return second
    seen: dict[str, str] = {}
    for skill in _SKILL_SPLIT.split(f"{first},{second}"):
        skill = skill.strip()
        if skill:
            seen.setdefault(skill.casefold(), skill)
    return ", ".join(seen.values())


@dataclass
class MergeService:
    clock: Clock
    hub: EventHub
    database: peewee.Database = field(repr=False)

    # --- preview ------------------------------------------------------------------------------
    def side(self, candidate_id: int) -> MergeSide:
        """What the merge dialog shows for one candidate (raises ValidationError if missing)."""
        row = self._load(candidate_id, "candidate")
        values = {key: self._display(row, key) for key in CHOOSABLE_FIELDS}
        values.update({key: getattr(row, key) for key in combined_fields()})
        contacts = list(
            ContactPoint.select(ContactPoint.kind, ContactPoint.value)
            .where(ContactPoint.candidate == candidate_id)
            .order_by(ContactPoint.is_primary.desc(), ContactPoint.id)
            .tuples()
        )
        values["emails"] = "; ".join(v for k, v in contacts if k == "email")
        values["phones"] = "; ".join(v for k, v in contacts if k == "phone")

        def count(model: type[peewee.Model], column: peewee.Field) -> int:
            return model.select().where(column == candidate_id).count()

        counts = {
            "timeline": count(Interaction, Interaction.candidate),
            "applications": count(Application, Application.candidate),
            "reminders": count(Reminder, Reminder.candidate),
            "tags": count(CandidateTag, CandidateTag.candidate),
            "contact_points": len(contacts),
            "attachments": count(Attachment, Attachment.candidate),
            "referrals": count(Candidate, Candidate.referred_by),
        }
        return MergeSide(candidate_id, _name(row), values, counts)

    # --- merge --------------------------------------------------------------------------------
    def merge(
        self, survivor_id: int, duplicate_id: int, choices: dict[str, str] | None = None
    ) -> None:
        """Fold ``duplicate_id`` into ``survivor_id`` and delete it, in one transaction.

        ``choices`` maps a key of ``CHOOSABLE_FIELDS`` to "survivor" or "duplicate"; fields not
        named take the survivor's value unless it is empty. Raises ``ValidationError`` (nothing
        changed) for a merge with itself, a missing or trashed candidate, or a bad choice.
        """
        choices = dict(choices or {})
        _check_choices(choices)
        if survivor_id == duplicate_id:
            raise ValidationError(
                {
                    "duplicate": _("Candidate {id} cannot be merged with itself").format(
                        id=survivor_id
                    )
                }
            )
        now = self.clock.now()
        with self.database.atomic():
            survivor = self._load(survivor_id, "survivor")
            duplicate = self._load(duplicate_id, "duplicate")
            columns, dropped = self._resolve_profile(survivor, duplicate, choices)
            with search_index_paused(self.database, (survivor_id, duplicate_id)):
                timeline = _move(Interaction, Interaction.candidate, duplicate_id, survivor_id)
                contact_points = _merge_contacts(survivor_id, duplicate_id)
            moved = {
                "timeline": timeline,
                "contact_points": contact_points,
                "reminders": _move(Reminder, Reminder.candidate, duplicate_id, survivor_id),
                "applications": _merge_applications(survivor_id, duplicate_id),
                "occurrences": _merge_occurrences(survivor_id, duplicate_id),
                "tags": _merge_tags(survivor_id, duplicate_id),
                "attachments": _merge_attachments(survivor_id, duplicate_id),
                "referrals": Candidate.update(referred_by=survivor_id)
                .where((Candidate.referred_by == duplicate_id) & (Candidate.id != survivor_id))
                .execute(),
            }
            referrer = columns["referred_by"]
            if referrer is not None and refers_back(referrer, survivor_id):
                # The duplicate's referrals now point at the survivor; keeping the survivor's
                # referrer would close a loop (A referred B referred A). Keep the referrals.
                dropped.append(
                    _("Referred by (dropped, it would make a referral loop): {who}").format(
                        who=_candidate_label(referrer)
                    )
                )
                columns["referred_by"] = None
            columns["last_contacted_at"] = _latest(
                survivor.last_contacted_at,
                duplicate.last_contacted_at,
                _newest_contact(survivor_id),
            )
            columns["created_at"] = min(survivor.created_at, duplicate.created_at)
            columns["updated_at"] = now
            Candidate.update(**columns).where(Candidate.id == survivor_id).execute()
            Interaction.create(
                candidate=survivor_id,
                kind="note",
                direction="none",
                occurred_at=now,
                summary=_("Merged duplicate record {name} (#{id})").format(
                    name=_name(duplicate), id=duplicate_id
                ),
                body=_note_body(moved, dropped),
                created_at=now,
                updated_at=now,
            )
            # Anything not moved (exact duplicates of the survivor's rows) cascades away.
            Candidate.delete().where(Candidate.id == duplicate_id).execute()
        self.hub.emit(Change("candidate", "updated", (survivor_id,), (survivor_id,)))
        self.hub.emit(Change("candidate", "merged", (duplicate_id,), (survivor_id, duplicate_id)))

    # --- internals ----------------------------------------------------------------------------
    @staticmethod
    def _load(candidate_id: int, role: str) -> Candidate:
        row = Candidate.get_or_none(Candidate.id == candidate_id)
        if row is None:
            raise ValidationError(
                {role: _("Candidate {id} does not exist").format(id=candidate_id)}
            )
        if row.deleted_at is not None:
            raise ValidationError(
                {
                    role: _("Candidate {id} is in the trash; restore it before merging").format(
                        id=candidate_id
                    )
                }
            )
        return row

    def _resolve_profile(
        self, survivor: Candidate, duplicate: Candidate, choices: dict[str, str]
    ) -> tuple[dict[str, object], list[str]]:
        """The survivor's new column values, and lines describing each value that lost."""
        columns: dict[str, object] = {}
        dropped: list[str] = []
        for row in (survivor, duplicate):  # in memory only: these rows are never saved
            if row.referred_by_id in (survivor.id, duplicate.id):
                row.referred_by_id = None  # would refer the survivor to itself
        for key, names in CHOOSABLE_FIELDS.items():
            own, other = self._display(survivor, key), self._display(duplicate, key)
            choice = choices.get(key) or default_choice(key, own, other)
            winner, loser = (duplicate, survivor) if choice == DUPLICATE else (survivor, duplicate)
            if key == "referred_by":
                columns["referred_by"] = _referrer(winner, survivor.id, duplicate.id)
            else:
                columns.update({name: getattr(winner, name) for name in names})
            lost = self._display(loser, key)
            if lost and lost != self._display(winner, key):
                whose = _("merged record") if loser is duplicate else _("previous value")
                dropped.append(f"{field_label(key)} ({whose}): {lost}")
        if not columns["first_name"] and not columns["last_name"]:
            raise ValidationError(
                {"first_name": _("The merged candidate needs a first or last name")}
            )
        for key in _other_columns():
            own = getattr(survivor, key)
            columns[key] = own if own not in (None, "") else getattr(duplicate, key)
        for key in combined_fields():
            combine = combine_skills if key == "skills" else combine_texts
            columns[key] = combine(getattr(survivor, key), getattr(duplicate, key))
        return columns, dropped

    def _display(self, row: Candidate, key: str) -> str:
        """A field's value as plain text ("" when empty)."""
        if key == "status":
            return str(STATUS_LABELS.get(row.status, row.status))
        if key == "birthday":
            if not (row.birthday_month and row.birthday_day):
                return ""
            date = PartialDate(row.birthday_month, row.birthday_day, row.birthday_year)
            return date.isoformat().lstrip("-")
        if key == "joined_on":
            return row.joined_on.isoformat() if row.joined_on else ""
        if key == "follow_up_days":
            if not row.follow_up_days:
                return ""
            return ngettext("every {n} day", "every {n} days", row.follow_up_days).format(
                n=row.follow_up_days
            )
        if key == "consent":
            parts = [row.consent_date.isoformat() if row.consent_date else "", row.consent_basis]
            return " — ".join(p for p in parts if p)
        if key == "referred_by":
            return _candidate_label(row.referred_by_id)
        return str(getattr(row, key) or "")


def _check_choices(choices: dict[str, str]) -> None:
    errors = {}
    for key, value in choices.items():
        if key not in CHOOSABLE_FIELDS:
            errors[key] = _("“{field}” cannot be chosen in a merge").format(field=key)
        elif value not in (SURVIVOR, DUPLICATE):
            errors[key] = _("Choose “survivor” or “duplicate”, not “{value}”").format(value=value)
    if errors:
        raise ValidationError(errors)


def _name(row: Candidate) -> str:
    return display_name(row.first_name, row.last_name)


def _referrer(winner: Candidate, survivor_id: int, duplicate_id: int) -> int | None:
    """The winner's referrer, unless that would make the survivor refer itself."""
    referrer = winner.referred_by_id
    return None if referrer in (survivor_id, duplicate_id) else referrer


def _candidate_label(candidate_id: int | None) -> str:
    """ "Ana Silva (#12)", or "" for no candidate."""
    if candidate_id is None:
        return ""
    row = (
        Candidate.select(Candidate.first_name, Candidate.last_name)
        .where(Candidate.id == candidate_id)
        .tuples()
        .first()
    )
    name = display_name(*row) if row else ""
    return f"{name} (#{candidate_id})".strip()


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _newest_contact(candidate_id: int) -> datetime | None:
    row = (
        Interaction.select(Interaction.occurred_at)
        .where(
            (Interaction.candidate == candidate_id) & Interaction.direction.in_(CONTACT_DIRECTIONS)
        )
        .order_by(Interaction.occurred_at.desc())
        .first()
    )
    return row.occurred_at if row else None


def _move(model: type[peewee.Model], column: peewee.Field, source: int, target: int) -> int:
    return model.update({column: target}).where(column == source).execute()


def _merge_applications(survivor_id: int, duplicate_id: int) -> int:
    """Move the duplicate's applications; for a job both applied to, keep one (module doc)."""
    own = {a.job_id: a for a in Application.select().where(Application.candidate == survivor_id)}
    moved = 0
    for theirs in list(Application.select().where(Application.candidate == duplicate_id)):
        mine = own.get(theirs.job_id)
        if mine is None:
            theirs.candidate = survivor_id
            theirs.save()
            moved += 1
            continue

        def progress(app: Application, is_survivor: bool) -> tuple:
            return (_STAGE_RANK.get(app.stage, 0), app.stage_changed_at, is_survivor)

        keep, drop = (
            (theirs, mine) if progress(theirs, False) > progress(mine, True) else (mine, theirs)
        )
        keep.candidate_feedback = combine_texts(keep.candidate_feedback, drop.candidate_feedback)
        keep.assessment = combine_texts(keep.assessment, drop.assessment)
        keep.interview_at = keep.interview_at or drop.interview_at
        keep.created_at = min(keep.created_at, drop.created_at)
        drop.delete_instance()
        keep.candidate = survivor_id
        keep.save()
        moved += 1
    return moved


def _merge_occurrences(survivor_id: int, duplicate_id: int) -> int:
    """Move "done"/"alerted" states; where both have one for the same day, combine them."""
    own = {
        (o.kind, o.occurs_on): o
        for o in OccurrenceState.select().where(OccurrenceState.candidate == survivor_id)
    }
    moved = 0
    for theirs in list(OccurrenceState.select().where(OccurrenceState.candidate == duplicate_id)):
        mine = own.get((theirs.kind, theirs.occurs_on))
        if mine is None:
            theirs.candidate = survivor_id
            theirs.save()
            moved += 1
        elif (mine.done_at is None and theirs.done_at) or (
            mine.notified_at is None and theirs.notified_at
        ):
            mine.done_at = mine.done_at or theirs.done_at
            mine.notified_at = mine.notified_at or theirs.notified_at
            mine.save()
    return moved


def _merge_tags(survivor_id: int, duplicate_id: int) -> int:
    own = [
        row[0]
        for row in CandidateTag.select(CandidateTag.tag)
        .where(CandidateTag.candidate == survivor_id)
        .tuples()
    ]
    return (
        CandidateTag.update(candidate=survivor_id)
        .where((CandidateTag.candidate == duplicate_id) & CandidateTag.tag.not_in(own))
        .execute()
    )


def _merge_attachments(survivor_id: int, duplicate_id: int) -> int:
    """Move files; the same file (content and name) already on the survivor is not doubled."""
    own = set(
        Attachment.select(Attachment.sha256, Attachment.filename)
        .where(Attachment.candidate == survivor_id)
        .tuples()
    )
    moved = 0
    for attachment_id, sha, filename in (
        Attachment.select(Attachment.id, Attachment.sha256, Attachment.filename)
        .where(Attachment.candidate == duplicate_id)
        .tuples()
    ):
        if (sha, filename) in own:
            continue
        Attachment.update(candidate=survivor_id).where(Attachment.id == attachment_id).execute()
        own.add((sha, filename))
        moved += 1
    return moved


def _contact_key(kind: str, value: str, digits: str) -> tuple[str, str]:
    if kind == "phone":
        return kind, phone_key(digits) or value.strip()
    if kind == "url":
        return kind, value.strip().casefold().rstrip("/")
    return kind, value.strip().casefold()


def _merge_contacts(survivor_id: int, duplicate_id: int) -> int:
    """Move contact points the survivor lacks; the survivor's primary ones stay primary."""
    rows = (
        ContactPoint.select(
            ContactPoint.id,
            ContactPoint.candidate,
            ContactPoint.kind,
            ContactPoint.value,
            ContactPoint.digits,
            ContactPoint.is_primary,
        )
        .where(ContactPoint.candidate.in_([survivor_id, duplicate_id]))
        .order_by(ContactPoint.is_primary.desc(), ContactPoint.id)
        .tuples()
    )
    rows = list(rows)
    seen = {_contact_key(k, v, d) for _i, c, k, v, d, _p in rows if c == survivor_id}
    has_primary = {k for _i, c, k, _v, _d, p in rows if c == survivor_id and p}
    moved = 0
    for contact_id, candidate_id, kind, value, digits, primary in rows:
        if candidate_id != duplicate_id:
            continue
        key = _contact_key(kind, value, digits)
        if key in seen:
            continue  # an exact duplicate: deleted with the duplicate record
        seen.add(key)
        keep_primary = bool(primary) and kind not in has_primary
        if keep_primary:
            has_primary.add(kind)
        ContactPoint.update(candidate=survivor_id, is_primary=keep_primary).where(
            ContactPoint.id == contact_id
        ).execute()
        moved += 1
    return moved


_MOVED_LABELS: dict[str, Callable[[int], str]] = {
    "timeline": lambda n: ngettext("{n} timeline entry", "{n} timeline entries", n),
    "applications": lambda n: ngettext("{n} application", "{n} applications", n),
    "reminders": lambda n: ngettext("{n} reminder", "{n} reminders", n),
    "tags": lambda n: ngettext("{n} tag", "{n} tags", n),
    "contact_points": lambda n: ngettext("{n} contact point", "{n} contact points", n),
    "attachments": lambda n: ngettext("{n} attachment", "{n} attachments", n),
    "referrals": lambda n: ngettext("{n} referral", "{n} referrals", n),
}


def _note_body(moved: dict[str, int], dropped: list[str]) -> str:
    parts = [
        label(moved[key]).format(n=moved[key]) for key, label in _MOVED_LABELS.items() if moved[key]
    ]
    lines = [_("Moved here: {items}.").format(items=", ".join(parts))] if parts else []
    if dropped:
        lines.append(_("Values not kept:"))
        lines.extend(f"- {line}" for line in dropped)
    return "\n".join(lines)
