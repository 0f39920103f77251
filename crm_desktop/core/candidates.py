"""Creating, editing, trashing and restoring candidates, with validation.

All candidate writes pass through ``CandidateService``: it validates, keeps the month-day index
columns and contact-point digits in step, and announces each change on the ``EventHub``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.validation import (
    PartialDate,
    ValidationError,
    check_partial_date,
    email_problem,
    phone_digits,
    phone_problem,
)
from crm_desktop.store.fields import month_day
from crm_desktop.store.models import CANDIDATE_STATUSES, Candidate, ContactPoint
from crm_desktop.store.params import chunks

MAX_TEXT = 20_000
MAX_SHORT_TEXT = 300
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")

# The consult fields (schema v3). Short ones are one line in the form; the rest are free text.
CAREER_SHORT_FIELDS = ("notice_period", "expected_salary")
CAREER_LONG_FIELDS = (
    "motivations",
    "target_roles",
    "certifications_held",
    "certifications_recommended",
    "achievements",
)
CAREER_FIELDS = CAREER_SHORT_FIELDS + CAREER_LONG_FIELDS


@dataclass(frozen=True)
class CandidateInput:
    """What a person (or an importer) can set on a candidate."""

    first_name: str
    last_name: str = ""
    headline: str = ""
    company_name: str = ""
    location: str = ""
    skills: str = ""
    source: str = ""
    status: str = "active"
    preferred_language: str = "en"
    birthday: PartialDate | None = None
    joined_on: date | None = None
    follow_up_days: int | None = None
    notes: str = ""
    concerns: str = ""
    career_goals: str = ""
    # Career profile (consult): free text, as the recruiter writes it ("3 months", "€70-80k").
    motivations: str = ""
    notice_period: str = ""
    expected_salary: str = ""
    target_roles: str = ""
    certifications_held: str = ""
    certifications_recommended: str = ""
    achievements: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()


@dataclass(frozen=True)
class CandidateRecord:
    """A saved candidate as the UI shows it."""

    id: int
    data: CandidateInput
    created_at: datetime
    updated_at: datetime
    last_contacted_at: datetime | None
    deleted_at: datetime | None

    @property
    def display_name(self) -> str:
        return display_name(self.data.first_name, self.data.last_name)


@dataclass(frozen=True)
class TrashedCandidate:
    id: int
    name: str
    deleted_at: datetime


def display_name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


@dataclass
class CandidateService:
    clock: Clock
    hub: EventHub
    database: peewee.Database = field(repr=False)

    def create(self, data: CandidateInput) -> int:
        data = self.validate(data)
        now = self.clock.now()
        with self.database.atomic():
            row = Candidate.create(created_at=now, updated_at=now, **_columns(data))
            _write_contacts(row.id, data)
        self.hub.emit(Change("candidate", "created", (row.id,), (row.id,)))
        return row.id

    def update(self, candidate_id: int, data: CandidateInput) -> None:
        data = self.validate(data)
        with self.database.atomic():
            updated = (
                Candidate.update(updated_at=self.clock.now(), **_columns(data))
                .where(Candidate.id == candidate_id)
                .execute()
            )
            if not updated:
                raise KeyError(f"Candidate {candidate_id} does not exist")
            _replace_contacts(candidate_id, data)
        self.hub.emit(Change("candidate", "updated", (candidate_id,), (candidate_id,)))

    def get(self, candidate_id: int) -> CandidateRecord:
        row = Candidate.get_by_id(candidate_id)
        contacts = list(
            ContactPoint.select()
            .where(ContactPoint.candidate == candidate_id)
            .order_by(ContactPoint.is_primary.desc(), ContactPoint.id)
        )
        birthday = (
            PartialDate(row.birthday_month, row.birthday_day, row.birthday_year)
            if row.birthday_month and row.birthday_day
            else None
        )
        data = CandidateInput(
            first_name=row.first_name,
            last_name=row.last_name,
            headline=row.headline,
            company_name=row.company_name,
            location=row.location,
            skills=row.skills,
            source=row.source,
            status=row.status,
            preferred_language=row.preferred_language,
            birthday=birthday,
            joined_on=row.joined_on,
            follow_up_days=row.follow_up_days,
            notes=row.notes,
            concerns=row.concerns,
            career_goals=row.career_goals,
            **{name: getattr(row, name) for name in CAREER_FIELDS},
            emails=tuple(c.value for c in contacts if c.kind == "email"),
            phones=tuple(c.value for c in contacts if c.kind == "phone"),
        )
        return CandidateRecord(
            id=row.id,
            data=data,
            created_at=row.created_at,
            updated_at=row.updated_at,
            last_contacted_at=row.last_contacted_at,
            deleted_at=row.deleted_at,
        )

    def exists(self, candidate_id: int) -> bool:
        return Candidate.select().where(Candidate.id == candidate_id).exists()

    def trash(self, candidate_ids: list[int]) -> None:
        """Move to the trash (restorable); nothing related is deleted."""
        self._set_deleted(candidate_ids, self.clock.now(), "trashed")

    def set_status(self, candidate_ids: list[int], status: str) -> None:
        """Bulk status change (from a multi-selection in the list)."""
        if status not in CANDIDATE_STATUSES:
            raise ValidationError({"status": f"Unknown status “{status}”"})
        if not candidate_ids:
            return
        with self.database.atomic():
            for chunk in chunks(candidate_ids):
                Candidate.update(status=status, updated_at=self.clock.now()).where(
                    Candidate.id.in_(chunk)
                ).execute()
        ids = tuple(candidate_ids)
        self.hub.emit(Change("candidate", "updated", ids, ids))

    def restore(self, candidate_ids: list[int]) -> None:
        self._set_deleted(candidate_ids, None, "restored")

    def trashed(self) -> list[TrashedCandidate]:
        rows = (
            Candidate.select(
                Candidate.id, Candidate.first_name, Candidate.last_name, Candidate.deleted_at
            )
            .where(Candidate.deleted_at.is_null(False))
            .order_by(Candidate.deleted_at.desc())
        )
        return [
            TrashedCandidate(r.id, display_name(r.first_name, r.last_name), r.deleted_at)
            for r in rows
        ]

    def _set_deleted(self, ids: list[int], when: datetime | None, action: str) -> None:
        if not ids:
            return
        with self.database.atomic():
            for chunk in chunks(ids):
                Candidate.update(deleted_at=when).where(Candidate.id.in_(chunk)).execute()
        self.hub.emit(Change("candidate", action, tuple(ids), tuple(ids)))

    def validate(self, data: CandidateInput) -> CandidateInput:
        """Return the cleaned input, or raise ``ValidationError`` naming every bad field.

        Input that is plainly valid (see ``plainly_valid``: what nearly every imported row and
        form save is) is returned as it is without the full check, which would return it
        unchanged too; anything else gets the full check and its messages.
        """
        if plainly_valid(data):
            return data
        return self.validate_in_full(data)

    def validate_in_full(self, data: CandidateInput) -> CandidateInput:
        """The full check behind ``validate``: every rule, every message."""
        errors: dict[str, str] = {}
        cleaned = {
            "first_name": data.first_name.strip(),
            "last_name": data.last_name.strip(),
            "emails": tuple(e for e in map(str.strip, data.emails) if e),
            "phones": tuple(p for p in map(str.strip, data.phones) if p),
        }
        if any(getattr(data, name) != value for name, value in cleaned.items()):
            data = replace(data, **cleaned)
        if not data.first_name and not data.last_name:
            errors["first_name"] = "A candidate needs a first or last name"
        short_fields = ("first_name", "last_name", "headline", "company_name", "location", "source")
        for name in short_fields + CAREER_SHORT_FIELDS:
            if len(getattr(data, name)) > MAX_SHORT_TEXT:
                errors[name] = f"Too long: at most {MAX_SHORT_TEXT} characters"
        for name in ("skills", "notes", "concerns", "career_goals", *CAREER_LONG_FIELDS):
            if len(getattr(data, name)) > MAX_TEXT:
                errors[name] = f"Too long: at most {MAX_TEXT} characters"
        if data.status not in CANDIDATE_STATUSES:
            errors["status"] = f"Unknown status “{data.status}”"
        if data.preferred_language and not LANGUAGE_CODE.match(data.preferred_language):
            # Messages are formatted with this locale: a typo would silently fall back.
            errors["preferred_language"] = (
                f"“{data.preferred_language}” is not a language code (e.g. en, de, pt_BR)"
            )
        bad_emails = [p for p in map(email_problem, data.emails) if p]
        if bad_emails:
            errors["emails"] = bad_emails[0]
        bad_phones = [p for p in map(phone_problem, data.phones) if p]
        if bad_phones:
            errors["phones"] = bad_phones[0]
        if data.birthday is not None:
            try:
                check_partial_date(data.birthday, "birthday", self.clock.today())
            except ValidationError as exc:
                errors.update(exc.errors)
        if data.joined_on is not None and data.joined_on.year < 1950:
            errors["joined_on"] = f"{data.joined_on.isoformat()} is too far in the past"
        if data.follow_up_days is not None and not 1 <= data.follow_up_days <= 3650:
            errors["follow_up_days"] = "Follow-up cadence must be between 1 and 3650 days"
        if errors:
            raise ValidationError(errors)
        return data


_STATUSES = frozenset(CANDIDATE_STATUSES)


def plainly_valid(data: CandidateInput) -> bool:
    """True when ``validate_in_full`` would certainly return ``data`` unchanged: names and
    contacts already trimmed, plain lengths, a known status and language, e-mails and phones of
    the usual shape, no dates or cadence to check. False only means "take the full check"."""
    first, last = data.first_name, data.last_name
    if not (first or last) or first != first.strip() or last != last.strip():
        return False
    if data.birthday is not None or data.follow_up_days is not None:
        return False
    if data.joined_on is not None and data.joined_on.year < 1950:
        return False
    if data.status not in _STATUSES or (
        data.preferred_language != "en" and not LANGUAGE_CODE.match(data.preferred_language)
    ):
        return False
    if (
        max(map(len, _short_values(data))) > MAX_SHORT_TEXT
        or max(map(len, _long_values(data))) > MAX_TEXT
    ):
        return False
    for email in data.emails:
        if not email or email != email.strip() or email_problem(email) is not None:
            return False
    for phone in data.phones:
        if not phone or phone != phone.strip() or phone_problem(phone) is not None:
            return False
    return True


def _short_values(data: CandidateInput) -> tuple[str, ...]:
    return (
        data.first_name,
        data.last_name,
        data.headline,
        data.company_name,
        data.location,
        data.source,
        data.notice_period,
        data.expected_salary,
    )


def _long_values(data: CandidateInput) -> tuple[str, ...]:
    return (
        data.skills,
        data.notes,
        data.concerns,
        data.career_goals,
        data.motivations,
        data.target_roles,
        data.certifications_held,
        data.certifications_recommended,
        data.achievements,
    )


def _columns(data: CandidateInput) -> dict[str, object]:
    birthday = data.birthday
    joined = data.joined_on
    return {
        "first_name": data.first_name,
        "last_name": data.last_name,
        "headline": data.headline.strip(),
        "company_name": data.company_name.strip(),
        "location": data.location.strip(),
        "skills": data.skills.strip(),
        "source": data.source.strip(),
        "status": data.status,
        "preferred_language": data.preferred_language or "en",
        "birthday_month": birthday.month if birthday else None,
        "birthday_day": birthday.day if birthday else None,
        "birthday_year": birthday.year if birthday else None,
        "birthday_md": month_day(birthday.month, birthday.day) if birthday else None,
        "joined_on": joined,
        "joined_md": month_day(joined.month, joined.day) if joined else None,
        "follow_up_days": data.follow_up_days,
        "notes": data.notes,
        "concerns": data.concerns,
        "career_goals": data.career_goals,
        **{name: getattr(data, name).strip() for name in CAREER_FIELDS},
    }


_EDITED_KINDS = ("email", "phone")  # the form edits these; URLs (from imports) stay as they are


def _replace_contacts(candidate_id: int, data: CandidateInput) -> None:
    """Write the form's e-mails and phones, keeping labels ("work", "mobile") of unchanged
    values and every other kind of contact point; untouched lists are not rewritten at all."""
    mine = ContactPoint.candidate == candidate_id
    existing = list(
        ContactPoint.select(ContactPoint.kind, ContactPoint.value, ContactPoint.label)
        .where(mine & ContactPoint.kind.in_(_EDITED_KINDS))
        .order_by(ContactPoint.is_primary.desc(), ContactPoint.id)
        .tuples()
    )
    wanted = [("email", v) for v in data.emails] + [("phone", v) for v in data.phones]
    if [(kind, value) for kind, value, _label in existing] == wanted:
        return
    labels = {(kind, value): label for kind, value, label in existing}
    ContactPoint.delete().where(mine & ContactPoint.kind.in_(_EDITED_KINDS)).execute()
    _write_contacts(candidate_id, data, labels)


def _write_contacts(
    candidate_id: int, data: CandidateInput, labels: dict[tuple[str, str], str] | None = None
) -> None:
    labels = labels or {}
    rows = [
        {
            "candidate": candidate_id,
            "kind": kind,
            "value": value,
            "label": labels.get((kind, value), ""),
            "is_primary": index == 0,
            "digits": phone_digits(value) if kind == "phone" else "",
        }
        for kind, values in (("email", data.emails), ("phone", data.phones))
        for index, value in enumerate(values)
    ]
    if rows:
        ContactPoint.insert_many(rows).execute()
