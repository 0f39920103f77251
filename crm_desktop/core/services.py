"""The Qt-free services, built once by the composition root (GUI or headless command)."""

from __future__ import annotations

from dataclasses import dataclass

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.candidate_list import CandidateList
from crm_desktop.core.candidates import CandidateService
from crm_desktop.core.duplicates import DuplicateFinder
from crm_desktop.core.events import EventHub
from crm_desktop.core.jobs import JobService
from crm_desktop.core.merge import MergeService
from crm_desktop.core.pipeline import PipelineService
from crm_desktop.core.pipeline_today import InterviewSource, OwedUpdateSource
from crm_desktop.core.referrals import ReferralService
from crm_desktop.core.reminders import ReminderService
from crm_desktop.core.saved_searches import SavedSearchService
from crm_desktop.core.tags import TagService
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


def build_services(database: peewee.Database, clock: Clock) -> Services:
    hub = EventHub()
    timeline = TimelineService(clock, hub, database)
    today_sources = [*default_sources(), OwedUpdateSource(), InterviewSource()]
    return Services(
        clock=clock,
        hub=hub,
        database=database,
        candidates=CandidateService(clock, hub, database),
        candidate_list=CandidateList(clock, hub),
        timeline=timeline,
        reminders=ReminderService(clock, hub, database),
        today=TodayService(clock, hub, database, sources=today_sources),
        saved_searches=SavedSearchService(hub, database),
        tags=TagService(clock, hub, database),
        jobs=JobService(clock, hub, database),
        pipeline=PipelineService(clock, hub, database, timeline),
        referrals=ReferralService(clock, hub, database, timeline),
        duplicates=DuplicateFinder(database),
        merge=MergeService(clock, hub, database),
    )
