"""Signals the register sends for the other apps (sent inside the writing transaction)."""

from django.dispatch import Signal

# Sent after use cases' descriptions or classifications changed (an edit, a reclassification, a tool renamed),
# with `use_case_ids`: the public register marks the records whose public content would change.
use_cases_changed = Signal()
