"""A candidate's rights, the file side: their data in one zip, and erasure of their files.

``export_candidate_zip`` answers a subject-access request: ``candidate.json`` holds every row
about the candidate (profile, contact points, timeline, applications with the job and company
names, reminders, celebration states, tags, attachment details, who referred them and whom they
referred, by name), and ``attachments/`` their files under their original names.

``erase_candidate`` runs the core erasure (``core.privacy``) and then deletes the attachment
files no other candidate shares.
"""

from __future__ import annotations

import contextlib
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.candidates import display_name
from crm_desktop.core.privacy import ErasureReport, PrivacyService
from crm_desktop.exchange.attachment_files import attachment_path
from crm_desktop.store.fields import UtcDateTimeField
from crm_desktop.store.models import (
    Application,
    Attachment,
    Candidate,
    CandidateTag,
    Company,
    ContactPoint,
    Interaction,
    Job,
    OccurrenceState,
    Reminder,
    Tag,
)


def candidate_data(candidate_id: int, clock: Clock) -> dict[str, Any]:
    """Everything stored about one candidate, as plain JSON values."""
    candidate = Candidate.get_by_id(candidate_id)
    referred_by = candidate.referred_by
    jobs = {
        job.id: job
        for job in Job.select(Job, Company)
        .join(Company, peewee.JOIN.LEFT_OUTER)
        .where(
            Job.id.in_(
                Application.select(Application.job).where(Application.candidate == candidate_id)
            )
        )
    }
    applications = []
    for row in Application.select().where(Application.candidate == candidate_id):
        values = _plain(row)
        job = jobs.get(row.job_id)
        values["job_title"] = job.title if job else ""
        values["company"] = job.company.name if job and job.company_id else ""
        applications.append(values)
    return {
        "exported_at": UtcDateTimeField().db_value(clock.now()),
        "candidate": _plain(candidate),
        "referred_by": (
            {"id": referred_by.id, "name": f"{referred_by.first_name} {referred_by.last_name}"}
            if referred_by
            else None
        ),
        "referred": [
            {"id": r.id, "name": display_name(r.first_name, r.last_name)}
            for r in Candidate.select().where(Candidate.referred_by == candidate_id)
        ],
        "contact_points": _rows(ContactPoint, ContactPoint.candidate, candidate_id),
        "timeline": _rows(Interaction, Interaction.candidate, candidate_id),
        "applications": applications,
        "reminders": _rows(Reminder, Reminder.candidate, candidate_id),
        "occurrence_states": _rows(OccurrenceState, OccurrenceState.candidate, candidate_id),
        "tags": [
            name
            for (name,) in Tag.select(Tag.name)
            .join(CandidateTag)
            .where(CandidateTag.candidate == candidate_id)
            .order_by(Tag.name)
            .tuples()
        ],
        "attachments": _rows(Attachment, Attachment.candidate, candidate_id),
    }


def export_candidate_zip(
    candidate_id: int, clock: Clock, attachments_dir: Path, target: Path
) -> Path:
    """Write the candidate's data and files to ``target`` (atomically); returns ``target``."""
    data = candidate_data(candidate_id, clock)
    temporary = target.with_name(target.name + ".part")
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "candidate.json", json.dumps(data, ensure_ascii=False, indent=2, default=str)
            )
            used: set[str] = set()
            for attachment in data["attachments"]:
                source = attachment_path(attachments_dir, attachment["sha256"])
                if not source.is_file():
                    continue
                name = _unique(Path(attachment["filename"]).name or attachment["sha256"], used)
                archive.write(source, f"attachments/{name}")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def erase_candidate(
    privacy: PrivacyService, candidate_id: int, attachments_dir: Path
) -> ErasureReport:
    """Erase the candidate's rows (core) and their attachment files no one else shares."""
    report = privacy.erase(candidate_id)
    for sha in report.orphaned_files:
        path = attachment_path(attachments_dir, sha)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # only when empty
    return report


def _rows(model: type[peewee.Model], column: peewee.Field, candidate_id: int) -> list[dict]:
    return [_plain(row) for row in model.select().where(column == candidate_id).order_by(model.id)]


def _plain(row: peewee.Model) -> dict[str, Any]:
    """The row's stored values (timestamps as stored UTC text, dates as ISO text)."""
    values = {}
    for model_field in row._meta.sorted_fields:
        value = row.__data__.get(model_field.name)
        values[model_field.name] = model_field.db_value(value) if value is not None else None
    return values


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 1
    stem, suffix = os.path.splitext(name)
    while candidate in used:
        number += 1
        candidate = f"{stem} ({number}){suffix}"
    used.add(candidate)
    return candidate
