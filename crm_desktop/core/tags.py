"""Tags (talent pools): create, rename, recolour, merge, delete, and tag or untag candidates.

All tag writes pass through ``TagService``, each in one transaction, and each is announced on the
``EventHub``:

- ``Change("tag", action, tag_ids, candidate_ids)`` with action ``created``, ``updated`` (rename,
  recolour), ``merged`` (ids: target first, then the deleted sources), ``deleted``, ``linked``,
  ``unlinked`` (add, remove, set_tags). ``candidate_ids`` are the candidates whose tags look
  different now (for a rename or recolour: everyone holding the tag).
- ``Change("candidate", "updated", ids, ids)`` as well after ``add``, ``remove`` and ``set_tags``,
  so listeners that only know about candidates (list rows, detail header) refresh those rows.

Tagging is the recruiter's classification, not an edit of the candidate's data, so it does not
touch ``Candidate.updated_at`` (renaming a pool of 40,000 must not rewrite 40,000 rows).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.validation import ValidationError
from crm_desktop.store.models import Candidate, CandidateTag, Tag
from crm_desktop.store.params import chunks

MAX_NAME = 60
DEFAULT_COLOUR = "#607d8b"
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class TagInfo:
    """A tag as the UI shows it.

    ``count`` is the number of candidates (not in the trash) holding the tag; it is ``None``
    where it was not computed (``tags_of``/``tags_for``: chips don't show counts, and counting
    every tag of every visible row would cost a scan per tag).
    """

    id: int
    name: str
    colour: str
    count: int | None = None


def clean_name(name: str) -> str:
    """The name as stored: NFC, trimmed, inner runs of whitespace (tabs, newlines) as one space."""
    return " ".join(unicodedata.normalize("NFC", name).split())


@dataclass
class TagService:
    clock: Clock
    hub: EventHub
    database: peewee.Database = field(repr=False)

    # --- the tags themselves ------------------------------------------------------------------
    def create(self, name: str, colour: str = DEFAULT_COLOUR) -> int:
        with self.database.atomic():
            name = self._checked_name(name, exclude_id=None)
            colour = _checked_colour(colour)
            try:
                tag_id = Tag.insert(name=name, colour=colour).execute()
            except peewee.IntegrityError as exc:  # another window won the race
                raise ValidationError({"name": _duplicate(name)}) from exc
        self.hub.emit(Change("tag", "created", (tag_id,), ()))
        return tag_id

    def rename(self, tag_id: int, name: str) -> None:
        with self.database.atomic():
            self._require(tag_id)
            name = self._checked_name(name, exclude_id=tag_id)
            try:
                Tag.update(name=name).where(Tag.id == tag_id).execute()
            except peewee.IntegrityError as exc:
                raise ValidationError({"name": _duplicate(name)}) from exc
            holders = _holders([tag_id])
        self.hub.emit(Change("tag", "updated", (tag_id,), holders))

    def recolour(self, tag_id: int, colour: str) -> None:
        colour = _checked_colour(colour)
        with self.database.atomic():
            self._require(tag_id)
            Tag.update(colour=colour).where(Tag.id == tag_id).execute()
            holders = _holders([tag_id])
        self.hub.emit(Change("tag", "updated", (tag_id,), holders))

    def merge(self, source_ids: list[int], target_id: int) -> None:
        """Give every candidate of ``source_ids`` the target tag, then delete the sources.

        A candidate holding both a source and the target keeps exactly one link to the target.
        """
        sources = _unique(i for i in source_ids if i != target_id)
        if not sources:
            raise ValidationError({"source_ids": "Choose at least one other tag to merge"})
        with self.database.atomic():
            self._require(target_id)
            for source_id in sources:
                self._require(source_id)
            holders = _holders(sources)
            for chunk in chunks(sources):
                moved = CandidateTag.select(
                    CandidateTag.candidate, peewee.Value(target_id, converter=False)
                ).where(CandidateTag.tag.in_(chunk))
                CandidateTag.insert_from(
                    moved, [CandidateTag.candidate, CandidateTag.tag]
                ).on_conflict_ignore().execute()
                CandidateTag.delete().where(CandidateTag.tag.in_(chunk)).execute()
                Tag.delete().where(Tag.id.in_(chunk)).execute()
        self.hub.emit(Change("tag", "merged", (target_id, *sources), holders))

    def delete(self, tag_id: int) -> None:
        """Delete the tag and its links; the candidates themselves are untouched."""
        with self.database.atomic():
            self._require(tag_id)
            holders = _holders([tag_id])
            CandidateTag.delete().where(CandidateTag.tag == tag_id).execute()
            Tag.delete().where(Tag.id == tag_id).execute()
        self.hub.emit(Change("tag", "deleted", (tag_id,), holders))

    # --- reading ------------------------------------------------------------------------------
    def all(self) -> list[TagInfo]:
        """Every tag with its number of candidates not in the trash, by name (one query)."""
        live = Candidate.alias()
        count = peewee.fn.COUNT(live.id)
        query = (
            Tag.select(Tag.id, Tag.name, Tag.colour, count.alias("n"))
            .join(CandidateTag, peewee.JOIN.LEFT_OUTER, on=CandidateTag.tag == Tag.id)
            .join(
                live,
                peewee.JOIN.LEFT_OUTER,
                on=(live.id == CandidateTag.candidate) & live.deleted_at.is_null(),
            )
            .group_by(Tag.id)
            .order_by(Tag.name, Tag.id)
            .tuples()
        )
        return [TagInfo(tag_id, name, colour, n) for tag_id, name, colour, n in query]

    def choices(self) -> list[tuple[int, str]]:
        """(id, name) of every tag, by name: what a filter offers, without counting holders."""
        return list(Tag.select(Tag.id, Tag.name).order_by(Tag.name, Tag.id).tuples())

    def get(self, tag_id: int) -> TagInfo:
        for info in self.all():
            if info.id == tag_id:
                return info
        raise KeyError(f"Tag {tag_id} does not exist")

    def tags_of(self, candidate_id: int) -> list[TagInfo]:
        return self.tags_for([candidate_id])[candidate_id]

    def tags_for(self, candidate_ids: list[int]) -> dict[int, list[TagInfo]]:
        """Each candidate's tags, by name; one query per 500 ids (a visible page is one)."""
        result: dict[int, list[TagInfo]] = {cid: [] for cid in candidate_ids}
        for chunk in chunks(_unique(candidate_ids)):
            query = (
                CandidateTag.select(CandidateTag.candidate, Tag.id, Tag.name, Tag.colour)
                .join(Tag, on=CandidateTag.tag == Tag.id)
                .where(CandidateTag.candidate.in_(chunk))
                .order_by(Tag.name, Tag.id)
                .tuples()
            )
            for candidate_id, tag_id, name, colour in query:
                result[candidate_id].append(TagInfo(tag_id, name, colour))
        return result

    # --- tagging candidates -------------------------------------------------------------------
    def add(self, candidate_ids: list[int], tag_id: int) -> None:
        """Tag the candidates (bulk; candidates already tagged, or unknown ids, are skipped)."""
        ids = _unique(candidate_ids)
        if not ids:
            return
        with self.database.atomic():
            self._require(tag_id)
            for chunk in chunks(ids):
                rows = Candidate.select(Candidate.id, peewee.Value(tag_id, converter=False)).where(
                    Candidate.id.in_(chunk)
                )
                CandidateTag.insert_from(
                    rows, [CandidateTag.candidate, CandidateTag.tag]
                ).on_conflict_ignore().execute()
        self._announce_links("linked", (tag_id,), ids)

    def remove(self, candidate_ids: list[int], tag_id: int) -> None:
        """Untag the candidates (bulk; candidates without the tag are skipped)."""
        ids = _unique(candidate_ids)
        if not ids:
            return
        with self.database.atomic():
            self._require(tag_id)
            for chunk in chunks(ids):
                CandidateTag.delete().where(
                    (CandidateTag.tag == tag_id) & CandidateTag.candidate.in_(chunk)
                ).execute()
        self._announce_links("unlinked", (tag_id,), ids)

    def set_tags(self, candidate_id: int, tag_ids: list[int]) -> None:
        """Make ``tag_ids`` exactly the candidate's tags."""
        wanted = _unique(tag_ids)
        with self.database.atomic():
            if not Candidate.select().where(Candidate.id == candidate_id).exists():
                raise KeyError(f"Candidate {candidate_id} does not exist")
            known = {t for (t,) in Tag.select(Tag.id).where(Tag.id.in_(wanted)).tuples()}
            missing = [t for t in wanted if t not in known]
            if missing:
                raise KeyError(f"Tag {missing[0]} does not exist")
            current = {
                t
                for (t,) in CandidateTag.select(CandidateTag.tag)
                .where(CandidateTag.candidate == candidate_id)
                .tuples()
            }
            dropped = current - set(wanted)
            added = [t for t in wanted if t not in current]
            if dropped:
                CandidateTag.delete().where(
                    (CandidateTag.candidate == candidate_id) & CandidateTag.tag.in_(dropped)
                ).execute()
            if added:
                CandidateTag.insert_many(
                    [{"candidate": candidate_id, "tag": t} for t in added]
                ).execute()
        changed = tuple(sorted(dropped | set(added)))
        if changed:
            self._announce_links("linked", changed, [candidate_id])

    # --- helpers ------------------------------------------------------------------------------
    def _announce_links(self, action: str, tag_ids: tuple[int, ...], ids: list[int]) -> None:
        candidate_ids = tuple(ids)
        self.hub.emit(Change("tag", action, tag_ids, candidate_ids))
        self.hub.emit(Change("candidate", "updated", candidate_ids, candidate_ids))

    @staticmethod
    def _require(tag_id: int) -> None:
        if not Tag.select().where(Tag.id == tag_id).exists():
            raise KeyError(f"Tag {tag_id} does not exist")

    @staticmethod
    def _checked_name(name: str, exclude_id: int | None) -> str:
        cleaned = clean_name(name)
        if not cleaned:
            raise ValidationError({"name": "A tag needs a name"})
        if len(cleaned) > MAX_NAME:
            raise ValidationError(
                {
                    "name": f"“{cleaned[:MAX_NAME]}…” is too long: "
                    f"a tag name has at most {MAX_NAME} characters"
                }
            )
        # SQLite's NOCASE folds ASCII only; casefold() also finds "ZOË" when "zoë" exists.
        # Tags number in the tens or hundreds, so comparing them all here is cheap.
        folded = cleaned.casefold()
        for tag_id, existing in Tag.select(Tag.id, Tag.name).tuples():
            if tag_id != exclude_id and existing.casefold() == folded:
                raise ValidationError({"name": _duplicate(existing)})
        return cleaned


def _checked_colour(colour: str) -> str:
    colour = colour.strip()
    if not _COLOUR.fullmatch(colour):
        raise ValidationError(
            {"colour": f"“{colour}” is not a colour; use #rrggbb, e.g. {DEFAULT_COLOUR}"}
        )
    return colour.lower()


def _duplicate(name: str) -> str:
    return f"A tag named “{name}” already exists; choose another name or merge into it"


def _holders(tag_ids: list[int]) -> tuple[int, ...]:
    """The candidates holding any of these tags (indexed lookup on candidate_tag.tag_id)."""
    found: set[int] = set()
    for chunk in chunks(tag_ids):
        query = CandidateTag.select(CandidateTag.candidate).where(CandidateTag.tag.in_(chunk))
        found.update(cid for (cid,) in query.tuples())
    return tuple(sorted(found))


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))
