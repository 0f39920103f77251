"""Rapport's benchmark: a synthetic-data generator and a timing script (not tests).

Run ``uv run python -m bench --candidates N --json FILE`` from the repository root; see
``bench/README.md``. Numbers live here, never in the unit tests.
"""
