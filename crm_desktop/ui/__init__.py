"""Widgets, dialogs and item models. Widgets call core services; they never run queries."""
