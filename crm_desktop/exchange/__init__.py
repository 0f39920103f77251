"""Files in and out: CSV, vCard, iCalendar, JSON backup. No Qt."""
