"""The Qt-free services, built once by the composition root (GUI or headless command)."""

from __future__ import annotations

from dataclasses import dataclass

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.alerts import AlertEngine
from crm_desktop.core.candidate_list import CandidateList
from crm_desktop.core.candidates import CandidateService
from crm_desktop.core.compose import ComposeService
from crm_desktop.core.duplicates import DuplicateFinder
from crm_desktop.core.events import EventHub
from crm_desktop.core.follow_ups import FollowUpSource
from crm_desktop.core.insights import InsightService
from crm_desktop.core.jobs import JobService
from crm_desktop.core.merge import MergeService
from crm_desktop.core.pipeline import PipelineService
from crm_desktop.core.pipeline_today import InterviewSource, OwedUpdateSource
from crm_desktop.core.preferences import DIGEST_TIME, Preferences
from crm_desktop.core.privacy import PrivacyService
from crm_desktop.core.recruiter_profile import RecruiterProfileService
from crm_desktop.core.referrals import ReferralService
from crm_desktop.core.reminders import ReminderService
from crm_desktop.core.saved_searches import SavedSearchService
from crm_desktop.core.tags import TagService
from crm_desktop.core.templates import TemplateService
from crm_desktop.core.timeline import TimelineService
from crm_desktop.core.today import TodayService, default_sources


@dataclass(frozen=True)
class Services:
    clock: Clock
    hub: EventHub
    database: peewee.Database
    candidates: CandidateService
    candidate_list: CandidateList
    timeline: TimelineService
    reminders: ReminderService
    today: TodayService
    saved_searches: SavedSearchService
    tags: TagService
    jobs: JobService
    pipeline: PipelineService
    referrals: ReferralService
    duplicates: DuplicateFinder
    merge: MergeService
    templates: TemplateService
    insights: InsightService
    recruiter: RecruiterProfileService
    compose: ComposeService
    privacy: PrivacyService
    preferences: Preferences
    alerts: AlertEngine

    def release_thread_connection(self) -> None:
        """Close the calling thread's SQLite connection (peewee keeps one per thread): a
        worker thread calls this when its job is done."""
        if not self.database.is_closed():
            self.database.close()


def build_services(database: peewee.Database, clock: Clock) -> Services:
    hub = EventHub()
    preferences = Preferences(hub, database)
    reminders = ReminderService(clock, hub, database, morning=lambda: preferences.get(DIGEST_TIME))
    timeline = TimelineService(clock, hub, database, reminders)
    templates = TemplateService(clock, hub, database)
    recruiter = RecruiterProfileService(preferences)
    pipeline = PipelineService(clock, hub, database, timeline)
    today_sources = [
        *default_sources(),
        FollowUpSource(preferences.cadences),
        OwedUpdateSource(),
        InterviewSource(),
    ]
    today = TodayService(
        clock,
        hub,
        database,
        sources=today_sources,
        reminders=reminders,
        done_handlers={"owed_update": lambda item: pipeline.mark_informed(item.ref_id)},
    )
    return Services(
        clock=clock,
        hub=hub,
        database=database,
        candidates=CandidateService(clock, hub, database),
        candidate_list=CandidateList(clock, hub),
        timeline=timeline,
        reminders=reminders,
        today=today,
        saved_searches=SavedSearchService(hub, database),
        tags=TagService(clock, hub, database),
        jobs=JobService(clock, hub, database),
        pipeline=pipeline,
        referrals=ReferralService(clock, hub, database, timeline),
        duplicates=DuplicateFinder(database),
        merge=MergeService(clock, hub, database),
        templates=templates,
        insights=InsightService(clock, hub, database),
        recruiter=recruiter,
        compose=ComposeService(clock, timeline, templates, recruiter),
        privacy=PrivacyService(clock, hub, database),
        preferences=preferences,
        alerts=AlertEngine(clock, today, preferences, database),
    )
