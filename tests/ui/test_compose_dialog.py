"""The compose dialog: template in the candidate's language, mail app via an injected opener,
.eml drafts for long messages, copy for chat, exactly one timeline entry per message."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.insights import InsightInput
from crm_desktop.core.jobs import JobInput
from crm_desktop.core.recruiter_profile import RecruiterProfile
from crm_desktop.core.today import TodayItem
from crm_desktop.store.models import Interaction
from crm_desktop.ui.compose_dialog import ComposeDialog, compose_for_today_item


class Opener:
    """Stands in for QDesktopServices.openUrl: records URLs, answers True (opened) or False."""

    def __init__(self, result: bool = True) -> None:
        self.result = result
        self.urls: list[str] = []

    def __call__(self, url) -> bool:
        self.urls.append(bytes(url.toEncoded()).decode("ascii"))
        return self.result


@pytest.fixture
def zoe(services) -> int:
    services.recruiter.save(RecruiterProfile("Sam Okafor", "sam@example.org"))
    return services.candidates.create(
        CandidateInput("Zoë", "Müller", preferred_language="de", emails=("zoë.m+jobs@example.de",))
    )


@pytest.fixture
def job(services, zoe) -> int:
    company = services.jobs.create_company("Q&A Labs")
    job_id = services.jobs.create_job(JobInput("Data Engineer", company_id=company))
    application = services.pipeline.attach(zoe, job_id, "shortlisted")
    services.pipeline.move(
        application, "interviewing", interview_at=datetime(2026, 12, 3, 13, 30, tzinfo=UTC)
    )
    return job_id


def _dialog(qtbot, services, prompter, candidate, opener, **kwargs) -> ComposeDialog:
    dialog = ComposeDialog(services, prompter, candidate, opener=opener, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def _entries(candidate_id: int) -> int:
    return Interaction.select().where(Interaction.candidate == candidate_id).count()


def test_send_opens_an_encoded_mailto_and_logs_one_entry(qtbot, services, prompter, zoe, job):
    opener = Opener()
    dialog = _dialog(
        qtbot, services, prompter, zoe, opener, template="interview_scheduled", job_id=job
    )
    assert dialog.template.currentText() == "Gesprächstermin (DE)"
    assert dialog.subject.text() == "Ihr Gespräch mit Q&A Labs am Donnerstag, 3. Dezember 2026"
    assert "um 14:30 Uhr" in dialog.body.toPlainText()
    assert not dialog.warning.isVisibleTo(dialog)
    dialog.body.appendPlainText("P.S. 100% sicher? #1 & mehr")
    before = _entries(zoe)
    sent = []
    dialog.sent.connect(sent.append)

    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)

    (url,) = opener.urls
    parts = urlsplit(url)
    assert (parts.scheme, unquote(parts.path)) == ("mailto", "zoë.m+jobs@example.de")
    fields = parse_qs(parts.query, strict_parsing=True)
    assert fields["subject"] == [dialog.subject.text()]
    assert fields["body"] == [dialog.body.toPlainText().replace("\n", "\r\n")]
    assert _entries(zoe) == before + 1
    entry = services.timeline.get(sent[0])
    assert (entry.kind, entry.direction, entry.job_id) == ("email", "out", job)
    assert entry.template_name == "Gesprächstermin"
    assert entry.summary == dialog.subject.text()
    assert entry.body.endswith("P.S. 100% sicher? #1 & mehr")
    assert dialog.result() == ComposeDialog.DialogCode.Accepted


def test_a_mail_app_that_does_not_open_logs_nothing(qtbot, services, prompter, zoe):
    dialog = _dialog(qtbot, services, prompter, zoe, Opener(result=False), template="birthday")
    assert not dialog.send_mail()
    assert _entries(zoe) == 0
    assert prompter.asked[-1][:2] == ("error", "No mail app opened")
    assert dialog.entry_id is None


def test_a_long_message_goes_out_as_an_eml_draft(qtbot, services, prompter, zoe, tmp_path):
    opener = Opener()
    dialog = _dialog(
        qtbot, services, prompter, zoe, opener, template="birthday", drafts_dir=tmp_path / "d"
    )
    dialog.body.setPlainText("Liebe Zoë,\n" + "ein langer Absatz über Q&A?\n" * 150)
    assert dialog.send_mail()
    (url,) = opener.urls
    assert url.startswith("file://")
    assert dialog.delivery.eml_path.parent == tmp_path / "d"
    message = email.message_from_bytes(
        dialog.delivery.eml_path.read_bytes(), policy=email.policy.default
    )
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == "Alles Gute zum Geburtstag, Zoë!"
    assert message["From"] == "sam@example.org"
    assert _entries(zoe) == 1
    assert services.timeline.entries(zoe)[0].kind == "celebration"


def test_copy_text_is_for_chat_and_logs_a_message(qtbot, services, prompter, zoe):
    dialog = _dialog(qtbot, services, prompter, zoe, Opener(), template="check_in")
    assert dialog.copy_text()
    assert QGuiApplication.clipboard().text() == dialog.body.toPlainText()
    (entry,) = services.timeline.entries(zoe)
    assert (entry.kind, entry.template_name) == ("message", "Kurz nachgefragt")


def test_unfilled_placeholders_warn_and_ask_before_sending(qtbot, services, prompter):
    cid = services.candidates.create(CandidateInput("Ada"))  # no e-mail, no job, no details
    services.recruiter.save(RecruiterProfile(""))
    opener = Opener()
    dialog = _dialog(qtbot, services, prompter, cid, opener, template="shortlisted")
    assert dialog.unresolved() == ["job_title", "company", "recruiter_name"]
    warning = dialog.warning.text()
    assert "{job_title}, {company}, {recruiter_name}" in warning
    assert "choose the job above" in warning
    assert "No e-mail address" in warning
    prompter.answers.append(False)
    assert not dialog.send_mail()
    assert opener.urls == []
    assert _entries(cid) == 0
    dialog.subject.setText("You're on the shortlist")
    dialog.body.setPlainText("Hi Ada, good news.\nSam")
    assert dialog.send_mail()
    assert opener.urls == [
        "mailto:?subject=You%27re%20on%20the%20shortlist&body=Hi%20Ada%2C%20good%20news.%0D%0ASam"
    ]


def test_a_template_about_a_job_gets_the_latest_job_a_birthday_none(
    qtbot, services, prompter, zoe, job
):
    dialog = _dialog(qtbot, services, prompter, zoe, Opener(), template="offer")
    assert dialog.job.currentData() == job
    assert "Q&A Labs" in dialog.subject.text()
    dialog.template.setCurrentIndex(dialog.template.findText("Geburtstag (DE)"))
    dialog.template.activated.emit(dialog.template.currentIndex())
    assert dialog.job.currentData() is None  # a birthday wish is not news about the job


def test_changing_template_after_editing_asks_first(qtbot, services, prompter, zoe):
    dialog = _dialog(qtbot, services, prompter, zoe, Opener(), template="birthday")
    dialog.body.setPlainText("My own words")
    prompter.answers.append(False)
    dialog.template.setCurrentIndex(dialog.template.findText("Kurz nachgefragt (DE)"))
    dialog.template.activated.emit(dialog.template.currentIndex())
    assert dialog.body.toPlainText() == "My own words"
    assert prompter.asked[-1][1] == "Replace your text?"


def test_insight_is_inserted_at_the_cursor(qtbot, services, prompter, zoe, monkeypatch):
    from crm_desktop.ui import insights_dialog

    services.insights.create(InsightInput("AWS SA Associate", "Eight weeks of study."))
    dialog = _dialog(qtbot, services, prompter, zoe, Opener())

    def pick(self) -> int:  # stands in for the modal loop: choose the first insight
        self.insert()
        return self.result()

    monkeypatch.setattr(insights_dialog.InsightsDialog, "exec", pick)
    dialog.body.setPlainText("Tipp: ")
    dialog.body.moveCursor(dialog.body.textCursor().MoveOperation.End)
    dialog.insert_insight()
    assert dialog.body.toPlainText() == "Tipp: AWS SA Associate\nEight weeks of study."


def test_today_items_open_compose_with_the_right_template(qtbot, services, prompter, monkeypatch):
    cid = services.candidates.create(
        CandidateInput("Lin", joined_on=date(2023, 12, 1), emails=("lin@example.com",))
    )
    seen = {}

    def capture(self) -> int:
        seen["template"] = self.template.currentText()
        seen["body"] = self.body.toPlainText()
        return 0

    monkeypatch.setattr(ComposeDialog, "exec", capture)
    item = TodayItem(
        key="anniversary:1",
        kind="anniversary",
        on=date(2026, 12, 1),
        due_at=None,
        title="",
        reason="",
        candidate_id=cid,
    )
    assert compose_for_today_item(services, prompter, item) is None  # cancelled: nothing logged
    assert seen["template"] == "Work anniversary (EN)"
    assert "today it's 3 years" in seen["body"]


def test_an_owed_update_composes_the_stage_template_about_its_job(
    qtbot, services, prompter, zoe, job, monkeypatch
):
    application = services.pipeline.for_candidate(zoe)[0]
    services.pipeline.move(application.id, "rejected")
    (item,) = [i for i in services.today.compute().all() if i.kind == "owed_update"]
    opener = Opener()

    def send(self) -> int:
        self.send_mail()
        return self.result()

    monkeypatch.setattr(ComposeDialog, "exec", send)
    monkeypatch.setattr(
        ComposeDialog,
        "__init__",
        _with_opener(ComposeDialog.__init__, opener),
    )
    entry_id = compose_for_today_item(services, prompter, item)
    assert opener.urls[0].startswith("mailto:z")
    entry = services.timeline.get(entry_id)
    assert (entry.template_name, entry.job_id) == ("Absage", job)
    assert not [i for i in services.today.compute().all() if i.kind == "owed_update"]


def _with_opener(init, opener):
    def patched(self, *args, **kwargs):
        kwargs["opener"] = opener
        init(self, *args, **kwargs)

    return patched
