"""The candidate's career profile (consult fields, schema v3): saved, validated and searchable."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crm_desktop.core.candidate_list import ListQuery
from crm_desktop.core.candidates import CAREER_FIELDS, CandidateInput
from crm_desktop.core.validation import ValidationError

PROFILE = CandidateInput(
    "Aisha",
    "Bello",
    preferred_language="de",
    motivations="Wants ownership of a product",
    notice_period="3 months",
    expected_salary="€75–85k + bonus",
    target_roles="Staff engineer; engineering manager",
    certifications_held="CKA (Kubernetes administrator)",
    certifications_recommended="AWS Solutions Architect",
    achievements="Cut cloud costs by 40%",
)


def _search(services, text: str) -> list[int]:
    return services.candidate_list.ids(ListQuery(text=text))


def test_career_fields_round_trip(services):
    cid = services.candidates.create(PROFILE)
    saved = services.candidates.get(cid).data
    for name in CAREER_FIELDS:
        assert getattr(saved, name) == getattr(PROFILE, name), name
    assert saved.preferred_language == "de"


def test_career_fields_are_searchable_and_reindexed_on_edit(services):
    cid = services.candidates.create(PROFILE)
    assert _search(services, "kubernetes") == [cid]
    assert _search(services, "ownership") == [cid]
    services.candidates.update(cid, replace(PROFILE, certifications_held="PMP"))
    assert _search(services, "kubernetes") == []
    assert _search(services, "pmp") == [cid]
    services.database.execute_sql(
        "INSERT INTO candidate_fts(candidate_fts, rank) VALUES ('integrity-check', 1)"
    )


def test_career_fields_are_validated(services):
    with pytest.raises(ValidationError) as error:
        services.candidates.create(
            replace(PROFILE, notice_period="x" * 301, preferred_language="German")
        )
    assert set(error.value.errors) == {"notice_period", "preferred_language"}
