"""Merging duplicates: every related record moves to the survivor, nothing is lost."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest

from crm_desktop.core.candidate_list import ListQuery
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.events import Change
from crm_desktop.core.merge import (
    COMBINED_FIELDS,
    MergeService,
    combine_skills,
    combined_fields,
)
from crm_desktop.core.validation import PartialDate, ValidationError
from crm_desktop.store.models import (
    Application,
    Attachment,
    Candidate,
    CandidateTag,
    Company,
    ContactPoint,
    Interaction,
    Job,
    OccurrenceState,
    Reminder,
    Tag,
)
from crm_desktop.store.search import search_index_paused


@pytest.fixture
def merger(services, clock) -> MergeService:
    return MergeService(clock, services.hub, services.database)


@pytest.fixture
def changes(services) -> list[Change]:
    seen: list[Change] = []
    services.hub.subscribe(seen.append)
    return seen


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def _job(title: str) -> int:
    now = _at(1)
    company, _created = Company.get_or_create(
        name="Acme", defaults={"created_at": now, "updated_at": now}
    )
    return Job.create(company=company, title=title, created_at=now, updated_at=now).id


def _apply(candidate_id: int, job_id: int, stage: str, changed: datetime, **kwargs) -> int:
    return Application.create(
        candidate=candidate_id,
        job=job_id,
        stage=stage,
        stage_changed_at=changed,
        created_at=changed,
        **kwargs,
    ).id


def _tag(candidate_id: int, name: str) -> None:
    tag, _created = Tag.get_or_create(name=name)
    CandidateTag.create(candidate=candidate_id, tag=tag)


def _fts_ok(services) -> None:
    services.database.execute_sql(
        "INSERT INTO candidate_fts(candidate_fts, rank) VALUES('integrity-check', 1)"
    )


def _counts(*candidate_ids: int) -> dict[str, int]:
    return {
        "timeline": Interaction.select().where(Interaction.candidate.in_(candidate_ids)).count(),
        "reminders": Reminder.select().where(Reminder.candidate.in_(candidate_ids)).count(),
        "applications": Application.select()
        .where(Application.candidate.in_(candidate_ids))
        .count(),
        "tags": CandidateTag.select().where(CandidateTag.candidate.in_(candidate_ids)).count(),
        "contacts": ContactPoint.select().where(ContactPoint.candidate.in_(candidate_ids)).count(),
        "attachments": Attachment.select().where(Attachment.candidate.in_(candidate_ids)).count(),
    }


@pytest.fixture
def pair(services):
    """Two records of Ana: an older, sparse one and a newer one with its own history."""
    survivor = services.candidates.create(
        CandidateInput(
            "Ana",
            "Silva",
            location="Berlin",
            skills="Python, SQL",
            notes="Met at PyCon.",
            emails=("ana@example.com",),
            phones=("+49 170 1234567",),
        )
    )
    duplicate = services.candidates.create(
        CandidateInput(
            "Ana",
            "Silva",
            headline="Data Engineer",
            location="Munich",
            skills="sql; Airflow",
            notes="Prefers remote work.",
            concerns="Notice period of three months.",
            birthday=PartialDate(3, 14, 1990),
            emails=("ANA@example.com", "ana.silva@work.example"),
            phones=("0170 1234567", "+49 30 5550000"),
        )
    )
    services.timeline.add(survivor, "call", "Intro call", occurred_at=_at(2))
    services.timeline.add(duplicate, "email", "Sent the Acme role", occurred_at=_at(20))
    services.timeline.add(duplicate, "note", "Sounds keen", occurred_at=_at(21))
    services.reminders.create("Call Ana back", _at(30), candidate_id=survivor)
    services.reminders.create("Send contract", _at(29), candidate_id=duplicate)
    _tag(survivor, "python")
    _tag(duplicate, "python")
    _tag(duplicate, "remote")
    return survivor, duplicate


def test_merge_keeps_every_related_record(services, merger, pair):
    survivor, duplicate = pair
    referred = services.candidates.create(CandidateInput("Bo", "Chen"))
    Candidate.update(referred_by=duplicate).where(Candidate.id == referred).execute()
    shared_job, other_job = _job("Platform Engineer"), _job("Data Lead")
    _apply(survivor, shared_job, "contacted", _at(3))
    _apply(duplicate, shared_job, "interviewing", _at(10))
    _apply(duplicate, other_job, "sourced", _at(11))
    Attachment.create(
        candidate=duplicate, filename="cv.pdf", sha256="ab" * 32, size=10, added_at=_at(5)
    )
    before = _counts(survivor, duplicate)

    merger.merge(survivor, duplicate)

    after = _counts(survivor)
    assert not Candidate.select().where(Candidate.id == duplicate).exists()
    assert after["timeline"] == before["timeline"] + 1  # + the "merged" note
    assert after["reminders"] == before["reminders"] == 2
    assert after["tags"] == 2  # python (once) and remote
    assert after["attachments"] == 1
    assert after["applications"] == 2  # one per job
    # ana@example.com and the mobile number were on both records; the rest moved.
    assert after["contacts"] == before["contacts"] - 2 == 4
    assert Candidate.get_by_id(referred).referred_by_id == survivor
    note = Interaction.get(
        (Interaction.candidate == survivor) & Interaction.summary.startswith("Merged")
    )
    assert note.kind == "note"
    assert note.summary == f"Merged duplicate record Ana Silva (#{duplicate})"
    assert "3 timeline entries" not in note.body  # the duplicate had two
    assert "2 timeline entries" in note.body


def test_merge_fills_empty_fields_and_combines_texts(services, merger, pair):
    survivor, duplicate = pair
    merger.merge(survivor, duplicate)
    record = services.candidates.get(survivor)
    assert record.data.headline == "Data Engineer"  # empty on the survivor
    assert record.data.location == "Berlin"  # the survivor's own value wins
    assert record.data.birthday == PartialDate(3, 14, 1990)
    assert record.data.notes == "Met at PyCon.\n\nPrefers remote work."
    assert record.data.concerns == "Notice period of three months."
    assert record.data.skills == "Python, SQL, Airflow"
    assert record.data.emails[0] == "ana@example.com"  # the survivor's primary stays primary
    assert set(record.data.emails) == {"ana@example.com", "ana.silva@work.example"}
    assert set(record.data.phones) == {"+49 170 1234567", "+49 30 5550000"}
    primaries = ContactPoint.select().where(
        (ContactPoint.candidate == survivor) & ContactPoint.is_primary
    )
    assert sorted(c.kind for c in primaries) == ["email", "phone"]
    # The losing value is not lost: the merge note records it.
    note = Interaction.get(
        (Interaction.candidate == survivor) & Interaction.summary.startswith("Merged")
    )
    assert "Location (merged record): Munich" in note.body


def test_choices_pick_the_duplicates_value(services, merger, pair):
    survivor, duplicate = pair
    merger.merge(survivor, duplicate, {"location": "duplicate", "headline": "survivor"})
    record = services.candidates.get(survivor)
    assert record.data.location == "Munich"
    assert record.data.headline == ""  # chosen explicitly, even though empty
    note = Interaction.get(
        (Interaction.candidate == survivor) & Interaction.summary.startswith("Merged")
    )
    assert "Location (previous value): Berlin" in note.body
    assert "Title (merged record): Data Engineer" in note.body


def test_last_contacted_is_the_latest_of_both(services, merger, pair):
    survivor, duplicate = pair
    assert services.candidates.get(survivor).last_contacted_at == _at(2)
    assert services.candidates.get(duplicate).last_contacted_at == _at(20)
    merger.merge(survivor, duplicate)
    # The merge note is not contact with the candidate: the e-mail of the 20th is the latest.
    assert services.candidates.get(survivor).last_contacted_at == _at(20)


def test_search_index_follows_the_merge(services, merger, pair):
    survivor, duplicate = pair
    merger.merge(survivor, duplicate)
    _fts_ok(services)
    for text in ("ana.silva@work.example", "Sounds keen", "Airflow", "030 5550000", "remote"):
        assert services.candidate_list.ids(ListQuery(text=text)) == [survivor], text


def test_same_job_keeps_the_more_advanced_application_and_both_feedbacks(merger, pair):
    survivor, duplicate = pair
    job = _job("Platform Engineer")
    _apply(survivor, job, "shortlisted", _at(15), candidate_feedback="Likes the team.")
    _apply(
        duplicate,
        job,
        "interviewing",
        _at(10),
        candidate_feedback="Wants 80k.",
        assessment="Strong SQL.",
        interview_at=_at(28),
    )
    merger.merge(survivor, duplicate)
    (kept,) = Application.select().where(Application.job == job)
    assert kept.candidate_id == survivor
    assert kept.stage == "interviewing"
    assert kept.candidate_feedback == "Wants 80k.\n\nLikes the team."
    assert kept.assessment == "Strong SQL."
    assert kept.interview_at == _at(28)


def test_same_stage_keeps_the_more_recent_application(merger, pair):
    survivor, duplicate = pair
    job = _job("Platform Engineer")
    _apply(survivor, job, "interviewing", _at(5), candidate_feedback="old")
    newer = _apply(duplicate, job, "interviewing", _at(12), candidate_feedback="new")
    merger.merge(survivor, duplicate)
    (kept,) = Application.select().where(Application.job == job)
    assert (kept.id, kept.candidate_feedback) == (newer, "new\n\nold")


def test_occurrence_states_move_without_breaking_their_unique_key(services, merger, pair):
    survivor, duplicate = pair
    birthday = date(2027, 3, 14)
    OccurrenceState.create(kind="birthday", candidate=survivor, occurs_on=birthday)
    OccurrenceState.create(
        kind="birthday", candidate=duplicate, occurs_on=birthday, done_at=_at(26)
    )
    OccurrenceState.create(
        kind="birthday", candidate=duplicate, occurs_on=date(2026, 3, 14), done_at=_at(1)
    )
    merger.merge(survivor, duplicate)
    states = {
        o.occurs_on: o.done_at
        for o in OccurrenceState.select().where(OccurrenceState.candidate == survivor)
    }
    assert states == {birthday: _at(26), date(2026, 3, 14): _at(1)}


def test_referrals_never_point_the_survivor_at_itself(services, merger, pair):
    survivor, duplicate = pair
    referrer = services.candidates.create(CandidateInput("Cleo", "Referrer"))
    Candidate.update(referred_by=duplicate).where(Candidate.id == survivor).execute()
    Candidate.update(referred_by=referrer).where(Candidate.id == duplicate).execute()
    merger.merge(survivor, duplicate)
    assert Candidate.get_by_id(survivor).referred_by_id == referrer

    other = services.candidates.create(CandidateInput("Ana", "Silva"))
    Candidate.update(referred_by=survivor).where(Candidate.id == other).execute()
    Candidate.update(referred_by=other).where(Candidate.id == survivor).execute()
    merger.merge(survivor, other)
    assert Candidate.get_by_id(survivor).referred_by_id is None


def test_merge_announces_the_change_after_commit(services, merger, pair, changes):
    survivor, duplicate = pair
    changes.clear()
    merger.merge(survivor, duplicate)
    assert changes == [
        Change("candidate", "updated", (survivor,), (survivor,)),
        Change("candidate", "merged", (duplicate,), (survivor, duplicate)),
    ]


def test_created_at_is_the_older_of_both(services, merger, clock, pair):
    survivor, duplicate = pair
    older = services.candidates.get(survivor).created_at - timedelta(days=400)
    Candidate.update(created_at=older).where(Candidate.id == duplicate).execute()
    merger.merge(survivor, duplicate)
    record = services.candidates.get(survivor)
    assert record.created_at == older
    assert record.updated_at == clock.now()


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("self", "duplicate", "cannot be merged with itself"),
        ("missing", "duplicate", "Candidate 9999 does not exist"),
        ("trashed", "duplicate", "is in the trash"),
        ("bad_choice", "location", "Choose “survivor” or “duplicate”"),
        ("combined_choice", "notes", "cannot be chosen"),
    ],
)
def test_refusals_change_nothing(services, merger, pair, changes, case, field, message):
    survivor, duplicate = pair
    other, choices = duplicate, None
    if case == "self":
        other = survivor
    elif case == "missing":
        other = 9999
    elif case == "trashed":
        services.candidates.trash([duplicate])
    elif case == "bad_choice":
        choices = {"location": "left"}
    else:
        choices = {"notes": "duplicate"}
    before = _counts(survivor, duplicate)
    changes.clear()
    with pytest.raises(ValidationError) as error:
        merger.merge(survivor, other, choices)
    assert message in error.value.errors[field]
    if case in ("self", "missing", "trashed"):
        assert str(other) in error.value.errors[field]
    assert _counts(survivor, duplicate) == before
    assert Candidate.select().where(Candidate.id == duplicate).exists()
    assert changes == []


def test_a_trashed_survivor_is_refused_too(services, merger, pair):
    survivor, duplicate = pair
    services.candidates.trash([survivor])
    with pytest.raises(ValidationError) as error:
        merger.merge(survivor, duplicate)
    assert error.value.errors == {
        "survivor": f"Candidate {survivor} is in the trash; restore it before merging"
    }


def test_skills_are_combined_without_repeats():
    assert combine_skills("Python, SQL", "sql; Go\nRust") == "Python, SQL, Go, Rust"
    assert combine_skills("", "Go") == "Go"
    assert combine_skills("Go", " ") == "Go"


def test_side_describes_a_candidate_for_the_dialog(services, merger, pair):
    _survivor, duplicate = pair
    side = merger.side(duplicate)
    assert side.name == "Ana Silva"
    assert side.values["headline"] == "Data Engineer"
    assert side.values["birthday"] == "1990-03-14"
    assert side.values["emails"] == "ANA@example.com; ana.silva@work.example"
    assert side.counts["timeline"] == 2
    assert side.counts["tags"] == 2
    assert side.counts["contact_points"] == 4


def _search_triggers(services) -> list[tuple[str, str]]:
    return services.database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    ).fetchall()


def test_search_triggers_are_back_after_a_merge(services, merger, pair):
    survivor, duplicate = pair
    before = _search_triggers(services)
    merger.merge(survivor, duplicate)
    assert _search_triggers(services) == before
    # Later writes keep the index in step again.
    services.timeline.add(survivor, "note", "Loves xylophones")
    services.candidates.update(survivor, CandidateInput("Ana", "Silva"))
    _fts_ok(services)
    assert services.candidate_list.ids(ListQuery(text="xylophones")) == [survivor]
    assert services.candidate_list.ids(ListQuery(text="ana.silva@work.example")) == []


def test_a_merge_failing_halfway_rolls_everything_back(services, merger, pair, monkeypatch):
    survivor, duplicate = pair
    triggers = _search_triggers(services)
    counts = _counts(survivor), _counts(duplicate)

    def broken(*_args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("crm_desktop.core.merge._merge_applications", broken)
    with pytest.raises(RuntimeError):
        merger.merge(survivor, duplicate)
    assert (_counts(survivor), _counts(duplicate)) == counts
    assert _search_triggers(services) == triggers
    _fts_ok(services)
    assert services.candidate_list.ids(ListQuery(text="Sounds keen")) == [duplicate]


def test_a_long_timeline_merges_quickly(services, merger, pair):
    survivor, duplicate = pair
    now = services.clock.now()
    rows = [
        {
            "candidate": duplicate,
            "kind": "email",
            "direction": "out",
            "occurred_at": now - timedelta(hours=i),
            "summary": f"Update {i} about the pipeline",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(1500)
    ]
    with services.database.atomic(), search_index_paused(services.database, (duplicate,)):
        Interaction.insert_many(rows).execute()  # quick set-up, same trick
    started = time.perf_counter()
    merger.merge(survivor, duplicate)
    elapsed = time.perf_counter() - started
    assert elapsed < 1  # with per-row trigger rebuilds: ~6 s
    assert services.timeline.count(survivor) == 1500 + 4
    _fts_ok(services)
    assert services.candidate_list.ids(ListQuery(text="Update 1499")) == [survivor]


KNOWN_REFERENCES = {
    ("application", "candidate_id"),
    ("attachment", "candidate_id"),
    ("candidate", "referred_by_id"),
    ("candidate_tag", "candidate_id"),
    ("contact_point", "candidate_id"),
    ("interaction", "candidate_id"),
    ("occurrence_state", "candidate_id"),
    ("reminder", "candidate_id"),
}


def test_merge_knows_every_table_that_references_a_candidate(services):
    """A new table pointing at candidates must be taught to the merge, or its rows would
    silently cascade away with the duplicate."""
    tables = [
        row[0]
        for row in services.database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    references = {
        (table, fk[3])
        for table in tables
        for fk in services.database.execute_sql(f'PRAGMA foreign_key_list("{table}")')
        if fk[2] == "candidate"
    }
    assert references == KNOWN_REFERENCES


def test_a_merge_never_closes_a_referral_loop(services, merger, pair):
    survivor, duplicate = pair
    # X was referred by the duplicate, and referred the survivor: after the merge X would be
    # referred by the survivor, so the survivor's "referred by X" must go (its referral stays).
    x = services.candidates.create(CandidateInput("Xavier", "Links"))
    Candidate.update(referred_by=duplicate).where(Candidate.id == x).execute()
    Candidate.update(referred_by=x).where(Candidate.id == survivor).execute()
    merger.merge(survivor, duplicate)
    assert Candidate.get_by_id(x).referred_by_id == survivor
    assert Candidate.get_by_id(survivor).referred_by_id is None
    note = Interaction.get(
        (Interaction.candidate == survivor) & Interaction.summary.startswith("Merged")
    )
    assert f"referral loop): Xavier Links (#{x})" in note.body


def test_every_text_column_is_combined_even_ones_added_later(services, merger, pair):
    survivor, duplicate = pair
    texts = ["notes", *[key for key in combined_fields() if key not in COMBINED_FIELDS]]
    for side, candidate_id in (("mine", survivor), ("theirs", duplicate)):
        Candidate.update({key: f"{key} {side}" for key in texts}).where(
            Candidate.id == candidate_id
        ).execute()
    merger.merge(survivor, duplicate)
    row = Candidate.get_by_id(survivor)
    for key in texts:
        assert getattr(row, key) == f"{key} mine\n\n{key} theirs", key
    _fts_ok(services)
