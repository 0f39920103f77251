"""Saved searches: a named ``ListQuery`` the recruiter can recall from the sidebar.

Kept as JSON in the ``setting`` table so they travel with the database (backups, restore).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

import peewee

from crm_desktop.core.candidate_list import ListQuery
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.validation import ValidationError
from crm_desktop.store.models import Setting

SETTING_KEY = "saved_searches"
MAX_NAME = 60


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: ListQuery


@dataclass
class SavedSearchService:
    hub: EventHub
    database: peewee.Database

    def all(self) -> list[SavedSearch]:
        row = Setting.get_or_none(Setting.key == SETTING_KEY)
        if row is None:
            return []
        known = {f.name for f in fields(ListQuery)}
        result = []
        for item in json.loads(row.value):
            query = ListQuery(**{k: v for k, v in item["query"].items() if k in known})
            result.append(SavedSearch(item["name"], query))
        return result

    def save(self, name: str, query: ListQuery) -> None:
        """Save (or replace, by name) a search."""
        name = name.strip()
        if not name:
            raise ValidationError({"name": "Give the search a name"})
        if len(name) > MAX_NAME:
            raise ValidationError({"name": f"The name is too long: at most {MAX_NAME} characters"})
        if not query.filtered:
            raise ValidationError({"name": "Nothing to save: type a search or set a filter"})
        searches = [s for s in self.all() if s.name.casefold() != name.casefold()]
        searches.append(SavedSearch(name, query))
        self._write(sorted(searches, key=lambda s: s.name.casefold()))

    def delete(self, name: str) -> None:
        self._write([s for s in self.all() if s.name != name])

    def _write(self, searches: list[SavedSearch]) -> None:
        value = json.dumps(
            [{"name": s.name, "query": asdict(s.query)} for s in searches], ensure_ascii=False
        )
        with self.database.atomic():
            Setting.replace(key=SETTING_KEY, value=value).execute()
        self.hub.emit(Change("saved_search", "updated"))
