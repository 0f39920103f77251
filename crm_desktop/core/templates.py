"""Message templates: named placeholders, checked when saved, rendered for one candidate.

A template is text with ``{placeholders}`` from a fixed list (``PLACEHOLDERS``). The list is
closed on purpose: a typo such as ``{frist_name}`` is reported when the template is *saved*,
naming the bad placeholder, instead of reaching a candidate as raw braces. Placeholders take no
format specs, conversions or attribute access (``{first_name.__class__}``): values are plain text
prepared by ``compose.message_values`` in the candidate's language; ``{{`` and ``}}`` are
literal braces.

Shipped defaults live in ``resources/templates/defaults.json`` and are seeded the first time the
templates are used. Each default is offered once (the keys offered are remembered in the
``setting`` table), so a default the recruiter edited is never overwritten and one they deleted
never comes back; defaults added by a later release still arrive.
"""

from __future__ import annotations

import difflib
import json
import re
import string
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from typing import Any

import peewee
from babel import Locale, UnknownLocaleError

from crm_desktop.clock import Clock
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.formatting import DEFAULT_LOCALE
from crm_desktop.core.validation import ValidationError
from crm_desktop.i18n import _
from crm_desktop.resources import resource_path
from crm_desktop.store.models import Setting, Template

MAX_NAME = 100
MAX_SUBJECT = 300
MAX_BODY = 20_000
SEEDED_KEY = "templates.seeded_defaults"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")

# name -> what it stands for (the editor lists these and inserts them).
PLACEHOLDERS: dict[str, str] = {
    "first_name": _("Candidate's first name"),
    "last_name": _("Candidate's last name"),
    "full_name": _("Candidate's full name"),
    "current_title": _("Candidate's current title"),
    "current_company": _("Candidate's current employer"),
    "job_title": _("Title of the job"),
    "company": _("Client company of the job"),
    "job_location": _("Where the job is"),
    "salary_range": _("The job's salary range, in the candidate's number format"),
    "stage": _("The candidate's stage for the job"),
    "interview_date": _("Interview day, e.g. Tuesday, 3 March 2026"),
    "interview_time": _("Interview time, e.g. 14:30"),
    "joining_date": _("First day in the placed role"),
    "years": _("Whole years since the joining date, e.g. 3 (work anniversary)"),
    "years_text": _("The same in words, e.g. “3 years”, “3 Jahre”"),
    "birthday": _("Birthday, day and month"),
    "today": _("Today's date"),
    "recruiter_name": _("Your name (set in the template editor)"),
    "recruiter_email": _("Your e-mail address"),
    "recruiter_phone": _("Your phone number"),
}

# Placeholders whose values come from a job (compose offers the candidate's latest job for them).
JOB_PLACEHOLDERS = frozenset(
    {
        "job_title",
        "company",
        "job_location",
        "salary_range",
        "stage",
        "interview_date",
        "interview_time",
    }
)

# What a template is for; compose picks by purpose when it is opened from Today or a stage change.
PURPOSES: dict[str, str] = {
    "shortlisted": _("Shortlisted"),
    "interview_scheduled": _("Interview scheduled"),
    "not_selected": _("Not selected"),
    "offer": _("Offer"),
    "joining_day": _("Joining day"),
    "work_anniversary": _("Work anniversary"),
    "birthday": _("Birthday"),
    "check_in": _("Check-in"),
    "career_advice": _("Career advice"),
    "referral_thanks": _("Referral thank-you"),
    "": _("Other"),
}

# Pipeline stage -> the template purpose that tells the candidate about it.
PURPOSE_FOR_STAGE = {
    "shortlisted": "shortlisted",
    "interviewing": "interview_scheduled",
    "offered": "offer",
    "rejected": "not_selected",
    "joined": "joining_day",
}

# Today item kind (core.today.TodayItem.kind) -> template purpose. Pipeline items
# ("owed_update", "interview") take the purpose of their application's stage instead.
PURPOSE_FOR_TODAY_KIND = {
    "birthday": "birthday",
    "joining_day": "joining_day",
    "anniversary": "work_anniversary",
    "reminder": "check_in",
    "follow_up": "check_in",
}

# How a sent message is logged: "email" means as it was sent (an e-mail, or a message when
# copied for chat or SMS). Status news is logged that way too, not as "status_update": that kind
# is the pipeline's own trail, and an outbound e-mail about a job is what marks the candidate
# informed (core/pipeline.py).
TEMPLATE_KINDS = ("email", "celebration", "advice")


class TemplateSyntaxError(ValueError):
    """The text is not a valid template (unbalanced braces, positional or formatted fields)."""


@dataclass(frozen=True)
class TemplateInput:
    name: str
    subject: str = ""
    body: str = ""
    purpose: str = ""
    language: str = ""  # "" = any language
    kind: str = "email"


@dataclass(frozen=True)
class TemplateRecord:
    id: int
    data: TemplateInput
    builtin_key: str | None
    updated_at: datetime

    @property
    def name(self) -> str:
        return self.data.name


@dataclass(frozen=True)
class Rendered:
    """Rendered text plus the placeholders that had no value (left as ``{name}`` in the text)."""

    text: str
    missing: tuple[str, ...] = ()


# --- placeholders -----------------------------------------------------------------------------


def placeholders_in(text: str) -> list[str]:
    """The placeholder names in ``text``, in order; raises ``TemplateSyntaxError``."""
    names = []
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateSyntaxError(
            _("Unbalanced braces ({problem}); write {{{{ and }}}} for literal braces").format(
                problem=exc
            )
        ) from exc
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if not name:
            raise TemplateSyntaxError(_("Empty placeholder {}: name it, e.g. {first_name}"))
        if spec or conversion or not name.isidentifier():
            written = "{" + name + (f"!{conversion}" if conversion else "")
            written += (f":{spec}" if spec else "") + "}"
            raise TemplateSyntaxError(
                _("Placeholders are plain names: {written} is not one").format(written=written)
            )
        names.append(name)
    return names


def unknown_placeholders(text: str) -> list[str]:
    """Names in ``text`` that are not in ``PLACEHOLDERS`` (each once, in order)."""
    unknown: list[str] = []
    for name in placeholders_in(text):
        if name not in PLACEHOLDERS and name not in unknown:
            unknown.append(name)
    return unknown


def placeholder_problem(text: str) -> str | None:
    """Why ``text`` cannot be saved as a template, naming every unknown placeholder."""
    try:
        unknown = unknown_placeholders(text)
    except TemplateSyntaxError as exc:
        return str(exc)
    if not unknown:
        return None
    described = []
    for name in unknown:
        close = difflib.get_close_matches(name, PLACEHOLDERS, n=1, cutoff=0.75)
        hint = _(" (did you mean {{{close}}}?)").format(close=close[0]) if close else ""
        described.append("{" + name + "}" + hint)
    if len(unknown) == 1:
        return _("Unknown placeholder {names}").format(names=described[0])
    return _("Unknown placeholders {names}").format(names=", ".join(described))


def render(text: str, values: dict[str, str]) -> Rendered:
    """Fill ``text`` with ``values``; a placeholder without a value stays visible as ``{name}``.

    Never raises: text that is not a valid template (saved before it was checked, or typed in
    the compose box) is returned as it is.
    """
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return Rendered(text)
    out: list[str] = []
    missing: list[str] = []
    for literal, name, spec, conversion in parts:
        out.append(literal)
        if name is None:
            continue
        value = values.get(name, "") if name.isidentifier() and not (spec or conversion) else ""
        if value:
            out.append(value)
            continue
        out.append("{" + name + (f"!{conversion}" if conversion else ""))
        out.append((f":{spec}" if spec else "") + "}")
        if name not in missing:
            missing.append(name)
    return Rendered("".join(out), tuple(missing))


def uses_job(template: TemplateInput) -> bool:
    """True when the template needs a job to fill its placeholders."""
    try:
        names = placeholders_in(template.subject) + placeholders_in(template.body)
    except TemplateSyntaxError:
        return False
    return any(name in JOB_PLACEHOLDERS for name in names)


def message_locale(language: str) -> str:
    """The babel locale for a candidate's preferred language ("en" -> the app's English)."""
    language = (language or "").strip()
    if not language:
        return DEFAULT_LOCALE
    if language.split("_")[0] == DEFAULT_LOCALE.split("_")[0] and "_" not in language:
        return DEFAULT_LOCALE  # plain "en" means the app's English (day-month order)
    try:
        return str(Locale.parse(language))
    except (UnknownLocaleError, ValueError):
        return DEFAULT_LOCALE


def language_name(language: str, in_locale: str = DEFAULT_LOCALE) -> str:
    """ "German", "Portuguese (Brazil)"; the code itself when babel does not know it."""
    if not language:
        return _("Any language")
    try:
        return Locale.parse(language).get_display_name(in_locale) or language
    except (UnknownLocaleError, ValueError):
        return language


# --- shipped defaults -------------------------------------------------------------------------


@cache
def default_templates() -> dict[str, TemplateInput]:
    """builtin key -> the shipped template, from ``resources/templates/defaults.json``."""
    raw = json.loads(resource_path("templates", "defaults.json").read_text(encoding="utf-8"))
    return {
        item["key"]: TemplateInput(
            name=item["name"],
            subject=item.get("subject", ""),
            body="\n".join(item["body"]) if isinstance(item["body"], list) else item["body"],
            purpose=item.get("purpose", ""),
            language=item.get("language", ""),
            kind=item.get("kind", "email"),
        )
        for item in raw["templates"]
    }


# --- the service ------------------------------------------------------------------------------


@dataclass
class TemplateService:
    clock: Clock
    hub: EventHub
    database: peewee.Database
    _seeded: bool = field(default=False, init=False, repr=False)

    def ensure_defaults(self) -> int:
        """Add shipped defaults not offered before; returns how many were added. Idempotent."""
        self._seeded = True
        with self.database.atomic():
            row = Setting.get_or_none(Setting.key == SEEDED_KEY)
            offered: list[str] = json.loads(row.value) if row else []
            fresh = [(k, t) for k, t in default_templates().items() if k not in offered]
            if not fresh:
                return 0
            taken = {name.casefold() for (name,) in Template.select(Template.name).tuples()}
            now = self.clock.now()
            added = []
            for key, template in fresh:
                offered.append(key)
                if template.name.casefold() in taken:
                    continue  # the recruiter already has a template of that name: theirs wins
                row_id = Template.insert(
                    **_columns(template), builtin_key=key, updated_at=now
                ).execute()
                added.append(row_id)
            Setting.replace(key=SEEDED_KEY, value=json.dumps(offered)).execute()
        if added:
            self.hub.emit(Change("template", "created", tuple(added)))
        return len(added)

    def all(self) -> list[TemplateRecord]:
        """Every template, by name."""
        self._seed_once()
        rows = Template.select().order_by(peewee.fn.lower(Template.name))
        return [_record(row) for row in rows]

    def get(self, template_id: int) -> TemplateRecord:
        self._seed_once()
        return _record(Template.get_by_id(template_id))

    def choose(self, ref: str | int | None, language: str = "") -> TemplateRecord | None:
        """The best template for purpose ``ref`` (a key of ``PURPOSES``), else the template
        named ``ref`` (any case) or with that id.

        Among templates of a purpose, the candidate's language wins, then "any language",
        then English, then the rest; ties go to the recruiter's own over shipped ones.
        """
        if ref is None or ref == "":
            return None
        self._seed_once()
        if isinstance(ref, int):
            row = Template.get_or_none(Template.id == ref)
            return _record(row) if row else None
        if ref not in PURPOSES:
            row = Template.get_or_none(peewee.fn.lower(Template.name) == ref.casefold())
            return _record(row) if row else None
        wanted = (language or "").split("_")[0]

        def rank(row: Template) -> tuple[int, int, int]:
            own = (row.language or "").split("_")[0]
            place = 0 if own == wanted else 1 if not own else 2 if own == "en" else 3
            return place, 0 if row.builtin_key is None else 1, row.id

        rows = sorted(Template.select().where(Template.purpose == ref), key=rank)
        return _record(rows[0]) if rows else None

    def create(self, data: TemplateInput) -> int:
        data = self.validate(data)
        with self.database.atomic():
            row = Template.create(**_columns(data), updated_at=self.clock.now())
        self.hub.emit(Change("template", "created", (row.id,)))
        return row.id

    def update(self, template_id: int, data: TemplateInput) -> None:
        data = self.validate(data, template_id)
        with self.database.atomic():
            updated = (
                Template.update(**_columns(data), updated_at=self.clock.now())
                .where(Template.id == template_id)
                .execute()
            )
        if not updated:
            raise KeyError(f"Template {template_id} does not exist")
        self.hub.emit(Change("template", "updated", (template_id,)))

    def delete(self, template_id: int) -> None:
        with self.database.atomic():
            Template.delete_by_id(template_id)
        self.hub.emit(Change("template", "deleted", (template_id,)))

    def shipped_version(self, template_id: int) -> TemplateInput | None:
        """The shipped text of a default template (None for the recruiter's own)."""
        row = Template.get_by_id(template_id)
        return default_templates().get(row.builtin_key) if row.builtin_key else None

    def reset_to_default(self, template_id: int) -> None:
        """Put a shipped template back as it was shipped (keeping its current name if taken)."""
        shipped = self.shipped_version(template_id)
        if shipped is None:
            raise ValueError("Only shipped templates can be reset")
        try:
            self.validate(shipped, template_id)
        except ValidationError:
            shipped = replace(shipped, name=Template.get_by_id(template_id).name)
        self.update(template_id, shipped)

    def validate(self, data: TemplateInput, template_id: int | None = None) -> TemplateInput:
        """Cleaned input, or ``ValidationError`` naming every problem (unknown placeholders too)."""
        data = replace(
            data,
            name=" ".join(data.name.split()),
            subject=" ".join(data.subject.split()),
            body=data.body.strip("\n").rstrip(),
            language=data.language.strip(),
        )
        errors: dict[str, str] = {}
        if not data.name:
            errors["name"] = _("A template needs a name")
        elif len(data.name) > MAX_NAME:
            errors["name"] = _("The name is too long: at most {n} characters").format(n=MAX_NAME)
        else:
            clash = Template.select().where(peewee.fn.lower(Template.name) == data.name.casefold())
            if template_id is not None:
                clash = clash.where(Template.id != template_id)
            if clash.exists():
                errors["name"] = _("A template named “{name}” already exists").format(
                    name=data.name
                )
        if len(data.subject) > MAX_SUBJECT:
            errors["subject"] = _("The subject is too long: at most {n} characters").format(
                n=MAX_SUBJECT
            )
        elif problem := placeholder_problem(data.subject):
            errors["subject"] = problem
        if not data.body.strip():
            errors["body"] = _("Write the message: the text is empty")
        elif len(data.body) > MAX_BODY:
            errors["body"] = _("The text is too long: at most {n} characters").format(n=MAX_BODY)
        elif problem := placeholder_problem(data.body):
            errors["body"] = problem
        if data.purpose not in PURPOSES:
            errors["purpose"] = _("Unknown purpose “{purpose}”").format(purpose=data.purpose)
        if data.kind not in TEMPLATE_KINDS:
            errors["kind"] = _("Unknown kind of entry “{kind}”").format(kind=data.kind)
        if data.language and not LANGUAGE_CODE.match(data.language):
            errors["language"] = _("“{code}” is not a language code (e.g. en, de, pt_BR)").format(
                code=data.language
            )
        if errors:
            raise ValidationError(errors)
        return data

    def _seed_once(self) -> None:
        # Seeded lazily, on first use: opening the app (and its cold start) pays nothing.
        if not self._seeded:
            self.ensure_defaults()


def _columns(data: TemplateInput) -> dict[str, Any]:
    return {
        "name": data.name,
        "subject": data.subject,
        "body": data.body,
        "purpose": data.purpose,
        "language": data.language,
        "kind": data.kind,
    }


def _record(row: Template) -> TemplateRecord:
    return TemplateRecord(
        id=row.id,
        data=TemplateInput(
            name=row.name,
            subject=row.subject,
            body=row.body,
            purpose=row.purpose,
            language=row.language,
            kind=row.kind,
        ),
        builtin_key=row.builtin_key,
        updated_at=row.updated_at,
    )
