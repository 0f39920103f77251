"""Persistence: one SQLite file through peewee. No Qt, no UI."""
