"""The Qt-free services, built by the composition root (GUI or headless command).

Each service is built, and its module imported, the first time it is used: the window's first
paint needs only the candidate list, and a headless command only what it runs. Whatever must
react to every change whether or not its service was used yet (an outbound message marks the
candidate informed on its job) is wired here, on the hub, when ``Services`` is created.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from crm_desktop.core.events import Change, EventHub

if TYPE_CHECKING:
    import peewee

    from crm_desktop.clock import Clock
    from crm_desktop.core.alerts import AlertEngine
    from crm_desktop.core.candidate_list import CandidateList
    from crm_desktop.core.candidates import CandidateService
    from crm_desktop.core.compose import ComposeService
    from crm_desktop.core.duplicates import DuplicateFinder
    from crm_desktop.core.insights import InsightService
    from crm_desktop.core.jobs import JobService
    from crm_desktop.core.merge import MergeService
    from crm_desktop.core.pipeline import PipelineService
    from crm_desktop.core.preferences import Preferences
    from crm_desktop.core.privacy import PrivacyService
    from crm_desktop.core.recruiter_profile import RecruiterProfileService
    from crm_desktop.core.referrals import ReferralService
    from crm_desktop.core.reminders import ReminderService
    from crm_desktop.core.saved_searches import SavedSearchService
    from crm_desktop.core.tags import TagService
    from crm_desktop.core.templates import TemplateService
    from crm_desktop.core.timeline import TimelineService
    from crm_desktop.core.today import TodayService


class Services:
    """One instance of each service over one database, clock and event hub."""

    def __init__(self, database: peewee.Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock
        self.hub = EventHub()
        self.hub.subscribe(self._on_change)

    def _on_change(self, change: Change) -> None:
        if change.entity == "interaction":
            self.pipeline.on_interaction_change(change)

    def release_thread_connection(self) -> None:
        """Close the calling thread's SQLite connection (peewee keeps one per thread): a
        worker thread calls this when its job is done."""
        if not self.database.is_closed():
            self.database.close()

    # --- the services, each built on first use -----------------------------------------------
    @cached_property
    def preferences(self) -> Preferences:
        from crm_desktop.core.preferences import Preferences

        return Preferences(self.hub, self.database)

    @cached_property
    def reminders(self) -> ReminderService:
        from crm_desktop.core.preferences import DIGEST_TIME
        from crm_desktop.core.reminders import ReminderService

        preferences = self.preferences
        return ReminderService(
            self.clock, self.hub, self.database, morning=lambda: preferences.get(DIGEST_TIME)
        )

    @cached_property
    def timeline(self) -> TimelineService:
        from crm_desktop.core.timeline import TimelineService

        return TimelineService(self.clock, self.hub, self.database, self.reminders)

    @cached_property
    def templates(self) -> TemplateService:
        from crm_desktop.core.templates import TemplateService

        return TemplateService(self.clock, self.hub, self.database)

    @cached_property
    def recruiter(self) -> RecruiterProfileService:
        from crm_desktop.core.recruiter_profile import RecruiterProfileService

        return RecruiterProfileService(self.preferences)

    @cached_property
    def pipeline(self) -> PipelineService:
        from crm_desktop.core.pipeline import PipelineService

        return PipelineService(self.clock, self.hub, self.database, self.timeline)

    @cached_property
    def today(self) -> TodayService:
        from crm_desktop.core.follow_ups import FollowUpSource
        from crm_desktop.core.pipeline_today import InterviewSource, OwedUpdateSource
        from crm_desktop.core.today import TodayService, default_sources

        pipeline = self.pipeline
        return TodayService(
            self.clock,
            self.hub,
            self.database,
            sources=[
                *default_sources(),
                FollowUpSource(self.preferences.cadences),
                OwedUpdateSource(),
                InterviewSource(),
            ],
            reminders=self.reminders,
            done_handlers={"owed_update": lambda item: pipeline.mark_informed(item.ref_id)},
        )

    @cached_property
    def candidates(self) -> CandidateService:
        from crm_desktop.core.candidates import CandidateService

        return CandidateService(self.clock, self.hub, self.database)

    @cached_property
    def candidate_list(self) -> CandidateList:
        from crm_desktop.core.candidate_list import CandidateList

        return CandidateList(self.clock, self.hub)

    @cached_property
    def saved_searches(self) -> SavedSearchService:
        from crm_desktop.core.saved_searches import SavedSearchService

        return SavedSearchService(self.hub, self.database)

    @cached_property
    def tags(self) -> TagService:
        from crm_desktop.core.tags import TagService

        return TagService(self.clock, self.hub, self.database)

    @cached_property
    def jobs(self) -> JobService:
        from crm_desktop.core.jobs import JobService

        return JobService(self.clock, self.hub, self.database)

    @cached_property
    def referrals(self) -> ReferralService:
        from crm_desktop.core.referrals import ReferralService

        return ReferralService(self.clock, self.hub, self.database, self.timeline)

    @cached_property
    def duplicates(self) -> DuplicateFinder:
        from crm_desktop.core.duplicates import DuplicateFinder

        return DuplicateFinder(self.database)

    @cached_property
    def merge(self) -> MergeService:
        from crm_desktop.core.merge import MergeService

        return MergeService(self.clock, self.hub, self.database)

    @cached_property
    def insights(self) -> InsightService:
        from crm_desktop.core.insights import InsightService

        return InsightService(self.clock, self.hub, self.database)

    @cached_property
    def compose(self) -> ComposeService:
        from crm_desktop.core.compose import ComposeService

        return ComposeService(self.clock, self.timeline, self.templates, self.recruiter)

    @cached_property
    def privacy(self) -> PrivacyService:
        from crm_desktop.core.privacy import PrivacyService

        return PrivacyService(self.clock, self.hub, self.database)

    @cached_property
    def alerts(self) -> AlertEngine:
        from crm_desktop.core.alerts import AlertEngine

        return AlertEngine(self.clock, self.today, self.preferences, self.database)


def build_services(database: peewee.Database, clock: Clock) -> Services:
    return Services(database, clock)
