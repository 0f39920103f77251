"""Referrals: who brought whom, what became of them, and who the best ambassadors are."""

from __future__ import annotations

from dataclasses import dataclass

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.candidates import display_name
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.timeline import TimelineService
from crm_desktop.core.validation import ValidationError
from crm_desktop.core.vocabulary import STATUS_LABELS
from crm_desktop.i18n import _
from crm_desktop.store.models import Application, Candidate


@dataclass(frozen=True)
class ReferralInfo:
    candidate_id: int
    name: str
    status: str
    placed: bool  # joined a job through us

    @property
    def outcome(self) -> str:
        """What became of them, in a word or two: "placed", "Active", "Do not contact"."""
        return _("placed") if self.placed else STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class Ambassador:
    candidate_id: int
    name: str
    referrals: int
    placements: int


@dataclass
class ReferralService:
    clock: Clock
    hub: EventHub
    database: peewee.Database
    timeline: TimelineService

    def set_referrer(self, candidate_id: int, referrer_id: int | None) -> None:
        """Record who referred ``candidate_id`` (None clears it); logged on both timelines."""
        candidate = Candidate.get_or_none(Candidate.id == candidate_id)
        if candidate is None:
            raise ValidationError({"candidate": f"Candidate {candidate_id} does not exist"})
        if referrer_id == candidate_id:
            raise ValidationError({"referred_by": "A candidate cannot refer themselves"})
        referrer = None
        if referrer_id is not None:
            referrer = Candidate.get_or_none(
                (Candidate.id == referrer_id) & Candidate.deleted_at.is_null()
            )
            if referrer is None:
                raise ValidationError({"referred_by": f"Candidate {referrer_id} does not exist"})
            if refers_back(referrer_id, candidate_id):
                raise ValidationError(
                    {"referred_by": "That would make a loop: they were referred by this candidate"}
                )
        if candidate.referred_by_id == referrer_id:
            return
        with self.database.atomic():
            Candidate.update(referred_by=referrer_id, updated_at=self.clock.now()).where(
                Candidate.id == candidate_id
            ).execute()
            if referrer is not None:
                new_name = display_name(candidate.first_name, candidate.last_name)
                referrer_name = display_name(referrer.first_name, referrer.last_name)
                self.timeline.add(
                    candidate_id, "referral", f"Referred by {referrer_name}", direction="in"
                )
                self.timeline.add(referrer_id, "referral", f"Referred {new_name}", direction="in")
        ids = tuple(i for i in (candidate_id, referrer_id) if i is not None)
        self.hub.emit(Change("candidate", "updated", ids, ids))

    def referrer_of(self, candidate_id: int) -> ReferralInfo | None:
        candidate = Candidate.get_by_id(candidate_id)
        if candidate.referred_by_id is None:
            return None
        found = self._infos(Candidate.id == candidate.referred_by_id)
        return found[0] if found else None

    def referrals_of(self, candidate_id: int) -> list[ReferralInfo]:
        """The people this candidate referred, and what became of each."""
        return self._infos(Candidate.referred_by == candidate_id)

    def ambassadors(self, limit: int = 200) -> list[Ambassador]:
        """Referrers ranked by placements, then referrals."""
        referred = Candidate.alias()
        placed = (
            Application.select(Application.candidate)
            .where(Application.stage == "joined")
            .distinct()
        )
        referrals = peewee.fn.COUNT(referred.id)
        # Placed through us (a joined application) or marked placed by hand: both count.
        was_placed = referred.id.in_(placed) | (referred.status == "placed")
        placements = peewee.fn.SUM(peewee.Case(None, [(was_placed, 1)], 0))
        rows = (
            Candidate.select(
                Candidate.id, Candidate.first_name, Candidate.last_name, referrals, placements
            )
            .join(referred, on=(referred.referred_by == Candidate.id))
            .where(Candidate.deleted_at.is_null() & referred.deleted_at.is_null())
            .group_by(Candidate.id)
            .order_by(placements.desc(), referrals.desc(), Candidate.last_name)
            .limit(limit)
            .tuples()
        )
        return [
            Ambassador(cid, display_name(first, last), count, placed_count or 0)
            for cid, first, last, count, placed_count in rows
        ]

    def _infos(self, where: peewee.Expression) -> list[ReferralInfo]:
        joined = peewee.fn.EXISTS(
            Application.select(Application.id).where(
                (Application.candidate == Candidate.id) & (Application.stage == "joined")
            )
        )
        rows = (
            Candidate.select(
                Candidate.id, Candidate.first_name, Candidate.last_name, Candidate.status, joined
            )
            .where(where & Candidate.deleted_at.is_null())
            .order_by(Candidate.last_name, Candidate.first_name)
            .tuples()
        )
        return [
            ReferralInfo(cid, display_name(first, last), status, bool(was_placed))
            for cid, first, last, status, was_placed in rows
        ]


def refers_back(referrer_id: int, candidate_id: int) -> bool:
    """Does the referral chain up from ``referrer_id`` reach ``candidate_id``? (a loop)"""
    seen: set[int] = set()
    current: int | None = referrer_id
    while current is not None and current not in seen:
        if current == candidate_id:
            return True
        seen.add(current)
        row = Candidate.select(Candidate.referred_by).where(Candidate.id == current).first()
        current = row.referred_by_id if row else None
    return False
