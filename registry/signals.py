"""Signals the register sends for the other apps (sent inside the writing transaction), and its own receivers."""

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent after use cases' descriptions or classifications changed (an edit, a reclassification, a tool renamed),
# with `use_case_ids`: the public register marks the records whose public content would change.
use_cases_changed = Signal()


def reclassify_after_migrate(sender, using="default", **kwargs) -> None:
    """After `migrate`, queue the reclassification of the use cases an older rule set classified (a new rule set
    ships with the code: the register follows it, each changed verdict recorded in its history). A broker out of
    reach does not fail the migration: the daily `reclassify-outdated` run catches up."""
    from . import rules
    from .models import UseCase
    from .tasks import reclassify_register

    if not UseCase.objects.using(using).exclude(classification_ruleset=rules.RULESET_VERSION).exists():
        return
    try:
        reclassify_register.delay()
    except Exception:  # the broker is down or unreachable: reported, caught up by Celery beat
        logger.exception("The reclassification of the register could not be queued; Celery beat will run it.")


def reclassify_after_dates_change(sender, **kwargs) -> None:
    """A date of application of the AI Act changed: every stored reason citing it is restamped (no verdict
    changes, so no history event), after the change is committed."""
    from . import outbox
    from .tasks import reclassify_register

    # Recorded with the change, queued after commit, and again by the sweep if the broker was out of reach.
    outbox.enqueue(reclassify_register.name, cause="dates", outdated_only=False)
