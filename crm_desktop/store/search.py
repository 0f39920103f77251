"""Full-text search over candidates (FTS5 table ``candidate_fts``, schema v2).

The index is kept in sync by triggers (see ``sql/v002_search.sql``); this module registers the
SQL function those triggers need and turns what a recruiter types into an FTS5 query:

- every word is a prefix (``pyth`` finds Python); several words must all match (AND); a lone
  letter matches the start of a first or last name (the first keystroke of a name);
- accents fold both ways (``muller`` finds Müller) through ``remove_diacritics 2``;
- ``"exact phrase"`` keeps words together; ``-word`` excludes;
- a run of digits with phone punctuation matches the start of a stored number, with or without
  the country code or a national leading zero (``0170 123`` and ``+49 170`` find
  ``+49 170 1234567``), or, with 4 digits or more, its end (``1234567``). Schema v8 indexes three
  tokens per number for this (see ``sql/v008_phone_tokens.sql``): the digits, the national
  number, and the digits reversed behind ``PHONE_SUFFIX_MARK`` (so a suffix is a prefix query).
  A run of digits from the middle of a number (``79460`` in ``+44 20 7946 0958``) does not match
  unless it is a word of the number as written (``7946``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import peewee

from crm_desktop.store.params import chunks, placeholders

MIN_SUFFIX_DIGITS = 4
# Before the reversed digits of a phone number in the index (schema v8): a private-use character,
# which unicode61 keeps inside a token and no typed word contains.
PHONE_SUFFIX_MARK = "\ue000"
SEARCH_SOURCE = "candidate_search_source"
SEARCH_COLUMNS = "name, profile, notes, contacts, timeline"
_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
# A phone number typed with spaces ("0170 123 4567") is one term, not three.
_SPACED_NUMBER = re.compile(r"(?<![\w-])\+?\(?\d[\d\s().\-/]{4,}\d(?!\w)")
MIN_SPACED_NUMBER_DIGITS = 7
_PHONEISH = re.compile(r"^\+?[\d()\-./]*\d[\d()\-./]*$")


def digit_suffixes(digits: str | None) -> str:
    """Every trailing part of ``digits`` with at least 4 digits, space-separated: the phone tokens
    of the v2-v7 search view. Still registered, because upgrading an old file runs those steps."""
    if not digits:
        return ""
    return " ".join(digits[i:] for i in range(0, len(digits) - MIN_SUFFIX_DIGITS + 1))


def register_search_functions(conn: sqlite3.Connection) -> None:
    """Register the SQL functions the search triggers call; needed on every connection."""
    conn.create_function("rapport_digit_suffixes", 1, digit_suffixes, deterministic=True)


@dataclass(frozen=True)
class ParsedSearch:
    """What the user typed, split into the parts the query builder needs."""

    include: list[str] = field(default_factory=list)  # FTS5 phrases, each a prefix match
    exclude: list[str] = field(default_factory=list)
    name_prefixes: list[str] = field(default_factory=list)  # single letters: name starts

    @property
    def empty(self) -> bool:
        return not self.include and not self.exclude and not self.name_prefixes

    def match_expression(self) -> str | None:
        """The FTS5 MATCH string for the included terms (None when only exclusions)."""
        if not self.include:
            return None
        expression = " AND ".join(self.include)
        if self.exclude:
            expression = f"({expression}) NOT ({' OR '.join(self.exclude)})"
        return expression

    def exclusion_expression(self) -> str | None:
        return " OR ".join(self.exclude) if self.exclude else None


def parse_search(text: str) -> ParsedSearch:
    """Turn typed text into FTS5 phrases. Never raises: any input gives a valid query."""
    include: list[str] = []
    exclude: list[str] = []
    name_prefixes: list[str] = []
    for raw in _TOKEN.findall(_join_spaced_numbers(text)):
        negative = raw.startswith("-") and len(raw) > 1
        token = raw[1:] if negative else raw
        if not negative and len(token) == 1 and token.isalpha():
            # One letter matches almost everyone through the index; as the first keystroke of
            # a name it means "names starting with", which is what a recruiter expects.
            name_prefixes.append(token)
            continue
        if token.startswith('"'):
            phrase = _fts_phrase(token.strip('"'), prefix=False)
        elif digits := _phone_digits(token):
            phrase = phone_match(digits)
        else:
            phrase = _fts_phrase(token, prefix=True)
        if phrase is None:
            continue
        (exclude if negative else include).append(phrase)
    return ParsedSearch(include, exclude, name_prefixes)


def _join_spaced_numbers(text: str) -> str:
    def join(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group())
        return digits if len(digits) >= MIN_SPACED_NUMBER_DIGITS else match.group()

    return _SPACED_NUMBER.sub(join, text)


def _phone_digits(token: str) -> str | None:
    """Digits of a phone-like token without a trunk '0' prefix, or None if not phone-like."""
    if not _PHONEISH.match(token):
        return None
    digits = re.sub(r"\D", "", token).lstrip("0")
    return digits if len(digits) >= MIN_SUFFIX_DIGITS else None


def phone_suffix_phrase(digits: str) -> str:
    """The FTS5 prefix query for numbers ending in ``digits`` (the v8 reversed token)."""
    return f'"{PHONE_SUFFIX_MARK}{digits[::-1]}"*'


def phone_match(digits: str) -> str:
    """Numbers starting with ``digits`` (also after their country code or trunk zero), or
    ending with them."""
    return f'("{digits}"* OR {phone_suffix_phrase(digits)})'


def _fts_phrase(text: str, prefix: bool) -> str | None:
    """Quote ``text`` as an FTS5 string (so its punctuation is never query syntax)."""
    words = [w for w in re.split(r"[^\w]+", text) if w]
    if not words:
        return None
    quoted = '"' + " ".join(words).replace('"', '""') + '"'
    return quoted + "*" if prefix else quoted


class SearchIndexWriter:
    """Takes candidates' documents out of the search index and puts them back, by hand, while
    the triggers that would do it are paused (see ``search_triggers_paused``).

    ``remove`` must run *before* the candidate's rows change (an external-content FTS5 delete
    needs the text that was indexed) and ``add`` after. Ids go in chunks, under SQLite's limit
    on bound parameters.
    """

    def __init__(self, database: peewee.Database) -> None:
        self._database = database

    def remove(self, candidate_ids: Sequence[int]) -> None:
        self._write(
            candidate_ids, f"candidate_fts(candidate_fts, rowid, {SEARCH_COLUMNS})", "'delete', "
        )

    def add(self, candidate_ids: Sequence[int]) -> None:
        self._write(candidate_ids, f"candidate_fts(rowid, {SEARCH_COLUMNS})", "")

    def _write(self, candidate_ids: Sequence[int], target: str, command: str) -> None:
        for chunk in chunks(candidate_ids):
            self._database.execute_sql(
                f"INSERT INTO {target} SELECT {command}id, {SEARCH_COLUMNS} FROM {SEARCH_SOURCE} "
                f"WHERE id IN ({placeholders(len(chunk))})",
                tuple(chunk),
            )


@contextmanager
def search_triggers_paused(
    database: peewee.Database, tables: Sequence[str]
) -> Iterator[SearchIndexWriter]:
    """Drop the search triggers of ``tables`` for a bulk write, and recreate them afterwards.

    Each written row would otherwise make the v002 triggers rebuild its candidate's whole search
    document: per row, so slow for imports, and quadratic for a timeline of 2,000 entries. The
    caller keeps the index right with the yielded ``SearchIndexWriter`` instead, indexing each
    document once. Must run inside a transaction (``database.atomic()``): SQLite DDL is
    transactional, so a failure rolls the dropped triggers back with everything else, other
    connections never see the index without its triggers, and ``integrity-check`` on
    ``candidate_fts`` stays clean.
    """
    if not database.in_transaction():
        raise RuntimeError("search_triggers_paused needs a transaction")
    marks = placeholders(len(tables))
    triggers = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        f"AND tbl_name IN ({marks}) AND sql LIKE '%candidate_fts%' ORDER BY name",
        tuple(tables),
    ).fetchall()
    for name, _sql in triggers:
        database.execute_sql(f'DROP TRIGGER "{name}"')
    yield SearchIndexWriter(database)
    for _name, sql in triggers:
        database.execute_sql(sql)


@contextmanager
def search_index_paused(database: peewee.Database, candidate_ids: Sequence[int]) -> Iterator[None]:
    """Bulk-write timeline entries and contact points of ``candidate_ids`` (merges) with their
    documents indexed once, after the writes, instead of once per row."""
    with search_triggers_paused(database, ("interaction", "contact_point")) as index:
        index.remove(candidate_ids)
        yield
        index.add(candidate_ids)
