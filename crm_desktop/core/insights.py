"""The recruiter's insights library: industry notes, certification tips, advice worth reusing.

Insights are short texts with a topic and free tags, searchable the same way candidates are
(``insight_fts``, FTS5 with prefixes and folded accents, kept in sync by triggers; see
``store/sql/v003_consult.sql``) and insertable into messages and advice entries.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.validation import ValidationError
from crm_desktop.i18n import _
from crm_desktop.store.models import Insight
from crm_desktop.store.search import parse_search

MAX_TITLE = 200
MAX_BODY = 20_000
MAX_TOPIC = 100
MAX_TAGS = 20
MAX_TAG = 50

# Suggested topics (the field is free text; these fill its drop-down).
TOPICS = (_("Certification"), _("Industry"), _("Salary"), _("Interviewing"), _("Career"))


@dataclass(frozen=True)
class InsightInput:
    title: str
    body: str = ""
    topic: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class InsightRecord:
    id: int
    data: InsightInput
    updated_at: datetime

    @property
    def message_text(self) -> str:
        """What goes into a message: the title as a lead-in line, then the text."""
        title, body = self.data.title, self.data.body
        if not body or body.startswith(title):
            return body or title
        return f"{title}\n{body}"


def split_tags(text: str) -> tuple[str, ...]:
    """ "AWS, cloud ; aws" -> ("AWS", "cloud"): trimmed, inner spaces collapsed, no repeats."""
    seen: dict[str, str] = {}
    for raw in text.replace(";", ",").split(","):
        tag = " ".join(raw.split())
        if tag:
            seen.setdefault(tag.casefold(), tag)
    return tuple(seen.values())


@dataclass
class InsightService:
    clock: Clock
    hub: EventHub
    database: peewee.Database

    def create(self, data: InsightInput) -> int:
        data = self.validate(data)
        now = self.clock.now()
        with self.database.atomic():
            row = Insight.create(**_columns(data), created_at=now, updated_at=now)
        self.hub.emit(Change("insight", "created", (row.id,)))
        return row.id

    def update(self, insight_id: int, data: InsightInput) -> None:
        data = self.validate(data)
        with self.database.atomic():
            updated = (
                Insight.update(**_columns(data), updated_at=self.clock.now())
                .where(Insight.id == insight_id)
                .execute()
            )
        if not updated:
            raise KeyError(f"Insight {insight_id} does not exist")
        self.hub.emit(Change("insight", "updated", (insight_id,)))

    def delete(self, insight_id: int) -> None:
        with self.database.atomic():
            Insight.delete_by_id(insight_id)
        self.hub.emit(Change("insight", "deleted", (insight_id,)))

    def get(self, insight_id: int) -> InsightRecord:
        return _record(Insight.get_by_id(insight_id))

    def search(
        self, text: str = "", tag: str | None = None, limit: int = 500
    ) -> list[InsightRecord]:
        """Insights matching ``text`` (every word a prefix, accents folded), newest edits first;
        ``tag`` keeps those carrying that tag (case-blind)."""
        query = Insight.select()
        parsed = parse_search(text)
        match = parsed.match_expression()
        if match is not None:
            query = query.where(Insight.id.in_(_fts_ids(match)))
        elif parsed.exclusion_expression() is not None:
            query = query.where(Insight.id.not_in(_fts_ids(parsed.exclusion_expression())))
        rows = query.order_by(Insight.updated_at.desc(), Insight.id.desc())
        records = [_record(row) for row in rows]
        if tag:
            wanted = tag.casefold()
            records = [r for r in records if wanted in (t.casefold() for t in r.data.tags)]
        return records[:limit]

    def all_tags(self) -> list[str]:
        """Every tag in use, in alphabetical order (one spelling per tag)."""
        seen: dict[str, str] = {}
        for (tags,) in Insight.select(Insight.tags).tuples():
            for tag in split_tags(tags):
                seen.setdefault(tag.casefold(), tag)
        return sorted(seen.values(), key=str.casefold)

    def validate(self, data: InsightInput) -> InsightInput:
        data = replace(
            data,
            title=" ".join(data.title.split()),
            body=data.body.strip(),
            topic=" ".join(data.topic.split()),
            tags=split_tags(",".join(data.tags)),
        )
        errors: dict[str, str] = {}
        if not data.title:
            errors["title"] = _("An insight needs a title")
        elif len(data.title) > MAX_TITLE:
            errors["title"] = _("The title is too long: at most {n} characters").format(n=MAX_TITLE)
        if len(data.body) > MAX_BODY:
            errors["body"] = _("The text is too long: at most {n} characters").format(n=MAX_BODY)
        if len(data.topic) > MAX_TOPIC:
            errors["topic"] = _("The topic is too long: at most {n} characters").format(n=MAX_TOPIC)
        if len(data.tags) > MAX_TAGS:
            errors["tags"] = _("At most {n} tags").format(n=MAX_TAGS)
        elif any(len(tag) > MAX_TAG for tag in data.tags):
            errors["tags"] = _("A tag is too long: at most {n} characters").format(n=MAX_TAG)
        if errors:
            raise ValidationError(errors)
        return data


def _fts_ids(expression: str) -> peewee.SQL:
    return peewee.SQL("(SELECT rowid FROM insight_fts WHERE insight_fts MATCH ?)", (expression,))


def _columns(data: InsightInput) -> dict[str, object]:
    return {
        "title": data.title,
        "body": data.body,
        "topic": data.topic,
        "tags": ", ".join(data.tags),
    }


def _record(row: Insight) -> InsightRecord:
    return InsightRecord(
        id=row.id,
        data=InsightInput(
            title=row.title, body=row.body, topic=row.topic, tags=split_tags(row.tags)
        ),
        updated_at=row.updated_at,
    )
