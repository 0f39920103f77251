"""The export dialog writes the chosen format off the UI thread, atomically."""

from __future__ import annotations

import icalendar
import vobject

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.ui.export_dialog import ExportDialog


def test_exports_vcard_of_the_selection_and_a_calendar(
    qtbot, services, prompter, profile, tmp_path
):
    ids = [services.candidates.create(CandidateInput(n, "Lee")) for n in ("Ann", "Bo", "Cy")]
    dialog = ExportDialog(services, prompter, profile.paths.attachments_dir, ids[:2])
    qtbot.addWidget(dialog)
    dialog.buttons["vcf"].setChecked(True)
    dialog.only_selected.setChecked(True)
    prompter.paths.append(tmp_path / "two.vcf")
    with qtbot.waitSignal(dialog.exported, timeout=10_000):
        dialog.choose_and_export()
    cards = list(vobject.readComponents((tmp_path / "two.vcf").read_text(encoding="utf-8")))
    assert [c.fn.value for c in cards] == ["Ann Lee", "Bo Lee"]
    assert not (tmp_path / "two.vcf.part").exists()
    qtbot.waitUntil(dialog.export_button.isEnabled)
    dialog.buttons["ics"].setChecked(True)
    assert not dialog.only_selected.isEnabled()
    prompter.paths.append(tmp_path / "cal.ics")
    with qtbot.waitSignal(dialog.exported, timeout=10_000):
        dialog.choose_and_export()
    assert icalendar.Calendar.from_ical((tmp_path / "cal.ics").read_bytes())
    assert "Written:" in dialog.status.text()
