"""Realistic synthetic Rapport databases at a chosen size, fast, cached between runs.

The core services validate and emit events row by row, which is right for the app but far too
slow for 1.5 million timeline entries. So the generator creates the file at schema v1 with the
real ``open_database`` (the frozen v1 SQL), bulk-inserts plain rows with ``sqlite3`` in one
transaction, and then opens it once with every migration: that runs v2, which builds the FTS5
search index with one ``'rebuild'``, exactly the upgrade an existing user's file goes through.

The words come from the demo seeds (``resources/demo/seeds.json``: names with diacritics from
fourteen cultures, cities, professions, skills and timeline phrases); the proportions are those
of a large book rather than the demo's showcase (most candidates passive, few placed, birthdays
known for a third). Everything is drawn from one ``random.Random(seed)`` in a fixed order and
every date is relative to a fixed clock, so a given size, seed and generator version always
gives the same file. Invariants kept as the core keeps them: ``last_contacted_at`` is the newest
outbound or two-way entry; ``birthday_md``/``joined_md`` are month * 100 + day; contact-point
``digits`` are the phone's digits only.

Exactly one candidate has ``BIG_TIMELINE`` entries and some have none; the metadata JSON beside
the database names the big one and a few values the search benchmark types (a phone number, an
e-mail address, a rare word).

``uv run python -m bench.generate --candidates N`` builds (or reuses) the cached dataset.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from crm_desktop.clock import SettableClock
from crm_desktop.core.vocabulary import CONTACT_DIRECTIONS
from crm_desktop.demo_data import DIRECTION_WEIGHTS, KIND_WEIGHTS, ascii_slug, load_seeds
from crm_desktop.paths import DB_FILENAME
from crm_desktop.store import migrations as migrations_module
from crm_desktop.store.database import close_database, open_database
from crm_desktop.store.migrations import MIGRATIONS, SCHEMA_VERSION

# Bump when the generated data changes: the cache key includes it.
GENERATOR_VERSION = 3
DEFAULT_SEED = 20261127
DEFAULT_CANDIDATES = 150_000
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
META_FILENAME = "meta.json"
SQL_DIR = Path(migrations_module.__file__).resolve().parent / "sql"

# The benchmark's "now": every date in the data is relative to it.
BENCH_NOW = datetime(2026, 11, 27, 9, 0)
BENCH_TZ = "Europe/London"

HISTORY_DAYS = 5 * 365
BIG_TIMELINE = 2000
ZERO_TIMELINE_SHARE = 0.04
TIMELINE_GAMMA = (2.0, 4.95)  # shape, scale: 1 + Gamma gives a mean near 10 entries, long tail
MAX_TIMELINE = 150
STATUS_WEIGHTS = {"active": 35, "passive": 55, "placed": 4, "do_not_contact": 6}
BIRTHDAY_SHARE = 0.15  # imported profiles rarely carry one
BIRTH_YEAR_KNOWN_SHARE = 0.6
FOLLOW_UP_CHOICES = (14, 21, 30, 60, 90)
DO_NOT_CONTACT_QUIET_DAYS = 30
TRASHED_SHARE = 0.005
LINKED_REMINDER_SHARE = 0.05
APPLICATION_SHARE = 0.02
TAGGED_SHARE = 0.12
TAGS = (
    ("hot", "#e53935"),
    ("relocation", "#8e24aa"),
    ("visa needed", "#3949ab"),
    ("senior", "#00897b"),
    ("remote only", "#7cb342"),
    ("returner", "#fb8c00"),
    ("referrer", "#6d4c41"),
    ("silver medallist", "#546e7a"),
)
# Most applications are history (rejected, withdrawn); a few are live.
STAGE_WEIGHTS = {
    "sourced": 20,
    "contacted": 15,
    "shortlisted": 10,
    "interviewing": 8,
    "offered": 3,
    "rejected": 30,
    "withdrawn": 14,
}
RARE_WORD = "xylophone"
RARE_NOTE = "Plays the xylophone in a jazz quartet; mentioned it twice."
RARE_COUNT = 3
MINUTES = (0, 5, 10, 15, 20, 30, 40, 45, 50)
FLUSH_ROWS = 50_000

_CANDIDATE_COLUMNS = (
    "id, first_name, last_name, headline, company_name, location, skills, source, status, "
    "preferred_language, birthday_month, birthday_day, birthday_year, birthday_md, joined_on, "
    "joined_md, follow_up_days, notes, concerns, career_goals, consent_date, consent_basis, "
    "referred_by_id, last_contacted_at, created_at, updated_at, deleted_at"
)
_INSERTS = {
    "candidate": f"INSERT INTO candidate ({_CANDIDATE_COLUMNS}) VALUES ({', '.join('?' * 27)})",
    "contact_point": "INSERT INTO contact_point (candidate_id, kind, value, label, is_primary, "
    "digits) VALUES (?, ?, ?, ?, ?, ?)",
    "interaction": "INSERT INTO interaction (candidate_id, kind, direction, occurred_at, "
    "duration_minutes, summary, body, job_id, template_name, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)",
    "reminder": "INSERT INTO reminder (title, notes, due_at, recurrence, candidate_id, job_id, "
    "interaction_id, done_at, snoozed_until, notified_at, created_at) "
    "VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, NULL, NULL, ?)",
    "application": "INSERT INTO application (candidate_id, job_id, stage, stage_changed_at, "
    "informed_at, candidate_feedback, assessment, interview_at, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "candidate_tag": "INSERT INTO candidate_tag (candidate_id, tag_id) VALUES (?, ?)",
}


def bench_clock() -> SettableClock:
    """The fixed clock the data is generated against and the in-process benchmark runs with."""
    return SettableClock(BENCH_NOW, BENCH_TZ)


@dataclass(frozen=True)
class Dataset:
    """A generated profile in the cache: ``profile_dir`` holds the database file."""

    root: Path
    meta: dict[str, Any]

    @property
    def profile_dir(self) -> Path:
        return self.root / "profile"

    @property
    def db_file(self) -> Path:
        return self.profile_dir / DB_FILENAME

    @property
    def big_candidate_id(self) -> int:
        return int(self.meta["big_candidate_id"])


def dataset_key(candidates: int, seed: int = DEFAULT_SEED) -> str:
    """Cache key: size, seed, generator version and the schema the file was migrated to."""
    digest = hashlib.sha256()
    for sql in sorted(SQL_DIR.glob("*.sql")):
        digest.update(sql.name.encode())
        digest.update(sql.read_bytes())
    schema = f"v{SCHEMA_VERSION}-{digest.hexdigest()[:10]}"
    return f"c{candidates}-g{GENERATOR_VERSION}-s{seed}-schema{schema}"


def cached_dataset(
    candidates: int, seed: int = DEFAULT_SEED, cache_dir: Path = CACHE_DIR
) -> Dataset | None:
    """The cached dataset for this size and seed, or None when it has not been generated."""
    root = cache_dir / dataset_key(candidates, seed)
    meta_file = root / META_FILENAME
    if meta_file.exists() and (root / "profile" / DB_FILENAME).exists():
        return Dataset(root, json.loads(meta_file.read_text(encoding="utf-8")))
    return None


def ensure_dataset(
    candidates: int = DEFAULT_CANDIDATES,
    seed: int = DEFAULT_SEED,
    *,
    cache_dir: Path = CACHE_DIR,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> Dataset:
    """The cached dataset for this size, generating it first when missing (or ``force``)."""
    root = cache_dir / dataset_key(candidates, seed)
    if force and root.exists():
        shutil.rmtree(root)
    found = cached_dataset(candidates, seed, cache_dir)
    if found is not None:
        return found
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Build beside the final place and rename, so an interrupted run never leaves a half cache.
    work = Path(tempfile.mkdtemp(prefix="building-", dir=cache_dir))
    try:
        log(f"Generating {candidates:,} candidates into {root.name} (cached afterwards)…")
        meta = generate(work / "profile" / DB_FILENAME, candidates, seed, log=log)
        (work / META_FILENAME).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        if root.exists():
            shutil.rmtree(root)
        work.rename(root)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return Dataset(root, meta)


def generate(
    db_file: Path, candidates: int, seed: int = DEFAULT_SEED, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Write a new database at ``db_file`` and return its metadata (ids, counts, timings)."""
    if candidates < 1:
        raise ValueError("The benchmark needs at least one candidate")
    if db_file.exists():
        raise FileExistsError(db_file)
    db_file.parent.mkdir(parents=True, exist_ok=True)
    clock = bench_clock()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rapport-bench-backups-") as backups:
        backups_dir = Path(backups)
        close_database(open_database(db_file, backups_dir, clock, migrations=MIGRATIONS[:1]))
        writer = _Writer(load_seeds(), random.Random(seed), clock.today(), clock)
        conn = sqlite3.connect(db_file, isolation_level=None)
        try:
            for pragma in (
                "journal_mode=OFF",
                "synchronous=OFF",
                "cache_size=-262144",
                "temp_store=MEMORY",
            ):
                conn.execute(f"PRAGMA {pragma}")
            conn.execute("BEGIN")
            writer.write(conn, candidates)
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode=WAL")
        finally:
            conn.close()
        rows_done = time.perf_counter()
        log(
            f"  rows written in {rows_done - started:.1f} s "
            f"({writer.counts['interaction']:,} interactions); migrating to schema "
            f"v{SCHEMA_VERSION} (v2 builds the search index)…"
        )
        close_database(open_database(db_file, backups_dir, clock))
    finished = time.perf_counter()
    log(f"  migrated and indexed in {finished - rows_done:.1f} s")
    return {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "schema_version": SCHEMA_VERSION,
        "now": BENCH_NOW.isoformat(),
        "tz": BENCH_TZ,
        "candidates": candidates,
        "interactions": writer.counts["interaction"],
        "contact_points": writer.counts["contact_point"],
        "reminders": writer.counts["reminder"],
        "applications": writer.counts["application"],
        "candidate_tags": writer.counts["candidate_tag"],
        "zero_timeline_candidates": writer.zero_timeline,
        "trashed_candidates": writer.trashed,
        "big_candidate_id": writer.big_id,
        "big_candidate_interactions": BIG_TIMELINE,
        "rare_word": RARE_WORD,
        "sample_phone": writer.sample_phone,
        "sample_email": writer.sample_email,
        "rows_seconds": round(rows_done - started, 2),
        "fts_build_seconds": round(finished - rows_done, 2),
        "generation_seconds": round(finished - started, 2),
        "db_bytes": db_file.stat().st_size,
    }


class _Moments:
    """Fixed-width UTC timestamps for local office-hour moments ``days_ago`` before today.

    ``datetime`` arithmetic for each of millions of rows is the slowest part of a naive
    generator; the UTC offset is looked up once per day instead.
    """

    def __init__(self, today: date, clock: SettableClock) -> None:
        self._today = today
        self._tz = clock.tz()
        self._days: dict[int, tuple[str, int, int]] = {}

    def day(self, days_ago: int) -> tuple[str, int, int]:
        """(local date ISO, UTC offset in minutes, weekday) of the day ``days_ago`` back."""
        found = self._days.get(days_ago)
        if found is None:
            day = self._today - timedelta(days=days_ago)
            noon = datetime(day.year, day.month, day.day, 12, tzinfo=self._tz)
            offset = noon.utcoffset() or timedelta()
            found = (day.isoformat(), int(offset.total_seconds() // 60), day.weekday())
            self._days[days_ago] = found
        return found

    def stamp(self, days_ago: int, hour: int, minute: int) -> str:
        """The stored text of local ``hour:minute`` on that day, in UTC."""
        iso, offset, _weekday = self.day(days_ago)
        total = hour * 60 + minute - offset
        if 0 <= total < 24 * 60:
            return f"{iso}T{total // 60:02d}:{total % 60:02d}:00.000000Z"
        day = self._today - timedelta(days=days_ago)
        local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=self._tz)
        return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def date_iso(self, days_ago: int) -> str:
        return self.day(days_ago)[0]


class _Weighted:
    """Fast weighted choice over a fixed population (cumulative weights + bisect)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


class _Writer:
    """Draws every random choice from one ``Random`` in a fixed order and streams rows out."""

    def __init__(
        self, seeds: Mapping[str, Any], rng: random.Random, today: date, clock: SettableClock
    ) -> None:
        self.seeds = seeds
        self.rng = rng
        self.today = today
        self.moments = _Moments(today, clock)
        self.now_text = clock.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.pools = _Weighted(seeds["name_pools"], [p["weight"] for p in seeds["name_pools"]])
        self.sources = _Weighted(
            [s["name"] for s in seeds["sources"]], [s["weight"] for s in seeds["sources"]]
        )
        self.statuses = _Weighted(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))
        self.kinds = _Weighted(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))
        self.stages = _Weighted(list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values()))
        self.directions = {
            kind: _Weighted(list(by_dir), [DIRECTION_WEIGHTS[d] for d in by_dir])
            for kind, by_dir in seeds["interactions"].items()
        }
        self.jobs = list(seeds["jobs"])
        self.jobs_by_family: dict[str, list[int]] = {}
        for index, job in enumerate(self.jobs):
            self.jobs_by_family.setdefault(job["family"], []).append(index)
        self.counts = dict.fromkeys(_INSERTS, 0)
        self.buffers: dict[str, list[tuple]] = {table: [] for table in _INSERTS}
        self.email_numbers: dict[str, int] = {}
        self.names: list[str] = []
        self.zero_timeline = 0
        self.trashed = 0
        self.big_id = 0
        self.sample_phone = ""
        self.sample_email = ""
        self._fixed = {"phone": False, "email": False}

    # -- driver ------------------------------------------------------------------------------

    def write(self, conn: sqlite3.Connection, count: int) -> None:
        self.conn = conn
        self._write_clients()
        big_index = self.rng.randrange(count)
        rare = set(self.rng.sample(range(count), min(RARE_COUNT, count)))
        sample_index = count // 2
        for index in range(count):
            self._candidate(index + 1, big=index == big_index, rare=index in rare)
            if self.buffers["candidate"][-1][-1] is None:  # not in the trash
                self._remember_samples(index + 1, middle=index >= sample_index)
            if len(self.buffers["interaction"]) >= FLUSH_ROWS:
                self._flush()
        self._write_unlinked_reminders(count)
        self._flush()
        self.big_id = big_index + 1

    def _flush(self) -> None:
        for table, rows in self.buffers.items():
            if rows:
                self.conn.executemany(_INSERTS[table], rows)
                self.counts[table] += len(rows)
                rows.clear()

    def _remember_samples(self, candidate_id: int, middle: bool) -> None:
        """A spaced phone number and an e-mail address of a candidate, for the search bench.

        The first candidate from the middle of the book on that has one wins; earlier ones only
        stand in (for tiny books where nobody after the middle has one).
        """
        for owner, kind, value, _label, _primary, _digits in reversed(
            self.buffers["contact_point"]
        ):
            if owner != candidate_id:
                break
            if kind == "phone" and value.startswith("+") and value.count(" ") >= 2:
                if middle and not self._fixed["phone"]:
                    self.sample_phone, self._fixed["phone"] = value, True
                elif not self.sample_phone:
                    self.sample_phone = value
            elif kind == "email":
                if middle and not self._fixed["email"]:
                    self.sample_email, self._fixed["email"] = value, True
                elif not self.sample_email:
                    self.sample_email = value

    # -- clients -----------------------------------------------------------------------------

    def _write_clients(self) -> None:
        now = self.now_text
        company_ids = {}
        rows = []
        for index, entry in enumerate(self.seeds["client_companies"], start=1):
            company_ids[entry["name"]] = index
            rows.append((index, entry["name"], entry["website"], entry["notes"], now, now))
        self.conn.executemany("INSERT INTO company VALUES (?, ?, ?, ?, ?, ?)", rows)
        self.conn.executemany(
            "INSERT INTO job VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    index,
                    company_ids.get(job["company"]),
                    job["title"],
                    job["description"],
                    job["location"],
                    job["salary_min"],
                    job["salary_max"],
                    job["currency"],
                    job["openings"],
                    job["status"],
                    now,
                    now,
                )
                for index, job in enumerate(self.jobs, start=1)
            ],
        )
        self.conn.executemany(
            "INSERT INTO tag VALUES (?, ?, ?)",
            [(index, name, colour) for index, (name, colour) in enumerate(TAGS, start=1)],
        )

    # -- one candidate -----------------------------------------------------------------------

    def _candidate(self, candidate_id: int, *, big: bool, rare: bool) -> None:
        rng = self.rng
        pool = self.pools.pick(rng)
        profession = rng.choice(self.seeds["professions"])
        first = rng.choice(pool["first_names"])
        last = rng.choice(pool["last_names"])
        status = "active" if big else self.statuses.pick(rng)
        job_index = rng.choice(self.jobs_by_family.get(profession["family"]) or [0])
        job = self.jobs[job_index]
        joined_days_ago = rng.randint(30, 1800) if status == "placed" else None
        if status == "placed":
            headline, employer = job["title"], job["company"]
        else:
            headline = rng.choice(profession["headlines"])
            employer = rng.choice(self.seeds["other_employers"])
        home = rng.choice(pool["locations"])
        location = home if rng.random() < 0.75 else rng.choice(self.seeds["global_locations"])
        city = _city(home if location.startswith("Remote") else location)
        skills = rng.sample(
            profession["skills"], k=min(len(profession["skills"]), rng.randint(3, 6))
        )
        words = {
            "first_name": first,
            "last_name": last,
            "headline": headline,
            "skill": skills[0],
            "city": city,
            "current_company": employer,
            "job": job["title"],
            "company": job["company"],
            "other_name": self.names[rng.randrange(len(self.names))]
            if self.names
            else "a former colleague",
        }
        self.names.append(f"{first} {last}")
        created_days_ago = HISTORY_DAYS if big else rng.randint(14, HISTORY_DAYS)

        bmonth = bday = byear = bmd = None
        if rng.random() < BIRTHDAY_SHARE:
            born = date(2000, 1, 1) + timedelta(days=rng.randrange(366))
            bmonth, bday, bmd = born.month, born.day, born.month * 100 + born.day
            if rng.random() < BIRTH_YEAR_KNOWN_SHARE:
                byear = self.today.year - rng.randint(22, 60)
                while (bmonth, bday) == (2, 29) and byear % 4:
                    byear -= 1
        joined_on = joined_md = None
        if joined_days_ago is not None:
            joined = self.today - timedelta(days=joined_days_ago)
            joined_on, joined_md = joined.isoformat(), joined.month * 100 + joined.day
        notes = self._phrases("notes", words, 0.7, 1)
        if rare:
            notes = f"{notes} {RARE_NOTE}".strip()
        consent_date, consent_basis = None, ""
        if rng.random() < 0.7:
            consent_date = self.moments.date_iso(rng.randint(1, created_days_ago))
            consent_basis = rng.choice(("consent", "legitimate interest"))
        source = self.sources.pick(rng)
        referred_by = (
            rng.randint(1, candidate_id - 1) if source == "Referral" and candidate_id > 1 else None
        )

        entries = self._timeline(
            candidate_id, words, status, created_days_ago, joined_days_ago, big
        )
        contacted = [e[3] for e in entries if e[2] in CONTACT_DIRECTIONS]
        last_contacted = max(contacted) if contacted else None
        created_at = self.moments.stamp(created_days_ago, rng.randint(8, 18), rng.choice(MINUTES))
        updated_at = self.moments.stamp(
            rng.randint(0, created_days_ago), rng.randint(8, 18), rng.choice(MINUTES)
        )
        updated_at = max(created_at, updated_at)
        deleted_at = None
        if not big and rng.random() < TRASHED_SHARE:
            deleted_at = self.moments.stamp(rng.randint(1, 60), rng.randint(8, 18), 0)
            self.trashed += 1

        self.buffers["candidate"].append(
            (
                candidate_id,
                first,
                last,
                headline,
                employer,
                location,
                ", ".join(skills),
                source,
                status,
                rng.choice(pool["languages"]),
                bmonth,
                bday,
                byear,
                bmd,
                joined_on,
                joined_md,
                rng.choice(FOLLOW_UP_CHOICES) if rng.random() < 0.35 else None,
                notes,
                self._phrases("concerns", words, 0.6, 2),
                self._phrases("career_goals", words, 0.75, 2),
                consent_date,
                consent_basis,
                referred_by,
                last_contacted,
                created_at,
                updated_at,
                deleted_at,
            )
        )
        self._contacts(candidate_id, first, last, employer, pool["phone_patterns"])
        self.buffers["interaction"].extend(entries)
        if not entries:
            self.zero_timeline += 1
        if status != "do_not_contact" and rng.random() < LINKED_REMINDER_SHARE:
            self._reminder(rng.choice(self.seeds["reminders"]["linked"]), words, candidate_id)
        if rng.random() < APPLICATION_SHARE:
            self._applications(candidate_id, job_index, created_days_ago)
        if rng.random() < TAGGED_SHARE:
            for tag_id in rng.sample(range(1, len(TAGS) + 1), k=rng.randint(1, 2)):
                self.buffers["candidate_tag"].append((candidate_id, tag_id))

    def _phrases(self, key: str, words: Mapping[str, str], share: float, most: int) -> str:
        if self.rng.random() >= share:
            return ""
        chosen = self.rng.sample(self.seeds[key], k=self.rng.randint(1, most))
        return " ".join(phrase.format_map(words) for phrase in chosen)

    def _contacts(
        self, candidate_id: int, first: str, last: str, employer: str, patterns: Sequence[str]
    ) -> None:
        rng, rows = self.rng, self.buffers["contact_point"]
        roll = rng.random()
        emails = []
        if roll >= 0.04:
            emails.append(self._email(first, last, rng.choice(self.seeds["email_domains"])))
            if roll >= 0.8:
                emails.append(self._email(first, last, f"{ascii_slug(employer) or 'work'}.example"))
        for index, email in enumerate(emails):
            rows.append((candidate_id, "email", email, "", int(index == 0), ""))
        phones = rng.choices((0, 1, 2), weights=(8, 72, 20))[0]
        for index in range(phones):
            pattern = rng.choice(patterns)
            value = "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in pattern)
            digits = "".join(ch for ch in value if ch.isdigit())
            rows.append((candidate_id, "phone", value, "", int(index == 0), digits))

    def _email(self, first: str, last: str, domain: str) -> str:
        given, family = ascii_slug(first) or "candidate", ascii_slug(last)
        styles = (
            f"{given}.{family}",
            f"{given}{family}",
            f"{given[0]}{family}",
            f"{family}.{given}",
        )
        local = self.rng.choice(styles).strip("._")
        base = f"{local}@{domain}"
        number = self.email_numbers.get(base, 0) + 1
        self.email_numbers[base] = number
        return base if number == 1 else f"{local}{number}@{domain}"

    # -- timeline ----------------------------------------------------------------------------

    def _timeline(
        self,
        candidate_id: int,
        words: Mapping[str, str],
        status: str,
        created_days_ago: int,
        joined_days_ago: int | None,
        big: bool,
    ) -> list[tuple]:
        rng = self.rng
        if big:
            count = BIG_TIMELINE
        elif rng.random() < ZERO_TIMELINE_SHARE:
            return []
        else:
            count = 1 + min(MAX_TIMELINE, int(rng.gammavariate(*TIMELINE_GAMMA)))
        entries: list[tuple] = []
        newest = 1
        if status == "do_not_contact":
            note = self.seeds["do_not_contact_entry"]
            days_ago = rng.randint(1, DO_NOT_CONTACT_QUIET_DAYS)
            entries.append(self._row(candidate_id, "note", "none", note, words, days_ago, False))
            newest = DO_NOT_CONTACT_QUIET_DAYS + 1
        elif status == "placed" and joined_days_ago is not None:
            placed = self.seeds["placed_entries"]
            offer_days_ago = joined_days_ago + rng.randint(21, 45)
            for phrase, kind, direction, days_ago in (
                (placed["offer"], "status_update", "out", offer_days_ago),
                (placed["joining"], "celebration", "out", joined_days_ago),
            ):
                if days_ago <= created_days_ago:
                    entries.append(
                        self._row(candidate_id, kind, direction, phrase, words, days_ago, False)
                    )
        oldest = max(newest, created_days_ago)
        for _ in range(max(0, count - len(entries))):
            kind = self.kinds.pick(rng)
            direction = self.directions[kind].pick(rng)
            phrase = rng.choice(self.seeds["interactions"][kind][direction])
            entries.append(
                self._row(
                    candidate_id,
                    kind,
                    direction,
                    phrase,
                    words,
                    rng.randint(newest, oldest),
                    True,
                )
            )
        entries.sort(key=lambda row: row[3])  # ids in time order, as a real book grows
        return entries

    def _row(
        self,
        candidate_id: int,
        kind: str,
        direction: str,
        phrase: Mapping[str, str],
        words: Mapping[str, str],
        days_ago: int,
        weekdays_only: bool,
    ) -> tuple:
        rng = self.rng
        if weekdays_only:
            weekday = self.moments.day(days_ago)[2]
            if weekday >= 5 and rng.random() < 0.85:
                days_ago += weekday - 4  # back to Friday
        when = self.moments.stamp(days_ago, rng.randint(8, 18), rng.choice(MINUTES))
        duration = None
        if kind == "call":
            duration = rng.choice((5, 10, 15, 20, 30, 45))
        elif kind == "meeting":
            duration = rng.choice((30, 45, 60, 90))
        return (
            candidate_id,
            kind,
            direction,
            when,
            duration,
            phrase["summary"].format_map(words),
            phrase["body"].format_map(words),
            when,
            when,
        )

    # -- reminders, applications -------------------------------------------------------------

    def _reminder(
        self,
        template: Mapping[str, str],
        words: Mapping[str, str],
        candidate_id: int | None,
        recurrence: str = "none",
    ) -> None:
        """Open (some overdue, some today, most upcoming) or done a while ago."""
        rng = self.rng
        roll = rng.random()
        done_at = None
        if roll < 0.03:
            days_ago = rng.randint(1, 10)
        elif roll < 0.04:
            days_ago = 0
        elif roll < 0.44:
            days_ago = rng.randint(11, 90)
            done_at = self.moments.stamp(days_ago - rng.randint(0, 5), rng.randint(9, 17), 30)
        else:
            days_ago = -rng.randint(1, 60)
        due = self.moments.stamp(days_ago, rng.randint(8, 17), rng.choice((0, 15, 30, 45)))
        created = self.moments.stamp(max(days_ago, 0) + rng.randint(1, 20), 9, 0)
        self.buffers["reminder"].append(
            (
                template["title"].format_map(words),
                template["notes"].format_map(words),
                due,
                recurrence,
                candidate_id,
                done_at,
                created,
            )
        )

    def _write_unlinked_reminders(self, count: int) -> None:
        rng = self.rng
        for _ in range(max(5, count // 200)):
            job = rng.choice(self.jobs)
            words = {"company": job["company"], "job": job["title"], "city": _city(job["location"])}
            self._reminder(rng.choice(self.seeds["reminders"]["unlinked"]), words, None)
        for template in self.seeds["reminders"]["recurring"]:
            job = rng.choice(self.jobs)
            candidate_id = rng.randint(1, count) if template["linked"] else None
            words = {
                "company": job["company"],
                "job": job["title"],
                "city": _city(job["location"]),
                "first_name": self.names[candidate_id - 1].split(" ")[0] if candidate_id else "",
            }
            self._reminder(template, words, candidate_id, template["recurrence"])

    def _applications(self, candidate_id: int, job_index: int, created_days_ago: int) -> None:
        rng = self.rng
        job_ids = {job_index + 1}
        if rng.random() < 0.3:
            job_ids.add(rng.randint(1, len(self.jobs)))
        for job_id in sorted(job_ids):
            stage = self.stages.pick(rng)
            live = stage not in ("rejected", "withdrawn")  # live ones moved recently
            days_ago = rng.randint(1, min(created_days_ago, 60 if live else 365))
            changed = self.moments.stamp(days_ago, rng.randint(9, 17), rng.choice(MINUTES))
            # A recruiter tells candidates within days: the owed updates are recent ones.
            owed_share = 0.5 if days_ago <= 14 else 0.02
            informed = None if rng.random() < owed_share else changed
            interview = None
            if stage == "interviewing":
                interview = self.moments.stamp(-rng.randint(1, 21), rng.randint(9, 16), 0)
            self.buffers["application"].append(
                (
                    candidate_id,
                    job_id,
                    stage,
                    changed,
                    informed,
                    "",
                    "",
                    interview,
                    self.moments.stamp(days_ago + rng.randint(0, 30), 10, 0),
                )
            )


def _city(location: str) -> str:
    return location.split(",")[0].strip()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.generate``: build (or reuse) the cached dataset and print its metadata."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--candidates", type=int, default=DEFAULT_CANDIDATES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--force", action="store_true", help="regenerate even if cached")
    parser.add_argument("--quiet", action="store_true", help="progress only, no metadata dump")
    args = parser.parse_args(argv)
    dataset = ensure_dataset(
        args.candidates, args.seed, force=args.force, log=lambda m: print(m, flush=True)
    )
    if not args.quiet:
        print(json.dumps(dataset.meta, indent=2))
    print(f"  {dataset.db_file} ({dataset.meta['db_bytes'] / 2**20:,.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
