"""Referrals: both timelines, loops refused, ambassadors ranked by placements then referrals."""

from __future__ import annotations

from datetime import date

import pytest

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.jobs import JobInput
from crm_desktop.core.referrals import ReferralService
from crm_desktop.core.validation import ValidationError


@pytest.fixture
def referrals(services) -> ReferralService:
    return services.referrals


def _people(services, *names):
    return [services.candidates.create(CandidateInput(name)) for name in names]


def test_referral_is_logged_on_both_timelines(services, referrals):
    ada, ben = _people(services, "Ada", "Ben")
    referrals.set_referrer(ben, ada)
    assert [e.summary for e in services.timeline.entries(ben)] == ["Referred by Ada"]
    assert [e.summary for e in services.timeline.entries(ada)] == ["Referred Ben"]
    assert referrals.referrer_of(ben).name == "Ada"
    assert [r.name for r in referrals.referrals_of(ada)] == ["Ben"]


def test_self_and_loops_are_refused(services, referrals):
    ada, ben, cai = _people(services, "Ada", "Ben", "Cai")
    with pytest.raises(ValidationError):
        referrals.set_referrer(ada, ada)
    referrals.set_referrer(ben, ada)
    referrals.set_referrer(cai, ben)
    with pytest.raises(ValidationError) as error:
        referrals.set_referrer(ada, cai)
    assert "loop" in error.value.errors["referred_by"]


def test_ambassadors_rank_by_placements_then_referrals(services, referrals):
    ada, ben, x1, x2, x3 = _people(services, "Ada", "Ben", "X1", "X2", "X3")
    referrals.set_referrer(x1, ada)
    referrals.set_referrer(x2, ada)
    referrals.set_referrer(x3, ben)
    job = services.jobs.create_job(JobInput("Nurse"))
    app = services.pipeline.attach(x3, job)
    services.pipeline.move(app, "joined", joined_on=date(2026, 12, 1))
    ranking = [(a.name, a.referrals, a.placements) for a in referrals.ambassadors()]
    assert ranking == [("Ben", 1, 1), ("Ada", 2, 0)]
    assert [r.placed for r in referrals.referrals_of(ben)] == [True]


def test_a_candidate_marked_placed_counts_as_a_placement(services, referrals):
    ada, ben = _people(services, "Ada", "Ben")
    referrals.set_referrer(ben, ada)
    services.candidates.set_status([ben], "placed")
    assert [(a.name, a.placements) for a in referrals.ambassadors()] == [("Ada", 1)]
    assert [r.outcome for r in referrals.referrals_of(ada)] == ["Placed"]
