"""Candidate validation names the field and the value; nothing half-saved remains."""

from __future__ import annotations

import pytest

from crm_desktop.core.candidate_list import ListQuery
from crm_desktop.core.candidates import CandidateInput
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
