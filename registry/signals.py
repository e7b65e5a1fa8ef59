"""Signals the register sends for the other apps (sent inside the writing transaction), and its own receivers."""

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent after use cases' descriptions or classifications changed (an edit, a reclassification, a tool renamed),
# with `use_case_ids`: the public register marks the records whose public content would change.
use_cases_changed = Signal()

# Sent once a use case is saved with its classification (created, edited, requalified by the DPO, reclassified),
# with `use_case`: audits keeps its human-control checkpoints in line with `required_checkpoints`.
classification_saved = Signal()

# Sent when a review round ends in an approval (with or without conditions), with `review` and `acting_user`:
# audits turns the approval's conditions into checkpoints of the use case.
review_approved = Signal()

# Sent by the use case's page (`views.register.use_case_detail`) with `user`, `access` and `use_case`: each receiver
# answers a dict of template context for the sections it owns (audits: the checkpoints and the incidents, and who may
# act on them), in a fixed number of queries.
use_case_page_sections = Signal()

# Sent by the creation form of a use case (`views.editing.use_case_create`) with `request` and `access`: a receiver
# answers a `registry.creation.CreationExtension` when the request is its own (declarations: the shadow-AI declarations
# the new use case regularises, `?declarations=1,2`), None otherwise.
use_case_form_extension = Signal()

# Sent by `services.use_cases.production_blockers_by_field` (the production refusal and the use case's page) with
# `use_case`: each receiver answers a dict {field: [full sentences]} of what else keeps the use case from going into
# production, empty when nothing does (fria: the fundamental rights impact assessment, approved and notified).
production_blockers = Signal()


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
