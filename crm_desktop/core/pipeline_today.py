"""Today sources from the pipeline: updates owed to candidates, and interviews."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from crm_desktop.clock import Clock, start_of_local_day
from crm_desktop.core.pipeline import find_applications
from crm_desktop.core.today import TodayItem
from crm_desktop.core.vocabulary import OWED_STAGES, STAGE_LABELS
from crm_desktop.i18n import _
from crm_desktop.store.models import Application


class OwedUpdateSource:
    """Every stage change the candidate has not been told about, however old."""

    kind = "owed_update"

    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        end_utc = start_of_local_day(end + timedelta(days=1), clock.tz())
        found = find_applications(
            Application.informed_at.is_null()
            & Application.stage.in_(OWED_STAGES)
            & (Application.stage_changed_at < end_utc)
        )
        for app in found:
            name = app.candidate_name
            yield TodayItem(
                key=f"owed_update:{app.id}",
                kind=self.kind,
                on=app.stage_changed_at.astimezone(clock.tz()).date(),
                due_at=app.stage_changed_at,
                title=_("Tell {name}: {stage}").format(name=name, stage=STAGE_LABELS[app.stage]),
                reason=app.job_label,
                candidate_id=app.candidate_id,
                candidate_name=name,
                ref_id=app.id,
            )


class InterviewSource:
    """Interviews from today to the end of the window, while the stage is interviewing."""

    kind = "interview"

    def items(self, start: date, end: date, today: date, clock: Clock) -> Iterable[TodayItem]:
        tz = clock.tz()
        found = find_applications(
            Application.interview_at.is_null(False)
            & (Application.interview_at >= start_of_local_day(today, tz))
            & (Application.interview_at < start_of_local_day(end + timedelta(days=1), tz))
            & (Application.stage == "interviewing")
        )
        for app in found:
            yield TodayItem(
                key=f"interview:{app.id}:{app.interview_at.isoformat()}",
                kind=self.kind,
                on=app.interview_at.astimezone(tz).date(),
                due_at=app.interview_at,
                title=_("Interview: {name}").format(name=app.candidate_name),
                reason=app.job_label,
                candidate_id=app.candidate_id,
                candidate_name=app.candidate_name,
                ref_id=app.id,
            )
