"""Today sources from the pipeline: updates owed to candidates, and interviews."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import peewee

from crm_desktop.clock import Clock, start_of_local_day
from crm_desktop.core.today import TodayItem
from crm_desktop.core.vocabulary import OWED_STAGES, STAGE_LABELS
from crm_desktop.i18n import _
from crm_desktop.store.models import Application, Candidate, Company, Job


def _rows(where: peewee.Expression) -> peewee.ModelSelect:
    return (
        Application.select(
            Application.id,
            Application.stage,
            Application.stage_changed_at,
            Application.interview_at,
            Candidate.id,
            Candidate.first_name,
            Candidate.last_name,
            Job.id,
            Job.title,
            Company.id,
            Company.name,
        )
        .join(Candidate)
        .switch(Application)
        .join(Job)
        .join(Company, peewee.JOIN.LEFT_OUTER)
        .where(where & Candidate.deleted_at.is_null())
    )


def _labels(row: Application) -> tuple[str, str]:
    name = f"{row.candidate.first_name} {row.candidate.last_name}".strip()
    company = row.job.company.name if row.job.company_id else ""
    job = f"{row.job.title} @ {company}" if company else row.job.title
    return name, job


class OwedUpdateSource:
    """Every stage change the candidate has not been told about, however old."""

    kind = "owed_update"

    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        end_utc = start_of_local_day(end + timedelta(days=1), clock.tz())
        rows = _rows(
            Application.informed_at.is_null()
            & Application.stage.in_(OWED_STAGES)
            & (Application.stage_changed_at < end_utc)
        )
        for row in rows:
            name, job = _labels(row)
            yield TodayItem(
                key=f"owed_update:{row.id}",
                kind=self.kind,
                on=row.stage_changed_at.astimezone(clock.tz()).date(),
                due_at=row.stage_changed_at,
                title=_("Tell {name}: {stage}").format(name=name, stage=STAGE_LABELS[row.stage]),
                reason=job,
                candidate_id=row.candidate.id,
                candidate_name=name,
                ref_id=row.id,
            )


class InterviewSource:
    """Interviews from today to the end of the window, while the stage is interviewing."""

    kind = "interview"

    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        tz = clock.tz()
        rows = _rows(
            Application.interview_at.is_null(False)
            & (Application.interview_at >= start_of_local_day(today, tz))
            & (Application.interview_at < start_of_local_day(end + timedelta(days=1), tz))
            & (Application.stage == "interviewing")
        )
        for row in rows:
            name, job = _labels(row)
            yield TodayItem(
                key=f"interview:{row.id}:{row.interview_at.isoformat()}",
                kind=self.kind,
                on=row.interview_at.astimezone(tz).date(),
                due_at=row.interview_at,
                title=_("Interview: {name}").format(name=name),
                reason=job,
                candidate_id=row.candidate.id,
                candidate_name=name,
                ref_id=row.id,
            )
