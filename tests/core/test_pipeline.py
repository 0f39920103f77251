"""Stages, their timeline trail, updates owed to candidates, placements and the funnel."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.jobs import JobInput, JobService
from crm_desktop.core.pipeline import PipelineService
from crm_desktop.core.validation import ValidationError


@pytest.fixture
def jobs(services) -> JobService:
    return services.jobs


@pytest.fixture
def pipeline(services) -> PipelineService:
    return services.pipeline


@pytest.fixture
def setup(services, jobs):
    client = jobs.create_company("Foxglove Health")
    data = jobs.create_job(JobInput("Data Engineer", company_id=client))
    web = jobs.create_job(JobInput("Web Developer", company_id=client))
    ana = services.candidates.create(CandidateInput("Ana", "Silva"))
    return {"data": data, "web": web, "ana": ana}


def _kinds(services, candidate_id):
    return [(e.kind, e.summary) for e in services.timeline.entries(candidate_id)]


def test_every_stage_change_is_on_the_timeline(services, pipeline, setup, clock):
    app = pipeline.attach(setup["ana"], setup["data"])
    clock.advance(timedelta(minutes=5))
    pipeline.move(app, "shortlisted")
    clock.advance(timedelta(minutes=5))
    pipeline.move(app, "interviewing")
    assert _kinds(services, setup["ana"]) == [
        ("status_update", "Data Engineer @ Foxglove Health: Shortlisted → Interviewing"),
        ("status_update", "Data Engineer @ Foxglove Health: Sourced → Shortlisted"),
        ("status_update", "Added to Data Engineer @ Foxglove Health: Sourced"),
    ]
    # Status updates are internal: they do not count as contacting the candidate.
    assert services.candidates.get(setup["ana"]).last_contacted_at is None
    assert pipeline.get(app).stage_changed_at == clock.now()


def test_owed_update_created_and_cleared_by_outbound_message_about_that_job(
    services, pipeline, setup, clock
):
    app = pipeline.attach(setup["ana"], setup["data"])
    assert not pipeline.get(app).owes_update  # sourced: nothing to tell yet
    pipeline.move(app, "shortlisted")
    assert pipeline.get(app).owes_update
    clock.advance(timedelta(hours=1))
    # About another job: does not clear it.
    other = pipeline.attach(setup["ana"], setup["web"])
    services.timeline.add(setup["ana"], "email", "About the web role", job_id=setup["web"])
    assert pipeline.get(app).owes_update
    # A note about this job is not a message to the candidate.
    services.timeline.add(setup["ana"], "note", "Strong fit", job_id=setup["data"])
    assert pipeline.get(app).owes_update
    services.timeline.add(setup["ana"], "call", "Told her she is shortlisted", job_id=setup["data"])
    assert not pipeline.get(app).owes_update
    assert not pipeline.get(other).owes_update


def test_a_message_logged_before_the_change_does_not_clear_it(services, pipeline, setup, clock):
    app = pipeline.attach(setup["ana"], setup["data"])
    pipeline.move(app, "rejected")
    services.timeline.add(
        setup["ana"],
        "email",
        "Earlier chat",
        job_id=setup["data"],
        occurred_at=clock.now() - timedelta(days=1),
    )
    assert pipeline.get(app).owes_update


def test_quick_changes_owe_one_update_and_mark_informed_clears(services, pipeline, setup, clock):
    app = pipeline.attach(setup["ana"], setup["data"])
    for stage in ("shortlisted", "interviewing", "offered"):
        clock.advance(timedelta(minutes=2))
        pipeline.move(app, stage)
    owed = services.today.compute().today
    assert [(i.title, i.reason) for i in owed] == [
        ("Tell Ana Silva: Offered", "Data Engineer @ Foxglove Health")
    ]
    pipeline.mark_informed(app)
    assert pipeline.owed() == []


def test_joined_needs_the_joining_date_and_feeds_celebrations(services, pipeline, setup):
    app = pipeline.attach(setup["ana"], setup["data"])
    with pytest.raises(ValidationError) as error:
        pipeline.move(app, "joined")
    assert "joining date" in error.value.errors["joined_on"]
    assert pipeline.get(app).stage == "sourced"
    pipeline.move(app, "joined", joined_on=date(2026, 12, 1))
    record = services.candidates.get(setup["ana"])
    assert record.data.joined_on == date(2026, 12, 1)
    assert record.data.status == "placed"
    assert record.data.company_name == "Foxglove Health"
    upcoming = services.today.compute().upcoming
    assert [(i.kind, i.candidate_id) for i in upcoming] == [("joining_day", setup["ana"])]


def test_interviews_appear_in_today(services, pipeline, setup, clock):
    app = pipeline.attach(setup["ana"], setup["data"])
    pipeline.move(app, "interviewing", interview_at=clock.now() + timedelta(hours=3))
    items = [i for i in services.today.compute().today if i.kind == "interview"]
    assert [(i.title, i.on) for i in items] == [("Interview: Ana Silva", clock.today())]


def test_attach_twice_and_unknown_stage_are_rejected(pipeline, setup):
    app = pipeline.attach(setup["ana"], setup["data"])
    with pytest.raises(ValidationError):
        pipeline.attach(setup["ana"], setup["data"])
    with pytest.raises(ValidationError) as error:
        pipeline.move(app, "hired")
    assert "hired" in error.value.errors["stage"]


def test_funnel_counts_per_job_and_overall(services, pipeline, setup):
    bob = services.candidates.create(CandidateInput("Bob"))
    pipeline.move(pipeline.attach(setup["ana"], setup["data"]), "interviewing")
    pipeline.attach(bob, setup["data"])
    pipeline.attach(bob, setup["web"], stage="shortlisted")
    assert pipeline.funnel(setup["data"])["interviewing"] == 1
    assert pipeline.funnel(setup["data"])["sourced"] == 1
    overall = pipeline.funnel()
    assert (overall["sourced"], overall["shortlisted"], overall["interviewing"]) == (1, 1, 1)


def test_job_validation_names_the_problem(jobs):
    with pytest.raises(ValidationError) as error:
        jobs.create_job(JobInput("  ", salary_min=90_000, salary_max=50_000, openings=0))
    assert set(error.value.errors) == {"title", "salary_max", "openings"}
    jobs.create_company("Acme")
    with pytest.raises(ValidationError):
        jobs.create_company("ACME")
