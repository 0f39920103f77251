"""The jobs page: board drag and drop, keyboard moves, joining date, funnel, ambassadors."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.jobs import JobInput
from crm_desktop.ui.ambassadors_view import AmbassadorsView
from crm_desktop.ui.candidate_jobs_tab import CandidateJobsTab


def _setup(services):
    client = services.jobs.create_company("Foxglove Health")
    job = services.jobs.create_job(JobInput("Data Engineer", company_id=client))
    ana = services.candidates.create(CandidateInput("Ana", "Silva"))
    ben = services.candidates.create(CandidateInput("Ben", "Okoro"))
    app = services.pipeline.attach(ana, job)
    services.pipeline.attach(ben, job, stage="contacted")
    return job, ana, ben, app


def _open_job(window, job):
    window.pages.setCurrentWidget(window.jobs)
    window.jobs.select_job(job)
    return window.jobs.board


def _cards(board, stage):
    model = board.models[stage]
    return [model.index(r, 0).data().split("\n")[0] for r in range(model.rowCount())]


def _drop(board, source_stage, row, target_stage):
    """Drop a card on another column the way Qt delivers it: enter, move, drop events."""
    source = board.models[source_stage]
    mime = source.mimeData([source.index(row, 0)])
    target = board.views[target_stage].viewport()
    point = QPointF(target.rect().center())
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    move = Qt.DropAction.MoveAction
    # PySide6 < 6.12 (pinned) builds drag events from a QPoint.
    QApplication.sendEvent(target, QDragEnterEvent(point.toPoint(), move, mime, buttons, mods))
    QApplication.sendEvent(target, QDragMoveEvent(point.toPoint(), move, mime, buttons, mods))
    drop = QDropEvent(point, move, mime, buttons, mods, QEvent.Type.Drop)
    QApplication.sendEvent(target, drop)


def test_board_shows_columns_with_counts(window, services):
    job, *_ = _setup(services)
    board = _open_job(window, job)
    assert board.headers["sourced"].text() == "Sourced (1)"
    assert _cards(board, "contacted") == ["Ben Okoro"]
    assert window.jobs.title.text() == "Data Engineer @ Foxglove Health"


def test_drag_and_drop_moves_a_card_and_records_it(window, services):
    job, ana, _ben, app = _setup(services)
    board = _open_job(window, job)
    _drop(board, "sourced", 0, "shortlisted")
    assert services.pipeline.get(app).stage == "shortlisted"
    assert _cards(board, "shortlisted") == ["Ana Silva"]
    assert _cards(board, "sourced") == []
    assert "update owed" in board.models["shortlisted"].index(0, 0).data()
    assert services.timeline.entries(ana)[0].summary.endswith("Sourced → Shortlisted")


def test_keyboard_moves_the_selected_card(window, qtbot, services):
    job, _ana, _ben, app = _setup(services)
    board = _open_job(window, job)
    view = board.views["sourced"]
    view.setCurrentIndex(board.models["sourced"].index(0, 0))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert services.pipeline.get(app).stage == "contacted"
    moved_to = board.views["contacted"]
    assert moved_to.currentIndex().data().startswith("Ana Silva")
    qtbot.keyClick(moved_to, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert services.pipeline.get(app).stage == "sourced"


def test_joined_asks_for_the_joining_date(window, services, prompter):
    job, ana, _ben, app = _setup(services)
    board = _open_job(window, job)
    prompter.dates.append(None)  # cancelled: nothing moves
    board.move([app], "joined")
    assert services.pipeline.get(app).stage == "sourced"
    prompter.dates.append(date(2027, 1, 4))
    board.move([app], "joined")
    assert services.pipeline.get(app).stage == "joined"
    assert services.candidates.get(ana).data.joined_on == date(2027, 1, 4)


def test_add_candidate_with_the_picker(window, qtbot, services):
    job, *_ = _setup(services)
    cai = services.candidates.create(CandidateInput("Cai", "Wong", headline="Analyst"))
    board = _open_job(window, job)
    picker = window.jobs.picker
    picker.setText("wong")
    picker.refresh_suggestions()
    assert picker.suggestions() == ["Cai Wong — Analyst"]
    picker._choose_first()
    assert [a.candidate_id for a in services.pipeline.for_job(job) if a.stage == "sourced"][
        -1:
    ] == [cai]
    assert "Cai Wong" in _cards(board, "sourced")


def test_new_job_with_a_new_client(window, qtbot, services):
    window.pages.setCurrentWidget(window.jobs)
    window.jobs.new_job()
    form = window.jobs.form
    form.title.setText("Site Reliability Engineer")
    form.client.setEditText("Umbral Security")
    form.salary_min.setText("80,000")
    form.salary_max.setText("60000")
    assert not form.save()
    assert "upside down" in form.error.text()
    assert [c.name for c in services.jobs.companies()] == []  # nothing half-saved
    form.salary_max.setText("95000")
    assert form.save()
    [job] = services.jobs.jobs()
    assert (job.label, job.data.salary_min) == (
        "Site Reliability Engineer @ Umbral Security",
        80000,
    )
    assert window.jobs.job_id == job.id


def test_funnel_counts_reached_stages(window, services):
    job, _ana, _ben, app = _setup(services)
    services.pipeline.move(app, "interviewing")
    _open_job(window, job)
    reached = window.jobs.funnel.reached()
    assert (reached["sourced"], reached["contacted"], reached["interviewing"]) == (2, 2, 1)


def test_ambassadors_view_ranks_and_opens(window, services):
    ada = services.candidates.create(CandidateInput("Ada", "Lovelace"))
    for name in ("X", "Y"):
        services.referrals.set_referrer(services.candidates.create(CandidateInput(name)), ada)
    window.pages.setCurrentWidget(window.ambassadors)
    view = window.ambassadors
    assert view.model.item(0, 1).text() == "Ada Lovelace"
    assert view.model.item(0, 2).text() == "2"
    assert view.referred_model.rowCount() == 2
    view.table.activated.emit(view.model.index(0, 1))
    assert window.pages.currentWidget() is window.candidates_page
    assert window.candidate_list.current_id() == ada


def test_owed_update_shows_as_a_badge_in_the_list(window, services):
    job, ana, _ben, app = _setup(services)
    model = window.list_model
    row = model.row_of(ana)
    assert model.index(row, 0).data(Qt.ItemDataRole.DecorationRole) is None
    services.pipeline.move(app, "shortlisted")
    assert model.index(row, 0).data(Qt.ItemDataRole.DecorationRole) is not None
    assert "1 update owed" in model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    services.timeline.add(ana, "call", "Told her", job_id=job)
    assert model.index(row, 0).data(Qt.ItemDataRole.DecorationRole) is None


def test_candidate_jobs_tab_moves_informs_and_keeps_fit_notes(qtbot, services, prompter):

    _job, ana, ben, app = _setup(services)
    tab = CandidateJobsTab(services, prompter)
    qtbot.addWidget(tab)
    tab.load(ana)
    assert tab.model.item(0, 0).text() == "Data Engineer @ Foxglove Health"
    tab.move_to("offered")
    assert "update owed" in tab.model.item(0, 1).text()
    assert tab.informed_button.isEnabled()
    tab.mark_informed()
    assert not services.pipeline.get(app).owes_update
    tab.feedback.setPlainText("Loves the team, worried about the commute")
    tab.assessment.setPlainText("Strong SQL; needs mentoring on Spark")
    tab.save_feedback()
    assert services.pipeline.get(app).assessment == "Strong SQL; needs mentoring on Spark"
    tab.set_referrer(ben)
    assert tab.referrer_label.text() == "Referred by Ben Okoro"
    tab.set_referrer(ana)
    assert "cannot refer themselves" in tab.error.text()


def test_ambassadors_thank_you_uses_the_referral_template(qtbot, services):
    ada = services.candidates.create(CandidateInput("Ada", "Lovelace", preferred_language="de"))
    services.referrals.set_referrer(services.candidates.create(CandidateInput("X")), ada)
    view = AmbassadorsView(services.referrals)
    qtbot.addWidget(view)
    view.reload()
    with qtbot.waitSignal(view.thank) as signal:
        view.thank_button.click()
    assert signal.args == [ada]
    template = services.templates.choose("referral_thanks", "de")
    assert template.name == "Danke für die Empfehlung"
