"""PySide6 6.12.0 lost a reference to None on every void call and crashed long sessions."""

from __future__ import annotations

import sys

from PySide6.QtGui import QStandardItem


def test_void_calls_keep_none_alive():
    item = QStandardItem()
    before = sys.getrefcount(None)
    for _ in range(1000):
        item.setText("x")
    # Other threads may hold or drop a few references meanwhile; a leak loses ~1000.
    assert before - sys.getrefcount(None) < 50
