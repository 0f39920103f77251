"""The ``--demo`` book: believable, repeatable, and something in every Today bucket on day one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import peewee
import pytest

from crm_desktop.clock import SettableClock
from crm_desktop.core.services import Services, build_services
from crm_desktop.demo_data import DemoSummary, ascii_slug, populate_demo
from crm_desktop.store.database import open_database
from crm_desktop.store.models import Candidate, ContactPoint, Interaction, Reminder

GENERATION_DAY = datetime(2026, 3, 10, 9, 0)  # a Tuesday, 09:00 in Berlin


@contextmanager
def demo_book(
    directory: Path, when: datetime = GENERATION_DAY, **options: int
) -> Iterator[tuple[Services, DemoSummary]]:
    """A fresh database in ``directory`` filled with demo data as of ``when`` (Berlin time)."""
    clock = SettableClock(when, "Europe/Berlin")
    db = open_database(directory / "demo.sqlite3", directory / "backups", clock)
    try:
        services = build_services(db, clock)
        yield services, populate_demo(services, **options)
    finally:
        db.close()


def _names() -> list[tuple[str, str]]:
    query = Candidate.select(Candidate.first_name, Candidate.last_name).order_by(Candidate.id)
    return list(query.tuples())


def _born_on_29_february(candidate_id: int | None) -> bool:
    row = Candidate.get_by_id(candidate_id)
    return (row.birthday_month, row.birthday_day) == (2, 29)


def test_full_book_fills_every_today_bucket(tmp_path: Path) -> None:
    with demo_book(tmp_path) as (services, summary):
        assert summary.candidates == Candidate.select().count() == 300
        assert summary.reminders == Reminder.select().count() == 40
        assert summary.interactions == Interaction.select().count()
        assert (summary.companies, summary.jobs) == (26, 29)

        view = services.today.compute()
        assert view.overdue
        assert view.today
        assert view.upcoming
        kinds_now = {item.kind for item in view.today + view.upcoming}
        assert {"birthday", "anniversary", "joining_day", "reminder"} <= kinds_now
        assert sum(item.kind == "birthday" for item in view.today) >= 2
        assert 4 <= sum(item.kind == "reminder" for item in view.today) <= 6
        assert {item.kind for item in view.overdue} >= {"reminder", "birthday"}
        due_today = [item.due_at for item in view.today if item.kind == "reminder"]
        assert len(set(due_today)) == len(due_today)  # different hours


def test_every_candidate_has_a_history_of_three_to_fifteen_entries(tmp_path: Path) -> None:
    with demo_book(tmp_path, count=120) as (services, _summary):
        per_candidate = dict(
            Interaction.select(Interaction.candidate, peewee.fn.COUNT(Interaction.id))
            # Pipeline and referral entries come on top of the personal history.
            .where(
                ~((Interaction.kind == "status_update") & Interaction.job.is_null(False))
                & ~Interaction.summary.startswith("Referred")
            )
            .group_by(Interaction.candidate)
            .tuples()
        )
        assert len(per_candidate) == 120
        assert min(per_candidate.values()) >= 3
        assert max(per_candidate.values()) <= 15
        now = services.clock.now()
        newest = Interaction.select().order_by(Interaction.occurred_at.desc()).first()
        assert newest.occurred_at <= now  # nothing logged in the future
        contacted = Candidate.select().where(Candidate.last_contacted_at.is_null(False)).count()
        assert contacted > 100  # the timeline service kept last_contacted_at


def test_book_is_diverse_and_addresses_are_ascii(tmp_path: Path) -> None:
    with demo_book(tmp_path, count=150):
        statuses = {status for (status,) in Candidate.select(Candidate.status).tuples()}
        assert statuses == {"active", "passive", "placed", "do_not_contact"}
        assert any(not f"{first}{last}".isascii() for first, last in _names())
        languages = {lang for (lang,) in Candidate.select(Candidate.preferred_language).tuples()}
        assert len(languages) >= 6
        query = ContactPoint.select(ContactPoint.value).where(ContactPoint.kind == "email")
        emails = [value for (value,) in query.tuples()]
        assert len(emails) > 100
        assert all(email.isascii() for email in emails)
        assert len(emails) == len(set(emails))
        placed_without_date = Candidate.select().where(
            (Candidate.status == "placed") & Candidate.joined_on.is_null()
        )
        assert not placed_without_date.exists()


def test_same_seed_same_book_other_seed_other_book(tmp_path: Path) -> None:
    books = {}
    for run, seed in (("first", 7), ("again", 7), ("other", 8)):
        with demo_book(tmp_path / run, count=40, seed=seed) as (services, _summary):
            titles = [item.title for item in services.today.compute().upcoming]
            books[run] = (_names(), titles)
    assert books["first"] == books["again"]
    assert books["first"][0] != books["other"][0]


def test_29_february_birthday_is_celebrated_on_28_february_in_a_common_year(tmp_path: Path) -> None:
    with demo_book(tmp_path, when=datetime(2027, 2, 27, 9, 0), count=60) as (services, _summary):
        view = services.today.compute()
        birthdays = [item for item in view.upcoming if item.kind == "birthday"]
        leap_birthdays = [item for item in birthdays if _born_on_29_february(item.candidate_id)]
        assert leap_birthdays  # the pinned one, perhaps a random one too
        assert {item.on for item in leap_birthdays} == {date(2027, 2, 28)}
        assert view.overdue
        assert view.today


def test_refuses_a_database_that_already_has_data(tmp_path: Path) -> None:
    with demo_book(tmp_path, count=20) as (services, _summary):
        with pytest.raises(ValueError, match="empty database"):
            populate_demo(services, count=20)
        assert Candidate.select().count() == 20


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Łukasz", "lukasz"),
        ("Søren", "soren"),
        ("Müller", "muller"),
        ("Zoë", "zoe"),
        ("O'Connor", "oconnor"),
        ("Nguyễn", "nguyen"),
        ("Yılmaz", "yilmaz"),
        ("Groß", "gross"),
    ],
)
def test_ascii_slug_keeps_names_recognisable(name: str, slug: str) -> None:
    assert ascii_slug(name) == slug
