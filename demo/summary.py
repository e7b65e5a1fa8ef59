"""What `seed_demo` prints once the demo is loaded: what the demo collectivité holds (people, use cases, declarations,
reviews, checkpoints), what this run created, and the demo logins with their roles. Reads only."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audits import schedule
from audits.models import Attestation, Checkpoint, Incident
from audits.selectors import LIVE
from declarations.models import Declaration
from declarations.services import OPEN_STATUSES
from demo import register as demo
from demo.loaders.bellerive import DEFAULT_PASSWORD
from registry.choices import (
    ReviewStatus,
    SessionStatus,
)
from registry.models import (
    Collectivite,
    CommitteeMember,
    CommitteeSession,
    Review,
)
from registry.titles import role_label

if TYPE_CHECKING:
    from demo.loaders.bellerive import DemoLoader
    from demo.loaders.intercommunality import IntercommunalityLoader


def _counts(**counts: int) -> str:
    """« 1 service, 4 usages, 2 déclarations »: each count with its noun in the right number."""
    nouns = {
        "services": lambda n: ngettext("%(count)d service", "%(count)d services", n),
        "users": lambda n: ngettext("%(count)d person", "%(count)d people", n),
        "tools": lambda n: ngettext("%(count)d AI tool", "%(count)d AI tools", n),
        "use_cases": lambda n: ngettext("%(count)d use case", "%(count)d use cases", n),
        "declarations": lambda n: ngettext("%(count)d declaration", "%(count)d declarations", n),
    }
    return ", ".join(nouns[name](count) % {"count": count} for name, count in counts.items())


def _reviews_line(collectivite: Collectivite) -> str:
    totals = Review.objects.filter(collectivite=collectivite).aggregate(
        total=Count("pk"),
        opinions=Count("pk", filter=Q(status=ReviewStatus.OPINIONS)),
        committee=Count("pk", filter=Q(status=ReviewStatus.COMMITTEE)),
        decided=Count("pk", filter=Q(status=ReviewStatus.DECIDED)),
    )
    totals["members"] = CommitteeMember.objects.filter(collectivite=collectivite, active=True).count()
    sessions = CommitteeSession.objects.filter(collectivite=collectivite)
    totals["sessions"] = sessions.count()
    totals["planned"] = sessions.filter(status=SessionStatus.PLANNED).count()
    return (
        _(
            "Reviews: %(total)d rounds (%(opinions)d awaiting opinions, %(committee)d awaiting the ethics "
            "committee, %(decided)d decided); ethics committee of %(members)d members, %(sessions)d sessions "
            "(%(planned)d planned)."
        )
        % totals
    )


def _checkpoints_line(collectivite: Collectivite) -> str:
    today = timezone.localdate()
    live = Q(use_case__status__in=LIVE)
    totals = Checkpoint.objects.filter(use_case__collectivite=collectivite, active=True).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=live & Q(next_due__lt=today)),
        due_soon=Count(
            "pk", filter=live & Q(next_due__gte=today, next_due__lte=today + timedelta(days=schedule.DUE_SOON_DAYS))
        ),
        unowned=Count("pk", filter=Q(owner__isnull=True, origin=Checkpoint.Origin.REQUIRED)),
    )
    totals["attestations"] = Attestation.objects.filter(checkpoint__use_case__collectivite=collectivite).count()
    totals["incidents"] = Incident.objects.filter(use_case__collectivite=collectivite).count()
    return (
        _(
            "Human-control checkpoints: %(total)d (on live use cases %(overdue)d overdue, %(due_soon)d due within "
            "a week; %(unowned)d mandatory without owner), %(attestations)d attestations, %(incidents)d incidents."
        )
        % totals
    )


def collectivite_summary(
    loader: DemoLoader, collectivite: Collectivite, synthetic: tuple[int, int, int], password: str | None
) -> list[str]:
    """The summary of the demo collectivité: its counts, what this run created, the logins."""
    out: list[str] = []
    write = out.append
    write(
        _("%(name)s: %(counts)s.")
        % {
            "name": collectivite.name,
            "counts": _counts(
                services=collectivite.services.count(),
                users=len(loader.users),
                tools=collectivite.tools.count(),
                use_cases=collectivite.use_cases.count(),
            ),
        }
    )
    totals = Declaration.objects.filter(collectivite=collectivite).aggregate(
        total=Count("pk"),
        anonymous=Count("pk", filter=Q(author__isnull=True)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        breaches=Count("pk", filter=Q(possible_breach=True)),
        to_assess=Count("pk", filter=Q(possible_breach=True, breach_outcome="")),
    )
    write(
        _(
            "Shadow-AI declarations: %(total)d (%(anonymous)d anonymous, %(open)d open), %(breaches)d "
            "possible personal-data breaches, %(to_assess)d still to assess."
        )
        % totals
    )
    write(_reviews_line(collectivite))
    write(_checkpoints_line(collectivite))
    write(_("Created by this run: %(created)s.") % {"created": loader.created_summary(*synthetic)})
    write("")
    write(_("Registre IA: %(url)s") % {"url": settings.SITE_URL})
    if password is None:
        write(_("Demo logins (password “%(password)s” for new users):") % {"password": DEFAULT_PASSWORD})
    else:
        write(_("Demo logins (the password given with --password):"))
    rows = [(_("Login"), _("Name"), _("Role"), _("Service"))]
    for username in demo.ROLE_USERNAMES:
        user = loader.users[username]
        for role, service_code in loader.roles_of[username]:
            service = loader.services[service_code].name if service_code else "—"
            rows.append((username, user.get_full_name(), role_label(role, user), service))
    out.extend(_table(rows))
    write(_("Use-case owners also have a login (first.last, e.g. %(example)s).") % {"example": "martine.blanc"})
    return out


def intercommunality_summary(mutual: IntercommunalityLoader) -> list[str]:
    """The summary of the intercommunality and its second commune, with their logins."""
    out: list[str] = []
    write = out.append
    write("")
    for collectivite in (mutual.structure, mutual.commune):
        write(
            _("%(name)s: %(counts)s.")
            % {
                "name": collectivite.name,
                "counts": _counts(
                    services=collectivite.services.count(),
                    use_cases=collectivite.use_cases.count(),
                    declarations=Declaration.objects.filter(collectivite=collectivite).count(),
                ),
            }
        )
    if mutual.reference_content is None:
        write(_("Reference content of the intercommunality: not loaded (the mutualisation app is missing)."))
    write(_("Demo logins of the intercommunality and of its second member commune:"))
    names = {"structure": mutual.structure.name, "bellerive": mutual.bellerive.name, "commune": mutual.commune.name}
    rows = [(_("Login"), _("Name"), _("Role"), _("Collectivité"))]
    for spec in demo.MUTUAL_USERS:
        user = mutual.users[spec["username"]]
        for key, roles in spec["roles"].items():
            for role, _service in roles:
                rows.append((spec["username"], user.get_full_name(), role_label(role, user), names[key]))
    out.extend(_table(rows))
    return out


def _table(rows: list[tuple[str, str, str, str]]) -> list[str]:
    """The rows in aligned columns, the first one (the header) underlined."""
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    out = []
    for index, row in enumerate(rows):
        out.append("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            out.append("  " + "  ".join("-" * width for width in widths))
    return out
