"""Candidates on jobs: stages, the timeline trail of every change, and updates owed.

Keeping candidates informed is the point: a change to a stage the candidate cares about
(shortlisted, interviewing, offered, rejected) leaves an update *owed* (``informed_at`` is NULL)
until an outbound message about that job is logged after the change, or the recruiter marks it
informed. Several quick changes before the candidate is told still owe one update: there is one
application row, so there is one owed item, aged from the latest change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.candidates import display_name
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.timeline import TimelineService
from crm_desktop.core.validation import ValidationError
from crm_desktop.core.vocabulary import CONTACT_DIRECTIONS, OWED_STAGES, STAGE_LABELS
from crm_desktop.store.fields import month_day
from crm_desktop.store.models import STAGES, Application, Candidate, Company, Interaction, Job

MAX_TEXT = 20_000


@dataclass(frozen=True)
class ApplicationInfo:
    id: int
    candidate_id: int
    candidate_name: str
    job_id: int
    job_label: str
    stage: str
    stage_changed_at: datetime
    informed_at: datetime | None
    interview_at: datetime | None
    candidate_feedback: str
    assessment: str

    @property
    def owes_update(self) -> bool:
        return self.informed_at is None and self.stage in OWED_STAGES


@dataclass
class PipelineService:
    clock: Clock
    hub: EventHub
    database: peewee.Database
    timeline: TimelineService

    # --- writes ----------------------------------------------------------------------------
    def attach(self, candidate_id: int, job_id: int, stage: str = "sourced") -> int:
        """Put a candidate on a job (once); records the start on the timeline."""
        self._check_stage(stage)
        if (
            Application.select()
            .where((Application.candidate == candidate_id) & (Application.job == job_id))
            .exists()
        ):
            raise ValidationError({"job": "This candidate is already on this job"})
        if not Job.select().where(Job.id == job_id).exists():
            raise ValidationError({"job": f"Job {job_id} does not exist"})
        now = self.clock.now()
        with self.database.atomic():
            row = Application.create(
                candidate=candidate_id,
                job=job_id,
                stage=stage,
                stage_changed_at=now,
                informed_at=None if stage in OWED_STAGES else now,
                created_at=now,
            )
            self.timeline.add(
                candidate_id,
                "status_update",
                f"Added to {_job_label(job_id)}: {STAGE_LABELS[stage]}",
                direction="none",
                job_id=job_id,
            )
        self._announce("created", row.id, candidate_id)
        return row.id

    def move(
        self,
        application_id: int,
        stage: str,
        *,
        joined_on: date | None = None,
        interview_at: datetime | None = None,
    ) -> None:
        """Change the stage; joining needs the joining date (it feeds the celebrations)."""
        self._check_stage(stage)
        if stage == "joined" and joined_on is None:
            raise ValidationError({"joined_on": "Moving to Joined needs the joining date"})
        if interview_at is not None and interview_at.tzinfo is None:
            raise ValidationError({"interview_at": "The interview time needs a time zone"})
        application = Application.get_or_none(Application.id == application_id)
        if application is None:
            raise ValidationError({"application": f"Application {application_id} does not exist"})
        old = application.stage
        if old == stage and interview_at is None:
            return
        now = self.clock.now()
        with self.database.atomic():
            application.stage = stage
            application.stage_changed_at = now
            if stage in OWED_STAGES:
                application.informed_at = None
            if interview_at is not None:
                application.interview_at = interview_at
            application.save()
            summary = (
                f"{_job_label(application.job_id)}: {STAGE_LABELS[old]} → {STAGE_LABELS[stage]}"
            )
            self.timeline.add(
                application.candidate_id,
                "status_update",
                summary,
                direction="none",
                job_id=application.job_id,
            )
            if stage == "joined":
                Candidate.update(
                    joined_on=joined_on,
                    joined_md=month_day(joined_on.month, joined_on.day),
                    status="placed",
                    company_name=_company_of(application.job_id) or Candidate.company_name,
                    updated_at=now,
                ).where(Candidate.id == application.candidate_id).execute()
        self._announce("updated", application.id, application.candidate_id)
        if stage == "joined":
            ids = (application.candidate_id,)
            self.hub.emit(Change("candidate", "updated", ids, ids))

    def mark_informed(self, application_id: int) -> None:
        application = Application.get_by_id(application_id)
        with self.database.atomic():
            application.informed_at = self.clock.now()
            application.save()
        self._announce("updated", application_id, application.candidate_id)

    def set_feedback(self, application_id: int, candidate_feedback: str, assessment: str) -> None:
        """The candidate's view of the role and the recruiter's, written before submitting."""
        for name, text in (("candidate_feedback", candidate_feedback), ("assessment", assessment)):
            if len(text) > MAX_TEXT:
                raise ValidationError({name: f"Too long: at most {MAX_TEXT} characters"})
        application = Application.get_by_id(application_id)
        with self.database.atomic():
            application.candidate_feedback = candidate_feedback.strip()
            application.assessment = assessment.strip()
            application.save()
        self._announce("updated", application_id, application.candidate_id)

    def detach(self, application_id: int) -> None:
        application = Application.get_by_id(application_id)
        with self.database.atomic():
            application.delete_instance()
        self._announce("deleted", application_id, application.candidate_id)

    # --- reads -----------------------------------------------------------------------------
    def for_job(self, job_id: int) -> list[ApplicationInfo]:
        return find_applications(Application.job == job_id)

    def for_candidate(self, candidate_id: int) -> list[ApplicationInfo]:
        return find_applications(Application.candidate == candidate_id)

    def get(self, application_id: int) -> ApplicationInfo:
        found = find_applications(Application.id == application_id)
        if not found:
            raise ValidationError({"application": f"Application {application_id} does not exist"})
        return found[0]

    def owed(self) -> list[ApplicationInfo]:
        return find_applications(
            Application.informed_at.is_null() & Application.stage.in_(OWED_STAGES)
        )

    def funnel(self, job_id: int | None = None) -> dict[str, int]:
        """How many applications reached each stage now (per job, or over every job)."""
        select = (
            Application.select(Application.stage, peewee.fn.COUNT(1))
            .join(Candidate)
            .where(Candidate.deleted_at.is_null())
        )
        if job_id is not None:
            select = select.where(Application.job == job_id)
        counts = dict(select.group_by(Application.stage).tuples())
        return {stage: counts.get(stage, 0) for stage in STAGES}

    def on_interaction_change(self, change: Change) -> None:
        """An outbound message about a job informs the candidate, whichever screen logged it
        (``Services`` forwards every interaction change here)."""
        if change.entity != "interaction" or change.action not in ("created", "updated"):
            return
        for entry_id in change.ids:
            entry = Interaction.get_or_none(Interaction.id == entry_id)
            if entry is None or entry.job_id is None:
                continue
            if entry.direction not in CONTACT_DIRECTIONS or entry.kind == "status_update":
                continue
            informed = (
                Application.update(informed_at=entry.occurred_at)
                .where(
                    (Application.candidate == entry.candidate_id)
                    & (Application.job == entry.job_id)
                    & Application.informed_at.is_null()
                    & (Application.stage_changed_at <= entry.occurred_at)
                )
                .execute()
            )
            if informed:
                self.hub.emit(Change("application", "informed", (), (entry.candidate_id,)))

    # --- internals -------------------------------------------------------------------------
    def _announce(self, action: str, application_id: int, candidate_id: int) -> None:
        self.hub.emit(Change("application", action, (application_id,), (candidate_id,)))

    @staticmethod
    def _check_stage(stage: str) -> None:
        if stage not in STAGES:
            raise ValidationError({"stage": f"Unknown stage “{stage}”"})


def _company_of(job_id: int) -> str:
    row = Company.select(Company.name).join(Job).where(Job.id == job_id).first()
    return row.name if row else ""


def _job_label(job_id: int) -> str:
    job = Job.get_by_id(job_id)
    company = _company_of(job_id)
    return f"{job.title} @ {company}" if company else job.title


def find_applications(where: peewee.Expression) -> list[ApplicationInfo]:
    """Applications matching ``where`` (of candidates not in the trash), newest change first.

    Read as plain tuples: building peewee model graphs cost ~100 ms for the few thousand
    applications the Today panel reads at 150,000 candidates.
    """
    rows = (
        Application.select(
            Application.id,
            Candidate.id,
            Candidate.first_name,
            Candidate.last_name,
            Job.id,
            Job.title,
            Company.name,
            Application.stage,
            Application.stage_changed_at,
            Application.informed_at,
            Application.interview_at,
            Application.candidate_feedback,
            Application.assessment,
        )
        .join(Candidate)
        .switch(Application)
        .join(Job)
        .join(Company, peewee.JOIN.LEFT_OUTER)
        .where(where & Candidate.deleted_at.is_null())
        .order_by(Application.stage_changed_at.desc())
        .tuples()
    )
    return [
        ApplicationInfo(
            id=app_id,
            candidate_id=candidate_id,
            candidate_name=display_name(first, last),
            job_id=job_id,
            job_label=f"{title} @ {company}" if company else title,
            stage=stage,
            stage_changed_at=changed,
            informed_at=informed,
            interview_at=interview,
            candidate_feedback=feedback,
            assessment=assessment,
        )
        for (
            app_id,
            candidate_id,
            first,
            last,
            job_id,
            title,
            company,
            stage,
            changed,
            informed,
            interview,
            feedback,
            assessment,
        ) in rows
    ]
