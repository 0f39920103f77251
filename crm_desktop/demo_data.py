"""Demo data for ``crm-desktop --demo``: a believable book of candidates to explore the app with.

A first-time user, a reviewer or a screenshot needs a profile that looks like a real recruiter's:
a few hundred people from many places, years of history, and something in every Today bucket on
the day it is generated. So every date is relative to ``services.clock`` (the birthdays "today"
are today whenever it runs), and a seeded ``random.Random`` makes the output repeatable for a
given clock, which tests and screenshots rely on.

Candidates, timeline entries and reminders go through the core services, so validation,
``last_contacted_at`` and change events behave exactly as for typed-in data. The words live in
``resources/demo/seeds.json`` (editable without touching code); the proportions live here.
"""

from __future__ import annotations

import calendar
import json
import random
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.jobs import JobInput
from crm_desktop.core.services import Services
from crm_desktop.core.validation import PartialDate, ValidationError
from crm_desktop.core.vocabulary import DEFAULT_DIRECTION
from crm_desktop.resources import resource_path
from crm_desktop.store.models import Candidate, Company, Interaction

Seeds = dict[str, Any]

PIPELINE_WEIGHTS = {
    "sourced": 30,
    "contacted": 25,
    "shortlisted": 18,
    "interviewing": 12,
    "offered": 5,
    "rejected": 14,
    "withdrawn": 4,
}
OWED_UPDATES = 6
REFERRALS = 24
STATUS_WEIGHTS = {"active": 45, "passive": 33, "placed": 16, "do_not_contact": 6}
KIND_WEIGHTS = {
    "call": 20,
    "email": 24,
    "message": 15,
    "meeting": 8,
    "note": 14,
    "advice": 9,
    "celebration": 5,
    "status_update": 3,
    "referral": 2,
}
# Within one kind: two-way calls outnumber call-backs, we write more e-mails than we receive.
DIRECTION_WEIGHTS = {"both": 5, "out": 3, "in": 2, "none": 1}
HISTORY_DAYS = 730
DO_NOT_CONTACT_QUIET_DAYS = 30  # nothing but the opt-out note after they asked for silence
BIRTHDAY_SHARE = 0.85
BIRTH_YEAR_KNOWN_SHARE = 0.7
FOLLOW_UP_CHOICES = (14, 21, 30, 60, 90)

# Yearly dates pinned around "today" so the Today panel has items in every bucket:
# birthdays as days from today (two today, three this week, two belated) ...
BIRTHDAY_OFFSETS = (0, 0, 1, 4, 6, -1, -3)
# ... and joining days as (days from today, years ago): two joining days, four anniversaries.
JOINING_OFFSETS = ((0, 0), (3, 0), (0, 1), (2, 2), (5, 3), (7, 1))

MIN_REMINDERS = 18
OVERDUE_REMINDERS = 6
DONE_REMINDERS = 3
TODAY_REMINDER_TIMES = (time(8, 30), time(10, 0), time(12, 15), time(14, 30), time(17, 0))
LINKED_REMINDER_SHARE = 0.85

# Letters that Unicode does not decompose into ASCII base letter + accent.
_ASCII_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
    }
)


@dataclass(frozen=True)
class DemoSummary:
    """What ``populate_demo`` wrote, for the CLI to report."""

    candidates: int
    interactions: int
    reminders: int
    companies: int
    jobs: int


@dataclass(frozen=True)
class _Opening:
    """A client's job, as the phrases need it."""

    title: str
    family: str
    company: str
    city: str
    job_id: int = 0
    status: str = "open"


@dataclass(frozen=True)
class _Person:
    """A written candidate and the words its timeline and reminders are phrased with."""

    candidate_id: int
    data: CandidateInput
    words: dict[str, str]


@dataclass(frozen=True)
class _Entry:
    kind: str
    direction: str
    summary: str
    body: str
    occurred_at: datetime
    duration_minutes: int | None = None


def populate_demo(services: Services, count: int = 300, seed: int = 7) -> DemoSummary:
    """Fill an empty database with ``count`` demo candidates, their history, clients and reminders.

    Everything runs in one transaction: the database syncs to disk on every commit
    (``synchronous=FULL``), so committing row by row would cost thousands of fsyncs.
    """
    if count < 1:
        raise ValueError("The demo needs at least one candidate")
    seeds = load_seeds()
    with services.database.atomic():
        if Candidate.select().exists() or Company.select().exists():
            raise ValueError("Demo data goes into an empty database; this one already has data")
        writer = _DemoWriter(services, seeds, random.Random(seed))
        openings = writer.write_clients()
        people = writer.write_candidates(count, openings)
        interactions = sum(writer.write_timeline(person, people) for person in people)
        reminders = writer.write_reminders(people, openings)
        writer.write_pipeline(people, openings)
        writer.write_referrals(people)
        interactions = Interaction.select().count()
    return DemoSummary(
        candidates=len(people),
        interactions=interactions,
        reminders=reminders,
        companies=len(seeds["client_companies"]),
        jobs=len(openings),
    )


def load_seeds() -> Seeds:
    """The demo word lists, kept as a resource so words can change without code changes."""
    with resource_path("demo", "seeds.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text`` (``Łukasz`` -> ``lukasz``).

    E-mail local parts stay ASCII so the demo addresses work in every mail client.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return "".join(ch for ch in decomposed.lower() if ch.isascii() and ch.isalnum())


class _DemoWriter:
    """Draws every random choice from one ``Random`` in a fixed order, so runs repeat exactly."""

    def __init__(self, services: Services, seeds: Seeds, rng: random.Random) -> None:
        self.services = services
        self.seeds = seeds
        self.rng = rng
        self.today = services.clock.today()
        self.tz = services.clock.tz()
        self._emails_used: set[str] = set()

    # -- clients ---------------------------------------------------------------------------

    def write_clients(self) -> list[_Opening]:
        """Client companies and their jobs, through the jobs service."""
        jobs = self.services.jobs
        companies = {
            entry["name"]: jobs.create_company(entry["name"], entry["website"], entry["notes"])
            for entry in self.seeds["client_companies"]
        }
        openings = []
        for entry in self.seeds["jobs"]:
            job_id = jobs.create_job(
                JobInput(
                    title=entry["title"],
                    company_id=companies[entry["company"]],
                    description=entry["description"],
                    location=entry["location"],
                    salary_min=entry["salary_min"],
                    salary_max=entry["salary_max"],
                    currency=entry["currency"],
                    openings=entry["openings"],
                    status=entry["status"],
                )
            )
            openings.append(
                _Opening(
                    entry["title"],
                    entry["family"],
                    entry["company"],
                    _city(entry["location"]),
                    job_id,
                    entry["status"],
                )
            )
        return openings

    # -- pipeline and referrals ------------------------------------------------------------

    def write_pipeline(self, people: Sequence[_Person], openings: Sequence[_Opening]) -> int:
        """Candidates on the open jobs at every stage; a few updates still owed, some interviews.

        Runs after everything else so the earlier random draws (names, dates) stay as they were.
        """
        pipeline = self.services.pipeline
        reachable = [p for p in people if p.data.status in ("active", "passive")]
        stages = list(PIPELINE_WEIGHTS)
        weights = list(PIPELINE_WEIGHTS.values())
        applications, owed_left = 0, OWED_UPDATES
        for opening in openings:
            if opening.status != "open":
                continue
            size = min(len(reachable), self.rng.randint(4, 11))
            for person in self.rng.sample(reachable, size):
                stage = self.rng.choices(stages, weights)[0]
                app = pipeline.attach(person.candidate_id, opening.job_id)
                applications += 1
                if stage == "sourced":
                    continue
                interview = None
                if stage == "interviewing":
                    day = self.today + timedelta(days=self.rng.randint(0, 6))
                    interview = self._moment(day, time(self.rng.choice((10, 11, 14, 16))))
                pipeline.move(app, stage, interview_at=interview)
                if owed_left and self.rng.random() < 0.25:
                    owed_left -= 1  # left owed: the Today panel shows what is still to tell
                else:
                    pipeline.mark_informed(app)
        return applications

    def write_referrals(self, people: Sequence[_Person]) -> int:
        referrers = self.rng.sample(list(people), min(8, len(people)))
        referred = 0
        for person in self.rng.sample(list(people), min(REFERRALS, len(people))):
            referrer = self.rng.choice(referrers)
            if referrer.candidate_id == person.candidate_id:
                continue
            try:
                self.services.referrals.set_referrer(person.candidate_id, referrer.candidate_id)
            except ValidationError:
                continue  # a loop in the random draw: skip it
            referred += 1
        return referred

    # -- candidates ------------------------------------------------------------------------

    def write_candidates(self, count: int, openings: Sequence[_Opening]) -> list[_Person]:
        birthdays, joins = self._pinned_dates(count)
        people = []
        for index in range(count):
            data, words = self._candidate(birthdays.get(index), joins.get(index), openings)
            people.append(_Person(self.services.candidates.create(data), data, words))
        return people

    def _pinned_dates(self, count: int) -> tuple[dict[int, PartialDate], dict[int, date]]:
        """Candidate index -> a birthday or joining date near today (distinct candidates)."""
        birthdays = [self._birthday_on(self.today + timedelta(days=d)) for d in BIRTHDAY_OFFSETS]
        birthdays.append(PartialDate(2, 29, self._birth_year(2, 29)))
        joins = [
            _years_before(self.today + timedelta(days=days), years)
            for days, years in JOINING_OFFSETS
        ]
        picks = self.rng.sample(range(count), min(count, len(birthdays) + len(joins)))
        return (
            dict(zip(picks, birthdays, strict=False)),
            dict(zip(picks[len(birthdays) :], joins, strict=False)),
        )

    def _candidate(
        self, birthday: PartialDate | None, joined_on: date | None, openings: Sequence[_Opening]
    ) -> tuple[CandidateInput, dict[str, str]]:
        pool = _weighted(self.rng, self.seeds["name_pools"])
        profession = self.rng.choice(self.seeds["professions"])
        first = self.rng.choice(pool["first_names"])
        last = self.rng.choice(pool["last_names"])
        status = "placed" if joined_on else self._status(avoid_opt_out=birthday is not None)
        if status == "placed" and joined_on is None:
            joined_on = self.today - timedelta(days=self.rng.randint(30, 1800))
        opening = self._opening_for(profession["family"], openings)
        if status == "placed":  # placed with our client, in the role we filled
            headline, employer = opening.title, opening.company
        else:
            headline = self.rng.choice(profession["headlines"])
            employer = self.rng.choice(self.seeds["other_employers"])
        location, city = self._location(pool)
        skills = self.rng.sample(profession["skills"], k=self.rng.randint(3, 6))
        words = {
            "first_name": first,
            "last_name": last,
            "headline": headline,
            "skill": skills[0],
            "city": city,
            "current_company": employer,
            "job": opening.title,
            "company": opening.company,
            "other_name": "a former colleague",
        }
        data = CandidateInput(
            first_name=first,
            last_name=last,
            headline=headline,
            company_name=employer,
            location=location,
            skills=", ".join(skills),
            source=_weighted(self.rng, self.seeds["sources"])["name"],
            status=status,
            preferred_language=self.rng.choice(pool["languages"]),
            birthday=birthday or self._random_birthday(),
            joined_on=joined_on,
            follow_up_days=self._follow_up_days(),
            notes=self._phrases("notes", words, 0.7, 1),
            concerns=self._phrases("concerns", words, 0.6, 2),
            career_goals=self._phrases("career_goals", words, 0.75, 2),
            emails=self._emails(first, last, employer),
            phones=self._phones(pool["phone_patterns"]),
        )
        return data, words

    def _status(self, *, avoid_opt_out: bool) -> str:
        """A weighted status; pinned birthdays avoid "do not contact" (nobody to wish)."""
        status = self.rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        return "passive" if avoid_opt_out and status == "do_not_contact" else status

    def _opening_for(self, family: str, openings: Sequence[_Opening]) -> _Opening:
        matching = [o for o in openings if o.family == family]
        return self.rng.choice(matching or openings)

    def _location(self, pool: Mapping[str, Any]) -> tuple[str, str]:
        """Where they live (mostly near their name's region) and a city for the phrases."""
        home = self.rng.choice(pool["locations"])
        location = home
        if self.rng.random() >= 0.75:
            location = self.rng.choice(self.seeds["global_locations"])
        return location, _city(home if location.startswith("Remote") else location)

    def _random_birthday(self) -> PartialDate | None:
        if self.rng.random() >= BIRTHDAY_SHARE:
            return None
        # 2000 is a leap year, so 29 February turns up now and then.
        return self._birthday_on(date(2000, 1, 1) + timedelta(days=self.rng.randrange(366)))

    def _birthday_on(self, day: date) -> PartialDate:
        return PartialDate(day.month, day.day, self._birth_year(day.month, day.day))

    def _birth_year(self, month: int, day: int) -> int | None:
        """Aged 22 to 60 when the year is known; a leap year for 29 February."""
        if self.rng.random() >= BIRTH_YEAR_KNOWN_SHARE:
            return None
        year = self.today.year - self.rng.randint(22, 60)
        while (month, day) == (2, 29) and not calendar.isleap(year):
            year -= 1
        return year

    def _follow_up_days(self) -> int | None:
        return self.rng.choice(FOLLOW_UP_CHOICES) if self.rng.random() < 0.35 else None

    def _phrases(self, key: str, words: Mapping[str, str], share: float, most: int) -> str:
        if self.rng.random() >= share:
            return ""
        chosen = self.rng.sample(self.seeds[key], k=self.rng.randint(1, most))
        return " ".join(phrase.format_map(words) for phrase in chosen)

    def _emails(self, first: str, last: str, employer: str) -> tuple[str, ...]:
        """Usually one personal address, sometimes a work one too, rarely none."""
        roll = self.rng.random()
        if roll < 0.04:
            return ()
        personal = self._unique_email(first, last, self.rng.choice(self.seeds["email_domains"]))
        if roll < 0.8:
            return (personal,)
        work_domain = f"{ascii_slug(employer) or 'work'}.example"
        return (personal, self._unique_email(first, last, work_domain, formal=True))

    def _unique_email(self, first: str, last: str, domain: str, *, formal: bool = False) -> str:
        given, family = ascii_slug(first) or "candidate", ascii_slug(last)
        styles = [f"{given}.{family}", f"{given}{family}", f"{given[0]}{family}"]
        styles += [f"{given}_{family}", f"{family}.{given}"]
        local = (styles[0] if formal else self.rng.choice(styles)).strip("._")
        address, number = f"{local}@{domain}", 2
        while address in self._emails_used:
            address, number = f"{local}{number}@{domain}", number + 1
        self._emails_used.add(address)
        return address

    def _phones(self, patterns: Sequence[str]) -> tuple[str, ...]:
        count = self.rng.choices((0, 1, 2), weights=(8, 72, 20))[0]
        return tuple(_fill_digits(self.rng.choice(patterns), self.rng) for _ in range(count))

    # -- timeline --------------------------------------------------------------------------

    def write_timeline(self, person: _Person, people: Sequence[_Person]) -> int:
        """Write 3 to 15 entries spread over the last two years; returns how many."""
        entries = self._history(person, people)
        for entry in entries:
            self.services.timeline.add(
                person.candidate_id,
                entry.kind,
                entry.summary,
                entry.body,
                direction=entry.direction,
                occurred_at=entry.occurred_at,
                duration_minutes=entry.duration_minutes,
            )
        return len(entries)

    def _history(self, person: _Person, people: Sequence[_Person]) -> list[_Entry]:
        words = person.words | {"other_name": self._other_name(person, people)}
        milestones = self._milestones(person, words)
        opted_out = person.data.status == "do_not_contact"
        newest = DO_NOT_CONTACT_QUIET_DAYS + 1 if opted_out else 1
        kinds = self.rng.choices(
            list(KIND_WEIGHTS),
            weights=list(KIND_WEIGHTS.values()),
            k=self.rng.randint(3, 15) - len(milestones),
        )
        entries = [
            self._entry(kind, words, self._past_moment(self.rng.randint(newest, HISTORY_DAYS)))
            for kind in kinds
        ]
        return sorted(entries + milestones, key=lambda e: e.occurred_at)

    def _milestones(self, person: _Person, words: Mapping[str, str]) -> list[_Entry]:
        """Entries tied to the candidate's story: the placement, or the request for silence."""
        if person.data.status == "do_not_contact":
            days_ago = self.rng.randint(1, DO_NOT_CONTACT_QUIET_DAYS)
            return [self._fixed(self.seeds["do_not_contact_entry"], "note", words, days_ago)]
        joined = person.data.joined_on
        if person.data.status != "placed" or joined is None:
            return []
        phrases = self.seeds["placed_entries"]
        joined_days_ago = (self.today - joined).days
        offer_days_ago = joined_days_ago + self.rng.randint(21, 45)
        found = []
        if 0 < offer_days_ago <= HISTORY_DAYS:
            found.append(self._fixed(phrases["offer"], "status_update", words, offer_days_ago))
        if 0 < joined_days_ago <= HISTORY_DAYS:
            found.append(self._fixed(phrases["joining"], "celebration", words, joined_days_ago))
        return found

    def _fixed(
        self, phrase: Mapping[str, str], kind: str, words: Mapping[str, str], days_ago: int
    ) -> _Entry:
        """A milestone entry, on its exact day (joining days fall on weekends too)."""
        return _Entry(
            kind,
            DEFAULT_DIRECTION[kind],
            phrase["summary"].format_map(words),
            phrase["body"].format_map(words),
            self._past_moment(days_ago, weekdays_only=False),
        )

    def _entry(self, kind: str, words: Mapping[str, str], when: datetime) -> _Entry:
        by_direction = self.seeds["interactions"][kind]
        directions = list(by_direction)
        direction = self.rng.choices(
            directions, weights=[DIRECTION_WEIGHTS[d] for d in directions]
        )[0]
        phrase = self.rng.choice(by_direction[direction])
        return _Entry(
            kind,
            direction,
            phrase["summary"].format_map(words),
            phrase["body"].format_map(words),
            when,
            self._duration(kind),
        )

    def _duration(self, kind: str) -> int | None:
        if kind == "call":
            return self.rng.choice((5, 10, 15, 20, 30, 45))
        if kind == "meeting":
            return self.rng.choice((30, 45, 60, 90))
        return None

    def _other_name(self, person: _Person, people: Sequence[_Person]) -> str:
        """Someone else in the book, for referral entries."""
        other = self.rng.choice(people)
        if other is person:
            return "a former colleague"
        return f"{other.data.first_name} {other.data.last_name}"

    def _past_moment(self, days_ago: int, *, weekdays_only: bool = True) -> datetime:
        """Office hours, local time, ``days_ago`` days back (moved off weekends, mostly)."""
        day = self.today - timedelta(days=days_ago)
        if weekdays_only and day.weekday() >= 5 and self.rng.random() < 0.85:
            day -= timedelta(days=day.weekday() - 4)
        at = time(self.rng.randint(8, 18), self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
        return self._moment(day, at)

    def _moment(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, self.tz).astimezone(UTC)

    # -- reminders -------------------------------------------------------------------------

    def write_reminders(self, people: Sequence[_Person], openings: Sequence[_Opening]) -> int:
        """Recurring, overdue, due-today, done and upcoming reminders; returns how many."""
        reachable = [p for p in people if p.data.status != "do_not_contact"] or list(people)
        placed = [p for p in reachable if p.data.status == "placed"] or reachable
        recurring = self.seeds["reminders"]["recurring"]
        for template in recurring:
            due = self._moment(self.today + timedelta(days=self.rng.randint(1, 6)), time(9, 0))
            person = self.rng.choice(placed) if template["linked"] else None
            self._remind(template, due, person, openings)
        total = max(MIN_REMINDERS, len(people) * 2 // 15)
        schedule = self._one_off_times(total - len(recurring))
        for due, done in schedule:
            linked = self.rng.random() < LINKED_REMINDER_SHARE
            template = self.rng.choice(self.seeds["reminders"]["linked" if linked else "unlinked"])
            person = self.rng.choice(reachable) if linked else None
            reminder_id = self._remind(template, due, person, openings)
            if done:
                self.services.reminders.complete(reminder_id)
        return len(recurring) + len(schedule)

    def _one_off_times(self, count: int) -> list[tuple[datetime, bool]]:
        """(due, already done) for the one-off reminders: overdue, today, done, then upcoming."""
        overdue = [
            (self._random_hour(self.today - timedelta(days=self.rng.randint(1, 10))), False)
            for _ in range(OVERDUE_REMINDERS)
        ]
        today = [(self._moment(self.today, at), False) for at in TODAY_REMINDER_TIMES]
        done = [
            (self._random_hour(self.today - timedelta(days=self.rng.randint(11, 30))), True)
            for _ in range(DONE_REMINDERS)
        ]
        upcoming = [
            (self._random_hour(self.today + timedelta(days=self.rng.randint(1, 14))), False)
            for _ in range(max(0, count - len(overdue) - len(today) - len(done)))
        ]
        return overdue + today + done + upcoming

    def _random_hour(self, day: date) -> datetime:
        return self._moment(day, time(self.rng.randint(8, 17), self.rng.choice((0, 15, 30, 45))))

    def _remind(
        self,
        template: Mapping[str, Any],
        due: datetime,
        person: _Person | None,
        openings: Sequence[_Opening],
    ) -> int:
        """One reminder, phrased with the candidate's words or, unlinked, a client job's."""
        opening = self.rng.choice(openings)
        words = (
            person.words
            if person
            else {
                "company": opening.company,
                "job": opening.title,
                "city": opening.city,
            }
        )
        return self.services.reminders.create(
            template["title"].format_map(words),
            due,
            candidate_id=person.candidate_id if person else None,
            notes=template["notes"].format_map(words),
            recurrence=template.get("recurrence", "none"),
        )


def _weighted(rng: random.Random, entries: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    return rng.choices(entries, weights=[e["weight"] for e in entries])[0]


def _fill_digits(pattern: str, rng: random.Random) -> str:
    """``+49 151 ########`` -> a number in that format (``#`` is a random digit)."""
    return "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in pattern)


def _city(location: str) -> str:
    return location.split(",")[0].strip()


def _years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
