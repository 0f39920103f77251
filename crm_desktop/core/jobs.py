"""Clients (companies) and the jobs they hire for."""

from __future__ import annotations

from dataclasses import dataclass

import peewee

from crm_desktop.clock import Clock
from crm_desktop.core.events import Change, EventHub
from crm_desktop.core.validation import ValidationError
from crm_desktop.store.models import JOB_STATUSES, STAGES, Application, Company, Job

MAX_NAME = 200
MAX_TEXT = 50_000


@dataclass(frozen=True)
class CompanyInfo:
    id: int
    name: str
    website: str
    notes: str
    open_jobs: int


@dataclass(frozen=True)
class JobInput:
    title: str
    company_id: int | None = None
    description: str = ""
    location: str = ""
    salary_min: int | None = None
    salary_max: int | None = None
    currency: str = ""
    openings: int = 1
    status: str = "open"


@dataclass(frozen=True)
class JobInfo:
    id: int
    data: JobInput
    company_name: str
    stage_counts: dict[str, int]

    @property
    def label(self) -> str:
        """ "Data Engineer @ Foxglove Health" — how a job is named in lists and messages."""
        at = f" @ {self.company_name}" if self.company_name else ""
        return f"{self.data.title}{at}"

    @property
    def in_pipeline(self) -> int:
        return sum(self.stage_counts.values())


@dataclass
class JobService:
    clock: Clock
    hub: EventHub
    database: peewee.Database

    # --- companies -------------------------------------------------------------------------
    def create_company(self, name: str, website: str = "", notes: str = "") -> int:
        name = _clean_name(name, "name", "A client needs a name")
        if Company.select().where(Company.name == name).exists():
            raise ValidationError({"name": f"A client named “{name}” already exists"})
        now = self.clock.now()
        with self.database.atomic():
            row = Company.create(
                name=name, website=website.strip(), notes=notes, created_at=now, updated_at=now
            )
        self.hub.emit(Change("company", "created", (row.id,)))
        return row.id

    def update_company(self, company_id: int, name: str, website: str, notes: str) -> None:
        name = _clean_name(name, "name", "A client needs a name")
        clash = Company.select().where((Company.name == name) & (Company.id != company_id))
        if clash.exists():
            raise ValidationError({"name": f"A client named “{name}” already exists"})
        with self.database.atomic():
            Company.update(
                name=name, website=website.strip(), notes=notes, updated_at=self.clock.now()
            ).where(Company.id == company_id).execute()
        self.hub.emit(Change("company", "updated", (company_id,)))

    def companies(self) -> list[CompanyInfo]:
        open_jobs = peewee.fn.COUNT(Job.id).filter(Job.status == "open")
        rows = (
            Company.select(Company.id, Company.name, Company.website, Company.notes, open_jobs)
            .join(Job, peewee.JOIN.LEFT_OUTER)
            .group_by(Company.id)
            .order_by(Company.name)
            .tuples()
        )
        return [CompanyInfo(*row) for row in rows]

    # --- jobs ------------------------------------------------------------------------------
    def create_job(self, data: JobInput, client_name: str = "") -> int:
        """Create a job; ``client_name`` names a client to use, created with the job if new."""
        data = self._validate(data)
        now = self.clock.now()
        with self.database.atomic():
            data = self._with_client(data, client_name)
            row = Job.create(created_at=now, updated_at=now, **_job_columns(data))
        self.hub.emit(Change("job", "created", (row.id,)))
        return row.id

    def update_job(self, job_id: int, data: JobInput, client_name: str = "") -> None:
        data = self._validate(data)
        with self.database.atomic():
            data = self._with_client(data, client_name)
            updated = (
                Job.update(updated_at=self.clock.now(), **_job_columns(data))
                .where(Job.id == job_id)
                .execute()
            )
        if not updated:
            raise ValidationError({"job": f"Job {job_id} does not exist"})
        self.hub.emit(Change("job", "updated", (job_id,)))

    def job(self, job_id: int) -> JobInfo:
        found = self.jobs(job_ids=[job_id])
        if not found:
            raise ValidationError({"job": f"Job {job_id} does not exist"})
        return found[0]

    def jobs(self, status: str | None = None, job_ids: list[int] | None = None) -> list[JobInfo]:
        """Jobs with their client's name and how many candidates sit in each stage."""
        # Company.id must be selected too, or peewee attaches a client without an id.
        select = Job.select(Job, Company.id, Company.name).join(Company, peewee.JOIN.LEFT_OUTER)
        if status:
            select = select.where(Job.status == status)
        if job_ids is not None:
            select = select.where(Job.id.in_(job_ids))
        rows = list(select.order_by(Job.status != "open", Job.title))
        counts: dict[int, dict[str, int]] = {}
        if rows:
            grouped = (
                Application.select(Application.job, Application.stage, peewee.fn.COUNT(1))
                .where(Application.job.in_([r.id for r in rows]))
                .group_by(Application.job, Application.stage)
                .tuples()
            )
            for job_id, stage, count in grouped:
                counts.setdefault(job_id, {})[stage] = count
        return [
            JobInfo(
                id=r.id,
                data=JobInput(
                    title=r.title,
                    company_id=r.company_id,
                    description=r.description,
                    location=r.location,
                    salary_min=r.salary_min,
                    salary_max=r.salary_max,
                    currency=r.currency,
                    openings=r.openings,
                    status=r.status,
                ),
                company_name=r.company.name if r.company_id else "",
                stage_counts={s: counts.get(r.id, {}).get(s, 0) for s in STAGES},
            )
            for r in rows
        ]

    def _with_client(self, data: JobInput, client_name: str) -> JobInput:
        name = " ".join(client_name.split())
        if not name or data.company_id is not None:
            return data
        found = Company.get_or_none(Company.name == name)
        if found is None:
            now = self.clock.now()
            found = Company.create(
                name=name[:MAX_NAME], website="", notes="", created_at=now, updated_at=now
            )
            self.hub.emit(Change("company", "created", (found.id,)))
        return JobInput(**{**data.__dict__, "company_id": found.id})

    @staticmethod
    def _validate(data: JobInput) -> JobInput:
        errors: dict[str, str] = {}
        title = " ".join(data.title.split())
        if not title:
            errors["title"] = "A job needs a title"
        elif len(title) > MAX_NAME:
            errors["title"] = f"The title is too long: at most {MAX_NAME} characters"
        if data.status not in JOB_STATUSES:
            errors["status"] = f"Unknown job status “{data.status}”"
        if data.openings < 1:
            errors["openings"] = "A job has at least one opening"
        for name in ("salary_min", "salary_max"):
            value = getattr(data, name)
            if value is not None and value < 0:
                errors[name] = "A salary cannot be negative"
        low, high = data.salary_min, data.salary_max
        if low is not None and high is not None and low > high:
            errors["salary_max"] = f"The range is upside down: {low} is more than {high}"
        if len(data.description) > MAX_TEXT:
            errors["description"] = f"The description is too long: at most {MAX_TEXT} characters"
        if (
            data.company_id is not None
            and not Company.select().where(Company.id == data.company_id).exists()
        ):
            errors["company_id"] = f"Client {data.company_id} does not exist"
        if errors:
            raise ValidationError(errors)
        return JobInput(**{**data.__dict__, "title": title, "currency": data.currency.upper()})


def _clean_name(name: str, field: str, empty_message: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({field: empty_message})
    if len(name) > MAX_NAME:
        raise ValidationError({field: f"Too long: at most {MAX_NAME} characters"})
    return name


def _job_columns(data: JobInput) -> dict[str, object]:
    return {
        "title": data.title,
        "company": data.company_id,
        "description": data.description,
        "location": data.location.strip(),
        "salary_min": data.salary_min,
        "salary_max": data.salary_max,
        "currency": data.currency,
        "openings": data.openings,
        "status": data.status,
    }
