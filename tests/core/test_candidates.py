"""Candidate validation names the field and the value; nothing half-saved remains."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm_desktop.core.candidate_list import ListQuery
from crm_desktop.core.candidates import CandidateInput, plainly_valid
from crm_desktop.core.validation import PartialDate, ValidationError, parse_partial_date
from crm_desktop.store.models import Candidate, ContactPoint


def test_bad_email_names_the_value_and_saves_nothing(services):
    with pytest.raises(ValidationError) as error:
        services.candidates.create(
            CandidateInput("Ana", emails=("ana@example.com", "not an email"))
        )
    assert "not an email" in error.value.errors["emails"]
    assert Candidate.select().count() == 0
    assert ContactPoint.select().count() == 0


def test_every_bad_field_is_reported_at_once(services):
    with pytest.raises(ValidationError) as error:
        services.candidates.create(
            CandidateInput(
                "",
                phones=("12",),
                birthday=PartialDate(2, 30, 1990),
                status="sleeping",
            )
        )
    assert set(error.value.errors) == {"first_name", "phones", "birthday", "status"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-03-14", PartialDate(3, 14, 1990)),
        ("03-14", PartialDate(3, 14)),
        ("--02-29", PartialDate(2, 29)),
        ("", None),
    ],
)
def test_partial_dates_parse(clock, text, expected):
    assert parse_partial_date(text, "birthday", clock.today()) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1990-02-29", "not a real date"),
        ("13-01", "not a real date"),
        ("14/03/1990", "is not a date"),
        ("2031-01-01", "year must be between"),
    ],
)
def test_impossible_dates_are_rejected_with_the_reason(clock, text, message):
    with pytest.raises(ValidationError) as error:
        parse_partial_date(text, "birthday", clock.today())
    assert message in error.value.errors["birthday"]


def test_update_replaces_contact_points_and_trash_restores(services):
    cid = services.candidates.create(CandidateInput("Ana", phones=("+49 (0)30 1234-567",)))
    [phone] = ContactPoint.select().where(ContactPoint.candidate == cid)
    assert phone.digits == "490301234567"
    record = services.candidates.get(cid)
    services.candidates.update(cid, CandidateInput("Ana", "Silva", emails=("a@example.com",)))
    assert services.candidates.get(cid).data.phones == ()
    assert services.candidates.get(cid).created_at == record.created_at
    services.candidates.trash([cid])
    assert services.candidate_list.ids(ListQuery()) == []
    services.candidates.restore([cid])
    assert services.candidate_list.ids(ListQuery()) == [cid]


def test_saving_the_form_keeps_urls_and_labels(services):
    cid = services.candidates.create(
        CandidateInput("Ana", emails=("ana@example.com",), phones=("+49 170 1234567",))
    )
    ContactPoint.update(label="work").where(ContactPoint.kind == "email").execute()
    ContactPoint.create(candidate=cid, kind="url", value="https://example.org/ana", digits="")
    services.candidates.update(
        cid,
        CandidateInput(
            "Ana", emails=("ana@example.com", "ana@home.example"), phones=("+49 170 1234567",)
        ),
    )
    rows = {
        (c.kind, c.value): c.label
        for c in ContactPoint.select().where(ContactPoint.candidate == cid)
    }
    assert rows == {
        ("email", "ana@example.com"): "work",
        ("email", "ana@home.example"): "",
        ("phone", "+49 170 1234567"): "",
        ("url", "https://example.org/ana"): "",
    }


_TEXT = st.text(st.sampled_from(" \tAaé@.+-()0123456789x,;"), max_size=12)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=_TEXT,
    last=_TEXT,
    headline=st.one_of(_TEXT, st.just("h" * 301)),
    notes=st.one_of(_TEXT, st.just("n" * 20_001)),
    status=st.sampled_from(["active", "passive", "sleeping"]),
    language=st.sampled_from(["en", "de", "pt_BR", "", "english"]),
    emails=st.lists(st.one_of(_TEXT, st.just("ana@example.com")), max_size=2),
    phones=st.lists(st.one_of(_TEXT, st.just("+49 170 1234567")), max_size=2),
)
def test_the_fast_path_accepts_only_what_the_full_check_returns_unchanged(
    services, first, last, headline, notes, status, language, emails, phones
):
    data = CandidateInput(
        first,
        last,
        headline=headline,
        notes=notes,
        status=status,
        preferred_language=language,
        emails=tuple(emails),
        phones=tuple(phones),
    )
    if plainly_valid(data):
        assert services.candidates.validate_in_full(data) == data
    else:  # validate is the full check: the same result or the same messages
        assert _outcome(services.candidates.validate, data) == _outcome(
            services.candidates.validate_in_full, data
        )


def _outcome(check, data):
    try:
        return check(data)
    except ValidationError as exc:
        return exc.errors


def test_the_fast_path_leaves_dates_and_untrimmed_values_to_the_full_check():
    assert plainly_valid(CandidateInput("Ada", emails=("ada@example.com",), phones=("0170 12345",)))
    assert not plainly_valid(CandidateInput(" Ada"))
    assert not plainly_valid(CandidateInput("Ada", emails=(" ada@example.com",)))
    assert not plainly_valid(CandidateInput("Ada", birthday=PartialDate(2, 29, 1990)))
    assert not plainly_valid(CandidateInput("Ada", follow_up_days=0))
    assert not plainly_valid(CandidateInput("Ada", phones=("12",)))
    assert not plainly_valid(CandidateInput("Ada", emails=("not an e-mail",)))
