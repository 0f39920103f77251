"""The recruiter's rules. Qt-free: every write goes through here so validation, timeline entries,
``last_contacted_at`` and change events stay consistent whichever screen or importer wrote."""
