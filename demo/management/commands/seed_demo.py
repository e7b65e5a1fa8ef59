"""Load the demo collectivité (Ville de Bellerive-sur-Loire) and its intercommunality, idempotently: a second run
creates nothing. Then, with `--use-cases N`, `--declarations N` and `--checkpoints N`, add N synthetic use cases,
declarations or checkpoints (for volume tests).

The command reads its options and checks the password; the demo package does the rest, through the same services as
the web UI and the API: demo/loaders/bellerive.py (the demo collectivité, its review stories, declarations,
checkpoints, public register and charter), demo/loaders/intercommunality.py (the intercommunality and its second
commune), demo/loaders/synthetic.py (the synthetic data), demo/summary.py (what is printed). The data is in
demo/register.py, demo/checkpoints.py, demo/charter.py, demo/publications.py and demo/mutualisation.py.
"""

from __future__ import annotations

import contextlib
import logging

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from demo import summary
from demo.loaders import explanations as explanations_demo
from demo.loaders import fria as fria_demo
from demo.loaders import incidents as incidents_demo
from demo.loaders import synthetic
from demo.loaders.bellerive import DemoLoader
from demo.loaders.intercommunality import IntercommunalityLoader


class Command(BaseCommand):
    help = _(
        "Load the demo collectivité (Ville de Bellerive-sur-Loire) with its services, people, AI tools and "
        "use cases. Running it again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=_(
                "Password given to every demo user. Required in production; otherwise new users get “demo” "
                "and existing users keep theirs."
            ),
        )
        parser.add_argument(
            "--use-cases",
            type=int,
            default=0,
            dest="use_cases",
            metavar="N",
            help=_("Also add N synthetic use cases (for benchmarks)."),
        )
        parser.add_argument(
            "--declarations",
            type=int,
            default=0,
            metavar="N",
            help=_("Also add N synthetic shadow-AI declarations (for benchmarks)."),
        )
        parser.add_argument(
            "--checkpoints",
            type=int,
            default=0,
            metavar="N",
            help=_("Also add N synthetic human-control checkpoints on live use cases (for benchmarks)."),
        )

    def handle(self, *args, password=None, use_cases=0, declarations=0, checkpoints=0, **options):
        if use_cases < 0:
            raise CommandError(_("--use-cases takes a number of use cases, 0 or more."))
        if declarations < 0:
            raise CommandError(_("--declarations takes a number of declarations, 0 or more."))
        if checkpoints < 0:
            raise CommandError(_("--checkpoints takes a number of checkpoints, 0 or more."))
        development = getattr(settings, "DEMO_ALLOW_DEFAULT_PASSWORD", settings.DEBUG)
        if password is None and not development:
            raise CommandError(
                _(
                    "Outside development mode the demo users need a password: run "
                    "“manage.py seed_demo --password <password>”."
                )
            )
        if password is not None and not development:
            # `admin` is a superuser: outside development its password must pass the site's validators.
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        # The declarations' notification tasks run when the transaction commits and find the demo's past
        # e-mails already counted as sent: with eager Celery (embedded mode), keep their log lines and the
        # in-memory broker's warning out of the summary.
        with _quiet_loggers("celery.app.trace", "kombu.connection"), transaction.atomic():
            loader = DemoLoader(password=password)
            collectivite = loader.load()
            mutual = IntercommunalityLoader(loader, collectivite).load()
            # The fundamental rights impact assessments of the CCAS's high-risk uses (AI Act art. 27).
            fria_demo.load(loader, collectivite)
            # Requests for an explanation on published entries: one answered (its letter), one due soon, one overdue.
            explanations_demo.load(loader, collectivite)
            # Serious incidents reported within their deadlines, one clock running, a breach notified to the CNIL.
            incidents_demo.load(loader, collectivite)
            dpo = loader.users["dpo"]
            added = (
                synthetic.add_use_cases(collectivite, use_cases, acting_user=dpo),
                synthetic.add_declarations(collectivite, declarations, acting_user=dpo),
                synthetic.add_checkpoints(collectivite, checkpoints, acting_user=dpo),
            )
        for line in (
            *summary.collectivite_summary(loader, collectivite, added, password),
            *summary.intercommunality_summary(mutual),
        ):
            self.stdout.write(line)


@contextlib.contextmanager
def _quiet_loggers(*names: str):
    """Only errors from these loggers while the block runs."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
