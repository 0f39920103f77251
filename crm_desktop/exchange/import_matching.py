"""Finding the candidate an imported record describes: e-mail, phone digits, web address or,
when a record has none of those, its full name (the keys of ``core.duplicates``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.duplicates import email_key, name_key, phone_key
from crm_desktop.core.validation import phone_digits
from crm_desktop.i18n import _
from crm_desktop.store.models import Candidate, ContactPoint

_SCHEME = re.compile(r"^[a-z]+://")


def url_key(url: str) -> str:
    """linkedin.com/in/ada/ and https://www.LinkedIn.com/in/ada are the same profile."""
    text = _SCHEME.sub("", url.strip().casefold()).removeprefix("www.")
    return text.rstrip("/")


class Contact(NamedTuple):
    """A validated e-mail, phone or web address of a record, with its matching key and (phones)
    its digits, each worked out once per row."""

    kind: str
    value: str
    label: str
    key: str  # "" when the value has no key (a phone without digits)
    digits: str = ""


def make_contact(kind: str, value: str, label: str = "") -> Contact:
    if kind == "phone":
        digits = phone_digits(value)
        return Contact(kind, value, label, phone_key(digits) or "", digits)
    if kind == "url":
        return Contact(kind, value, label, url_key(value))
    return Contact(kind, value, label, email_key(value))


def contact_key(kind: str, value: str) -> tuple[str, str]:
    """What makes two contact points of a kind the same (the ``key`` of ``make_contact``)."""
    return kind, make_contact(kind, value).key


class DuplicateIndex:
    """E-mails, phone tails and (lazily) names of the live candidates, in memory.

    Loaded with two plain queries (no model objects): 150,000 candidates take well under a
    second, and then each record is matched with dictionary look-ups.
    """

    def __init__(self) -> None:
        self.emails: dict[str, int] = {}
        self.phones: dict[str, int] = {}
        self._names: dict[str, int] | None = None
        self.urls: dict[str, int] = {}
        self._by_kind = {"email": self.emails, "phone": self.phones, "url": self.urls}

    def load(self) -> DuplicateIndex:
        query = (
            ContactPoint.select(
                ContactPoint.candidate, ContactPoint.kind, ContactPoint.value, ContactPoint.digits
            )
            .join(Candidate)
            .where(Candidate.deleted_at.is_null())
            .order_by(ContactPoint.id)
            .tuples()
        )
        for candidate_id, kind, value, digits in query:
            if kind == "email":
                self.emails.setdefault(email_key(value), candidate_id)
            elif kind == "phone" and (key := phone_key(digits)):
                self.phones.setdefault(key, candidate_id)
            elif kind == "url":
                self.urls.setdefault(url_key(value), candidate_id)
        return self

    def names(self) -> dict[str, int]:
        if self._names is None:
            self._names = {}
            rows = (
                Candidate.select(Candidate.id, Candidate.first_name, Candidate.last_name)
                .where(Candidate.deleted_at.is_null())
                .order_by(Candidate.id)
                .tuples()
            )
            for candidate_id, first, last in rows:
                if key := name_key(first, last):
                    self._names.setdefault(key, candidate_id)
        return self._names

    def match(self, data: CandidateInput, contacts: Iterable[Contact]) -> tuple[int, str] | None:
        """The first hit by e-mail, then phone, then web address (``contacts`` come in that
        order); by name only when the record has none of these."""
        has_contacts = False
        for contact in contacts:
            has_contacts = True
            key = contact.key
            if key and (found := self._by_kind[contact.kind].get(key)) is not None:
                return found, _reason(contact)
        if not has_contacts:
            key = name_key(data.first_name, data.last_name)
            if key and (found := self.names().get(key)) is not None:
                return found, _("same name, no e-mail or phone to tell them apart")
        return None

    def add(self, candidate_id: int, data: CandidateInput, contacts: Iterable[Contact]) -> None:
        by_kind = self._by_kind
        for contact in contacts:
            if contact.key:
                by_kind[contact.kind].setdefault(contact.key, candidate_id)
        if self._names is not None and (key := name_key(data.first_name, data.last_name)):
            self._names.setdefault(key, candidate_id)


def _reason(contact: Contact) -> str:
    if contact.kind == "email":
        return _("same e-mail {value}").format(value=contact.value)
    if contact.kind == "phone":
        return _("same phone {value}").format(value=contact.value)
    return _("same web address {value}").format(value=contact.value)
