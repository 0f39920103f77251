"""Composing: values in the candidate's language, mailto encoding, .eml drafts, one log entry."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.compose import (
    MAILTO_LIMIT,
    build_eml,
    logged_kind,
    mailto_url,
    plan_delivery,
    salary_text,
    years_between,
)
from crm_desktop.core.jobs import JobInput
from crm_desktop.core.recruiter_profile import RecruiterProfile
from crm_desktop.core.templates import TemplateInput
from crm_desktop.core.validation import PartialDate
from crm_desktop.store.models import Interaction

TRICKY_SUBJECT = "Offer & next steps? #1 — 100% für Zoë"
TRICKY_BODY = "Hi Zoë,\nQ&A at 10:00? Salary: €70k+bonus = 100%.\r\nsee a=b&c=d#frag\n\nŁukasz 日本"


def _parse_mailto(url: str) -> tuple[list[str], dict[str, list[str]]]:
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    to = [unquote(a) for a in parts.path.split(",")] if parts.path else []
    return to, parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)


# --- mailto --------------------------------------------------------------------------------------


def test_mailto_round_trips_non_ascii_newlines_and_reserved_characters():
    url = mailto_url(["zoë+jobs@example.de", "b@example.com"], TRICKY_SUBJECT, TRICKY_BODY)
    assert url.isascii()
    assert " " not in url
    assert "+" not in url.split("?", 1)[1]
    assert "%0D%0A" in url
    assert "%0A" not in url.replace("%0D%0A", "")
    to, fields = _parse_mailto(url)
    assert to == ["zoë+jobs@example.de", "b@example.com"]
    assert set(fields) == {"subject", "body"}  # "&", "?" and "#" in the text split nothing
    assert fields["subject"] == [TRICKY_SUBJECT]
    expected_body = TRICKY_BODY.replace("\r\n", "\n").replace("\n", "\r\n")
    assert fields["body"] == [expected_body]


def test_mailto_percent_encodes_utf8_bytes():
    url = mailto_url(["a@example.com"], "ü", "é")
    assert url == "mailto:a@example.com?subject=%C3%BC&body=%C3%A9"


def test_mailto_without_address_or_subject():
    assert mailto_url([], "", "hi there") == "mailto:?body=hi%20there"
    assert mailto_url(["a@example.com"]) == "mailto:a@example.com"


def test_long_messages_become_an_eml_draft(tmp_path, clock):
    short = plan_delivery(["a@example.com"], "Hi", "Short", tmp_path / "drafts", now=clock.now())
    assert short.url.startswith("mailto:")
    assert short.eml_path is None
    assert not (tmp_path / "drafts").exists()

    body = "Zoë, " + "a long paragraph & more?\n" * 120
    assert len(mailto_url(["a@example.com"], "Hi", body)) > MAILTO_LIMIT
    long = plan_delivery(
        ["a@example.com"], "Hi Zoë", body, tmp_path / "drafts", now=clock.now(), sender="me@x.org"
    )
    assert long.eml_path is not None
    assert long.url.startswith("file://")
    assert long.eml_path.stat().st_mode & 0o077 == 0  # private: it holds personal data
    message = email.message_from_bytes(long.eml_path.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert message["To"] == "a@example.com"
    assert message["From"] == "me@x.org"
    assert message["Subject"] == "Hi Zoë"
    assert message.get_content().replace("\r\n", "\n") == body.rstrip("\n") + "\n"


def test_old_drafts_are_cleared_when_a_new_one_is_written(tmp_path, clock):
    drafts = tmp_path / "drafts"
    first = plan_delivery(["a@x.org"], "s", "x" * 3000, drafts, now=clock.now()).eml_path
    again = plan_delivery(["a@x.org"], "s", "x" * 3000, drafts, now=clock.now()).eml_path
    assert first != again
    assert first.exists()
    later = clock.now() + timedelta(days=400)  # file times are real; jump far past them
    plan_delivery(["a@x.org"], "s", "x" * 3000, drafts, now=later)
    assert not first.exists()
    assert not again.exists()


def test_eml_uses_crlf_and_encodes_a_non_ascii_subject():
    raw = build_eml(["a@example.com"], "Grüße", "Zeile 1\nZeile 2")
    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n" in raw
    assert raw.endswith(b"\r\n\r\nZeile 1\r\nZeile 2\r\n")


# --- values in the candidate's language ----------------------------------------------------------


@pytest.fixture
def placed(services, clock):
    """Two candidates placed on 3 March 2023 at Foxglove; one English, one German."""
    company = services.jobs.create_company("Foxglove Health")
    job = services.jobs.create_job(
        JobInput(
            "Data Engineer",
            company_id=company,
            location="Berlin",
            salary_min=70000,
            salary_max=85000,
            currency="EUR",
        )
    )
    ids = {}
    for language, name in (("en", "Ada"), ("de", "Jürgen")):
        cid = services.candidates.create(
            CandidateInput(
                name,
                "Test",
                preferred_language=language,
                birthday=PartialDate(3, 14),
                emails=(f"{name.lower()}@example.com",),
            )
        )
        application = services.pipeline.attach(cid, job, "shortlisted")
        interview = datetime(2026, 12, 8, 13, 30, tzinfo=UTC)  # 14:30 in Berlin
        services.pipeline.move(application, "interviewing", interview_at=interview)
        services.pipeline.move(application, "joined", joined_on=date(2023, 3, 3))
        ids[language] = cid
    services.recruiter.save(RecruiterProfile("Sam Recruiter", "sam@example.org"))
    return ids, job


TEMPLATE = TemplateInput(
    "Probe",
    subject="{first_name}: {job_title} @ {company}",
    body=(
        "joined {joining_date}; {years} / {years_text}; interview {interview_date} "
        "{interview_time}; salary {salary_range}; birthday {birthday}; stage {stage}; "
        "— {recruiter_name}"
    ),
)


def test_placeholders_render_english_dates_and_numbers(services, placed, clock):
    ids, job = placed
    draft = services.compose.render(TEMPLATE, ids["en"], job_id=job, on=date(2026, 3, 3))
    assert draft.subject == "Ada: Data Engineer @ Foxglove Health"
    assert draft.body == (
        "joined 3 March 2023; 3 / 3 years; interview Tuesday, 8 December 2026 14:30; "
        "salary €70,000–€85,000; birthday 14 March; stage Joined; — Sam Recruiter"
    )
    assert draft.missing == ()
    assert draft.recipients == ("ada@example.com",)
    assert draft.locale == "en_GB"


def test_placeholders_render_german_dates_and_numbers(services, placed):
    ids, job = placed
    draft = services.compose.render(TEMPLATE, ids["de"], job_id=job, on=date(2026, 3, 3))
    assert draft.body == (
        "joined 3. März 2023; 3 / 3 Jahre; interview Dienstag, 8. Dezember 2026 14:30; "
        "salary 70.000\xa0€–85.000\xa0€; birthday 14. März; stage Joined; — Sam Recruiter"
    )
    assert draft.locale == "de"


def test_anniversary_years_count_at_the_occasion(services, placed, clock):
    ids, _job = placed
    template = TemplateInput("Years", body="{years_text}")
    on_the_day = services.compose.render(template, ids["en"], on=date(2026, 3, 3))
    day_before = services.compose.render(template, ids["en"], on=date(2026, 3, 2))
    assert (on_the_day.body, day_before.body) == ("3 years", "2 years")
    # Without a job the joined job fills the job placeholders (joining day, anniversary).
    assert services.compose.render(TemplateInput("J", body="{company}"), ids["en"]).body == (
        "Foxglove Health"
    )


def test_missing_values_are_reported_not_invented(services):
    cid = services.candidates.create(CandidateInput("Mei"))
    draft = services.compose.render(
        TemplateInput("T", subject="{job_title}", body="Hi {first_name}, {recruiter_name}"), cid
    )
    assert draft.subject == "{job_title}"
    assert draft.body == "Hi Mei, {recruiter_name}"
    assert draft.missing == ("job_title", "recruiter_name")
    assert draft.recipients == ()


def test_draft_picks_the_template_for_the_candidates_language(services, placed):
    ids, job = placed
    german = services.compose.draft(ids["de"], "not_selected", job_id=job)
    assert german.template_name == "Absage"
    assert german.subject == "Rückmeldung zur Position Data Engineer bei Foxglove Health"
    english = services.compose.draft(ids["en"], "not_selected", job_id=job)
    assert english.template_name == "Not selected"
    blank = services.compose.draft(ids["en"], None)
    assert (blank.subject, blank.body, blank.template_name) == ("", "", None)


def test_helpers():
    assert years_between(date(2020, 2, 29), date(2021, 2, 28)) == 1  # celebrated on the 28th
    assert years_between(date(2020, 2, 29), date(2021, 2, 27)) == 0
    assert salary_text(None, None, "EUR", "en_GB") == ""
    assert salary_text(50000, None, "", "de") == "50.000"
    assert logged_kind("celebration", "email") == "celebration"
    assert logged_kind("email", "message") == "message"
    assert logged_kind("email", "email") == "email"


# --- logging -------------------------------------------------------------------------------------


def test_sending_logs_exactly_one_timeline_entry(services, placed, clock):
    ids, _job = placed
    cid = ids["en"]
    before = Interaction.select().where(Interaction.candidate == cid).count()
    draft = services.compose.draft(cid, "Birthday")
    entry_id = services.compose.log_sent(
        cid,
        draft.subject,
        draft.body,
        channel="email",
        template_name=draft.template_name,
        template_kind=draft.template_kind,
    )
    assert Interaction.select().where(Interaction.candidate == cid).count() == before + 1
    entry = services.timeline.get(entry_id)
    assert (entry.kind, entry.direction, entry.template_name) == ("celebration", "out", "Birthday")
    assert entry.summary == "Happy birthday, Ada!"
    assert entry.body == draft.body
    assert services.candidates.get(cid).last_contacted_at == clock.now()


def test_a_status_message_about_a_job_marks_the_candidate_informed(services, clock):
    cid = services.candidates.create(CandidateInput("Lin", emails=("lin@example.com",)))
    job = services.jobs.create_job(JobInput("Analyst"))
    application = services.pipeline.attach(cid, job, "sourced")
    services.pipeline.move(application, "rejected")
    assert services.pipeline.get(application).owes_update
    clock.advance(timedelta(minutes=1))
    draft = services.compose.draft(cid, "not_selected", job_id=job)
    services.compose.log_sent(
        cid, draft.subject, draft.body, template_kind=draft.template_kind, job_id=job
    )
    assert not services.pipeline.get(application).owes_update
