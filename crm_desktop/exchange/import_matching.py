"""Finding the candidate an imported record describes: e-mail, phone digits, web address or,
when a record has none of those, its full name (the keys of ``core.duplicates``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.duplicates import email_key, name_key, phone_key
from crm_desktop.core.validation import phone_digits
from crm_desktop.exchange.records import ContactValue
from crm_desktop.i18n import _
from crm_desktop.store.models import Candidate, ContactPoint


def url_key(url: str) -> str:
    """linkedin.com/in/ada/ and https://www.LinkedIn.com/in/ada are the same profile."""
    text = re.sub(r"^[a-z]+://", "", url.strip().casefold()).removeprefix("www.")
    return text.rstrip("/")


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

    def match(self, data: CandidateInput, urls: Iterable[str] = ()) -> tuple[int, str] | None:
        for email in data.emails:
            if (found := self.emails.get(email_key(email))) is not None:
                return found, _("same e-mail {value}").format(value=email)
        for phone in data.phones:
            key = phone_key(phone_digits(phone))
            if key and (found := self.phones.get(key)) is not None:
                return found, _("same phone {value}").format(value=phone)
        for url in urls:
            if (found := self.urls.get(url_key(url))) is not None:
                return found, _("same web address {value}").format(value=url)
        if not data.emails and not data.phones and not urls:
            key = name_key(data.first_name, data.last_name)
            if key and (found := self.names().get(key)) is not None:
                return found, _("same name, no e-mail or phone to tell them apart")
        return None

    def add(self, candidate_id: int, data: CandidateInput, urls: Iterable[str] = ()) -> None:
        for url in urls:
            self.urls.setdefault(url_key(url), candidate_id)
        for email in data.emails:
            self.emails.setdefault(email_key(email), candidate_id)
        for phone in data.phones:
            if key := phone_key(phone_digits(phone)):
                self.phones.setdefault(key, candidate_id)
        if self._names is not None and (key := name_key(data.first_name, data.last_name)):
            self._names.setdefault(key, candidate_id)


def contact_key(contact: ContactValue) -> tuple[str, str]:
    if contact.kind == "phone":
        return contact.kind, phone_key(phone_digits(contact.value)) or ""
    if contact.kind == "url":
        return contact.kind, url_key(contact.value)
    return contact.kind, email_key(contact.value)
