"""The words of alerts: "2 birthdays, 1 anniversary, 3 follow-ups" and one line per item.

Alerts travel as plain text (a tray balloon or the in-window banner), so this builds plain text
only; nothing here is ever interpreted as markup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, tzinfo

from crm_desktop.core.formatting import local_time
from crm_desktop.core.today import TodayItem
from crm_desktop.i18n import _, ngettext

MAX_LINES = 6  # a tray balloon shows only a few lines; the rest is "…and N more"

# Kind -> (singular, plural), in the order a summary lists them.
_KIND_WORDS: dict[str, tuple[str, str]] = {
    "reminder": ("{n} reminder", "{n} reminders"),
    "birthday": ("{n} birthday", "{n} birthdays"),
    "joining_day": ("{n} joining day", "{n} joining days"),
    "anniversary": ("{n} anniversary", "{n} anniversaries"),
    "follow_up": ("{n} follow-up", "{n} follow-ups"),
    "interview": ("{n} interview", "{n} interviews"),
    "owed_update": ("{n} update owed", "{n} updates owed"),
}


def count_phrase(items: Sequence[TodayItem]) -> str:
    """ "2 birthdays, 1 anniversary, 3 follow-ups" (kinds in a fixed order, unknown ones last)."""
    counts = Counter(item.kind for item in items)
    known = [k for k in _KIND_WORDS if k in counts]
    order = known + sorted(k for k in counts if k not in _KIND_WORDS)
    parts = []
    for kind in order:
        singular, plural = _KIND_WORDS.get(kind, ("{n} " + kind, "{n} " + kind))
        parts.append(ngettext(singular, plural, counts[kind]).format(n=counts[kind]))
    return ", ".join(parts)


def when(item: TodayItem, today: date, tz: tzinfo) -> str:
    """ "14:30" for a reminder today, "yesterday", "3 days ago", "" for an occasion today."""
    if item.due_at is not None and item.kind == "reminder" and item.on == today:
        return local_time(item.due_at, tz)
    return _relative(item.on, today) if item.on != today else ""


def item_line(item: TodayItem, today: date, tz: tzinfo) -> str:
    """One line for an alert: what, and when if it is not simply today."""
    when_text = when(item, today, tz)
    what = item.title
    if (
        item.kind == "reminder"
        and item.candidate_name
        and not names_in(item.candidate_name, item.title)
    ):
        what = f"{item.title} ({item.candidate_name})"
    return f"{what} · {when_text}" if when_text else what


def names_in(name: str, text: str) -> bool:
    """Whether ``text`` already says who: "Call Priya" names Priya Nair (so the line need not)."""
    return any(part in text for part in name.split() if len(part) > 1)


def body(items: Sequence[TodayItem], today: date, tz: tzinfo, limit: int = MAX_LINES) -> str:
    """Up to ``limit`` item lines, then "…and N more"."""
    lines = [item_line(item, today, tz) for item in items[:limit]]
    rest = len(items) - limit
    if rest > 0:
        lines.append(ngettext("…and {n} more", "…and {n} more", rest).format(n=rest))
    return "\n".join(lines)


def _relative(day: date, today: date) -> str:
    delta = (day - today).days
    if delta == -1:
        return _("yesterday")
    if delta < 0:
        return ngettext("{n} day ago", "{n} days ago", -delta).format(n=-delta)
    if delta == 1:
        return _("tomorrow")
    return ngettext("in {n} day", "in {n} days", delta).format(n=delta)
