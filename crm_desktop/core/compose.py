"""Composing a message to a candidate: fill a template, hand it to the mail client, log it.

The app never sends mail itself (it is offline and holds no mail credentials). It opens the
recruiter's own mail client with the message filled in:

- a ``mailto:`` URL (RFC 6068) when it is short enough: every character outside the unreserved
  set is percent-encoded as UTF-8 (so ``&``, ``?``, ``#`` and ``%`` in the text cannot end a
  field early), spaces are ``%20`` (not ``+``, which mail clients keep literally) and line breaks
  are CRLF, ``%0D%0A``;
- an ``.eml`` draft (``X-Unsent: 1``, which Outlook and others open as a message to send) when
  the link would be longer than ``MAILTO_LIMIT``: some clients and Windows' shell truncate long
  ``mailto:`` links silently, cutting the letter off mid-sentence.

Whatever the way out, ``ComposeService.log_sent`` records exactly one timeline entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from urllib.parse import quote

import peewee
from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_currency, format_decimal
from babel.units import format_unit

from crm_desktop.clock import Clock
from crm_desktop.core.candidates import display_name
from crm_desktop.core.recruiter_profile import RecruiterProfile, RecruiterProfileService
from crm_desktop.core.templates import (
    TemplateInput,
    TemplateService,
    message_locale,
    render,
)
from crm_desktop.core.timeline import MAX_SUMMARY, TimelineService
from crm_desktop.core.vocabulary import STAGE_LABELS
from crm_desktop.paths import make_private_dir, touch_private_file
from crm_desktop.store.models import Application, Candidate, Company, ContactPoint, Job

MAILTO_LIMIT = 2000  # characters; beyond this a draft file is safer than a link
DRAFT_KEEP_DAYS = 7
LOGGED_AS_TEMPLATE_KIND = ("celebration", "advice")
CHANNELS = ("email", "message")  # mail client (link or draft) / copied for chat or SMS
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Draft:
    """A message ready for the compose dialog; ``missing`` placeholders had no value."""

    candidate_id: int
    candidate_name: str
    recipients: tuple[str, ...]  # the candidate's e-mail addresses, primary first
    subject: str
    body: str
    template_id: int | None = None
    template_name: str | None = None
    template_kind: str = "email"
    job_id: int | None = None
    missing: tuple[str, ...] = ()
    locale: str = ""


@dataclass(frozen=True)
class Delivery:
    """How to hand the message over: the URL to open, and the draft file when one was written."""

    url: str
    eml_path: Path | None = None


# --- encoding ---------------------------------------------------------------------------------


def crlf(text: str) -> str:
    """Every line break as CRLF, as mail wants it."""
    return _LINE_BREAKS.sub("\r\n", text)


def mailto_url(recipients: tuple[str, ...] | list[str], subject: str = "", body: str = "") -> str:
    """An RFC 6068 ``mailto:`` URL; pure ASCII, safe to hand to any URL opener."""
    to = ",".join(quote(address.strip(), safe="@") for address in recipients if address.strip())
    fields = []
    if subject:
        fields.append("subject=" + quote(subject, safe=""))
    if body:
        fields.append("body=" + quote(crlf(body), safe=""))
    return f"mailto:{to}" + ("?" + "&".join(fields) if fields else "")


def build_eml(
    recipients: tuple[str, ...] | list[str], subject: str, body: str, sender: str = ""
) -> bytes:
    """An unsent e-mail (``X-Unsent: 1``) in UTF-8, CRLF line ends."""
    message = EmailMessage(policy=default_policy.clone(linesep="\r\n"))
    if sender:
        message["From"] = sender
    if recipients:
        message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message["X-Unsent"] = "1"
    message.set_content(_LINE_BREAKS.sub("\n", body))
    return message.as_bytes()


def write_eml(
    directory: Path,
    recipients: tuple[str, ...] | list[str],
    subject: str,
    body: str,
    *,
    now: datetime,
    sender: str = "",
) -> Path:
    """Write a draft into ``directory`` (private), clearing drafts older than a week first."""
    make_private_dir(directory)
    _prune_drafts(directory, now)
    stem = f"rapport-draft-{now:%Y%m%d-%H%M%S}"
    path = directory / f"{stem}.eml"
    counter = 1
    while path.exists():
        counter += 1
        path = directory / f"{stem}-{counter}.eml"
    touch_private_file(path)
    path.write_bytes(build_eml(recipients, subject, body, sender))
    return path


def plan_delivery(
    recipients: tuple[str, ...] | list[str],
    subject: str,
    body: str,
    drafts_dir: Path,
    *,
    now: datetime,
    sender: str = "",
    limit: int = MAILTO_LIMIT,
) -> Delivery:
    """A ``mailto:`` link when it fits in ``limit`` characters, else an ``.eml`` draft."""
    url = mailto_url(recipients, subject, body)
    if len(url) <= limit:
        return Delivery(url)
    path = write_eml(drafts_dir, recipients, subject, body, now=now, sender=sender)
    return Delivery(path.resolve().as_uri(), path)


def _prune_drafts(directory: Path, now: datetime) -> None:
    # The mail client reads the file after we hand it over, so a draft cannot be deleted right
    # away; old ones are cleared on the next write so personal data does not pile up.
    cutoff = (now - timedelta(days=DRAFT_KEEP_DAYS)).timestamp()
    for old in directory.glob("rapport-draft-*.eml"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            continue


# --- values for placeholders ------------------------------------------------------------------


def years_between(start: date, on: date) -> int:
    """Whole years from ``start`` to ``on`` (an anniversary on 29 February counts on 28th)."""
    years = on.year - start.year
    if (on.month, on.day) < (start.month, start.day):
        leap_day_in_common_year = (start.month, start.day) == (2, 29) and (on.month, on.day) == (
            2,
            28,
        )
        if not leap_day_in_common_year:
            years -= 1
    return years


def salary_text(low: int | None, high: int | None, currency: str, locale: str) -> str:
    """ "€60,000–€75,000" / "60.000–75.000 €"; "" when the job has no salary."""

    def one(amount: int) -> str:
        if not currency:
            return format_decimal(amount, locale=locale)
        pattern = Locale.parse(locale).currency_formats["standard"].pattern
        return format_currency(
            amount,
            currency,
            format=pattern.replace(".00", ""),
            locale=locale,
            currency_digits=False,
        )

    amounts = [a for a in (low, high) if a is not None]
    if not amounts:
        return ""
    if len(amounts) == 1 or low == high:
        return one(amounts[0])
    return f"{one(amounts[0])}–{one(amounts[1])}"


def recruiter_values(recruiter: RecruiterProfile) -> dict[str, str]:
    return {
        "recruiter_name": recruiter.name,
        "recruiter_email": recruiter.email,
        "recruiter_phone": recruiter.phone,
    }


def message_values(
    candidate_id: int,
    *,
    clock: Clock,
    recruiter: RecruiterProfile,
    job_id: int | None = None,
    on: date | None = None,
) -> tuple[dict[str, str], str]:
    """Placeholder values for one candidate, formatted in their language; and that locale.

    ``on`` is the occasion (an anniversary falling next Tuesday); it defaults to today. Without
    a ``job_id`` the job the candidate joined (if any) fills the job placeholders, which is what
    joining-day and anniversary messages need. Values that are unknown are left out.
    """
    row = Candidate.get_by_id(candidate_id)
    locale = message_locale(row.preferred_language)
    today = clock.today()
    occasion = on or today
    values = {
        "first_name": row.first_name or row.last_name,
        "last_name": row.last_name,
        "full_name": display_name(row.first_name, row.last_name),
        "current_title": row.headline,
        "current_company": row.company_name,
        "today": format_date(today, "long", locale=locale),
        **recruiter_values(recruiter),
    }
    if row.joined_on is not None:
        values["joining_date"] = format_date(row.joined_on, "long", locale=locale)
        years = years_between(row.joined_on, occasion)
        if years >= 1:
            values["years"] = format_decimal(years, locale=locale)
            values["years_text"] = format_unit(years, "duration-year", "long", locale=locale)
    if row.birthday_month and row.birthday_day:
        # Any leap year will do: only day and month are shown.
        day = date(2000, row.birthday_month, row.birthday_day)
        values["birthday"] = format_skeleton("MMMMd", day, locale=locale)
    values.update(_job_values(candidate_id, job_id, clock, locale))
    return {k: v for k, v in values.items() if v}, locale


def _job_values(candidate_id: int, job_id: int | None, clock: Clock, locale: str) -> dict[str, str]:
    query = (
        Application.select(Application, Job, Company)
        .join(Job)
        .join(Company, peewee.JOIN.LEFT_OUTER)
        .where(Application.candidate == candidate_id)
    )
    if job_id is not None:
        application = query.where(Application.job == job_id).first()
    else:
        application = (
            query.where(Application.stage == "joined")
            .order_by(Application.stage_changed_at.desc())
            .first()
        )
    job = application.job if application is not None else None
    if job is None and job_id is not None:
        job = (
            Job.select(Job, Company)
            .join(Company, peewee.JOIN.LEFT_OUTER)
            .where(Job.id == job_id)
            .first()
        )
    if job is None:
        return {}
    values = {
        "job_title": job.title,
        "company": job.company.name if job.company_id else "",
        "job_location": job.location,
        "salary_range": salary_text(job.salary_min, job.salary_max, job.currency, locale),
    }
    if application is not None:
        values["stage"] = STAGE_LABELS.get(application.stage, application.stage)
        if application.interview_at is not None:
            local = application.interview_at.astimezone(clock.tz())
            values["interview_date"] = format_date(local.date(), "full", locale=locale)
            values["interview_time"] = format_time(local, "short", locale=locale)
    return values


def sample_values(language: str, recruiter: RecruiterProfile, clock: Clock) -> dict[str, str]:
    """Made-up values for previewing a template without a candidate, in ``language``."""
    locale = message_locale(language)
    today = clock.today()
    interview = datetime.combine(today + timedelta(days=5), datetime.min.time()).replace(hour=14)
    joined = date(today.year - 3, today.month, min(today.day, 28))
    values = {
        "first_name": "Priya",
        "last_name": "Nair",
        "full_name": "Priya Nair",
        "current_title": "Data Engineer",
        "current_company": "Northwind Analytics",
        "job_title": "Senior Data Engineer",
        "company": "Foxglove Health",
        "job_location": "Berlin",
        "salary_range": salary_text(70000, 85000, "EUR", locale),
        "stage": STAGE_LABELS["shortlisted"],
        "interview_date": format_date(interview.date(), "full", locale=locale),
        "interview_time": format_time(interview.time(), "short", locale=locale),
        "joining_date": format_date(joined, "long", locale=locale),
        "years": format_decimal(3, locale=locale),
        "years_text": format_unit(3, "duration-year", "long", locale=locale),
        "birthday": format_skeleton("MMMMd", date(2000, 3, 14), locale=locale),
        "today": format_date(today, "long", locale=locale),
        **recruiter_values(recruiter),
    }
    return {k: v for k, v in values.items() if v}


def logged_kind(template_kind: str, channel: str) -> str:
    """The timeline kind of a sent message: the template's (celebration, advice) when it has
    one, else how it went out (e-mail, or a message when copied)."""
    if template_kind in LOGGED_AS_TEMPLATE_KIND:
        return template_kind
    return "message" if channel == "message" else "email"


def summary_of(subject: str, body: str) -> str:
    """The timeline summary of a message: its subject, else its first line; never too long."""
    text = subject.strip() or next((line.strip() for line in body.splitlines() if line.strip()), "")
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


# --- the service ------------------------------------------------------------------------------


@dataclass
class ComposeService:
    clock: Clock
    timeline: TimelineService
    templates: TemplateService
    recruiter: RecruiterProfileService

    def draft(
        self,
        candidate_id: int,
        template: str | int | None = None,
        *,
        job_id: int | None = None,
        on: date | None = None,
    ) -> Draft:
        """A message for the candidate from ``template`` (a name, a purpose or an id).

        With no (or no matching) template the draft is empty, addressed and ready to write.
        """
        language = Candidate.get_by_id(candidate_id).preferred_language
        record = self.templates.choose(template, language)
        if record is None:
            return self.render(TemplateInput(name=""), candidate_id, job_id=job_id, on=on)
        return self.render(
            record.data,
            candidate_id,
            job_id=job_id,
            on=on,
            template_id=record.id,
        )

    def render(
        self,
        template: TemplateInput,
        candidate_id: int,
        *,
        job_id: int | None = None,
        on: date | None = None,
        template_id: int | None = None,
    ) -> Draft:
        values, locale = message_values(
            candidate_id, clock=self.clock, recruiter=self.recruiter.get(), job_id=job_id, on=on
        )
        subject = render(template.subject, values)
        body = render(template.body, values)
        missing = tuple(dict.fromkeys(subject.missing + body.missing))
        row = Candidate.get_by_id(candidate_id)
        return Draft(
            candidate_id=candidate_id,
            candidate_name=display_name(row.first_name, row.last_name),
            recipients=self.recipients(candidate_id),
            subject=subject.text,
            body=body.text,
            template_id=template_id,
            template_name=template.name or None,
            template_kind=template.kind,
            job_id=job_id,
            missing=missing,
            locale=locale,
        )

    @staticmethod
    def recipients(candidate_id: int) -> tuple[str, ...]:
        rows = (
            ContactPoint.select(ContactPoint.value)
            .where((ContactPoint.candidate == candidate_id) & (ContactPoint.kind == "email"))
            .order_by(ContactPoint.is_primary.desc(), ContactPoint.id)
            .tuples()
        )
        return tuple(value for (value,) in rows)

    def log_sent(
        self,
        candidate_id: int,
        subject: str,
        body: str,
        *,
        channel: str = "email",
        template_name: str | None = None,
        template_kind: str = "email",
        job_id: int | None = None,
    ) -> int:
        """Record the message on the timeline: exactly one outbound entry."""
        if channel not in CHANNELS:
            raise ValueError(f"Unknown channel {channel!r}")
        return self.timeline.add(
            candidate_id,
            logged_kind(template_kind, channel),
            summary_of(subject, body),
            body,
            direction="out",
            job_id=job_id,
            template_name=template_name or None,
        )
