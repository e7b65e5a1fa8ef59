"""What the register already knows for each part of an AIDF: suggestions drawn from the use case (its purpose,
description, decisions per year, dates, people affected and classification inputs, human oversight), its active
human-control checkpoints (audits), the incident process and the tool's provider. A new AIDF starts with them; the
page shows them beside each part, to insert again once the use case has changed."""

from __future__ import annotations

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from audits.models import Checkpoint, Incident
from core.labels import joined_labels, label
from registry import choices

from .models import PART_FIELDS


def checkpoints_of(use_case) -> list[Checkpoint]:
    """The use case's active checkpoints, with their type and owner (one query)."""
    return list(use_case.checkpoints.filter(active=True).select_related("type", "owner").order_by("type__code", "pk"))


def suggestions(use_case, *, checkpoints: list | None = None, incidents: int | None = None) -> dict[str, str]:
    """A text per part (`PART_FIELDS`), in French sentences, from what the register holds on the use case."""
    if checkpoints is None:
        checkpoints = checkpoints_of(use_case)
    if incidents is None:
        incidents = Incident.objects.filter(use_case=use_case).count()
    found = {
        "processes": _processes(use_case),
        "period": _period(use_case),
        "affected_persons": _affected_persons(use_case),
        "risks": _risks(use_case),
        "human_oversight": _oversight(use_case, checkpoints),
        "measures": _measures(use_case, incidents),
    }
    return {name: found[name] for name in PART_FIELDS}


def _lines(*lines) -> str:
    return "\n".join(str(line) for line in lines if line)


def _processes(use_case) -> str:
    return _lines(
        _("Service: %(service)s.") % {"service": use_case.service.name},
        _("Purpose: %(purpose)s") % {"purpose": use_case.purpose.strip()} if use_case.purpose.strip() else "",
        _("How the system is used: %(description)s") % {"description": use_case.description.strip()}
        if use_case.description.strip()
        else "",
        _("Domain (AI Act Annex III): %(point)s.") % {"point": label(choices.AnnexIIIPoint, use_case.annex_iii_point)}
        if use_case.annex_iii_point
        else "",
        _("Role of the system in decisions: %(level)s.")
        % {"level": label(choices.AutomationLevel, use_case.automation_level)}
        if use_case.automation_level
        else "",
    )


def _period(use_case) -> str:
    if use_case.start_date and use_case.end_date:
        period = _("Use planned from %(start)s to %(end)s.") % {
            "start": date_format(use_case.start_date, "DATE_FORMAT"),
            "end": date_format(use_case.end_date, "DATE_FORMAT"),
        }
    elif use_case.start_date:
        period = _("Use planned from %(start)s, with no end date set.") % {
            "start": date_format(use_case.start_date, "DATE_FORMAT")
        }
    else:
        period = _("Start date of the use not set yet.")
    frequency = (
        _("About %(count)s decisions or files a year.")
        % {"count": number_format(use_case.decisions_per_year, force_grouping=True)}
        if use_case.decisions_per_year
        else _("Number of decisions or files a year not given yet.")
    )
    return _lines(period, frequency)


def _affected_persons(use_case) -> str:
    categories = set(use_case.personal_data_categories or [])
    return _lines(
        _("People affected: %(audience)s.") % {"audience": label(choices.Audience, use_case.audience)}
        if use_case.audience
        else "",
        _("The system founds individual decisions about people.") if use_case.individual_decisions else "",
        _("Minors or vulnerable persons are concerned.")
        if choices.PersonalDataCategory.MINORS_VULNERABLE in categories
        else "",
        _("Personal data processed: %(categories)s.")
        % {"categories": joined_labels(choices.PersonalDataCategory, use_case.personal_data_categories)}
        if categories
        else "",
        _("Processing on a large scale.") if use_case.large_scale else "",
    )


def _risks(use_case) -> str:
    provider = (
        _(
            "Information given by the provider (art. 13): read the instructions for use of %(tool)s "
            "(%(vendor)s) and note here the limits of accuracy and the foreseeable risks they state."
        )
        % {"tool": use_case.tool.name, "vendor": use_case.tool.vendor}
        if use_case.tool_id
        else _("Information given by the provider (art. 13): no tool of the catalogue is linked to this use case.")
    )
    return _lines(
        _("Risk of a wrong or unfair assessment weighing on a decision about a person (%(level)s).")
        % {"level": label(choices.AutomationLevel, use_case.automation_level)}
        if use_case.automation_level in ("determining", "fully_automated")
        else "",
        _("Risk of discrimination through profiling (evaluation of personal aspects).") if use_case.profiling else "",
        _("Risk to the right to a benefit or a public service (AI Act Annex III, point 5(a)).")
        if use_case.annex_iii_point == "5a"
        else "",
        _("Risk of systematic monitoring of people.") if use_case.systematic_monitoring else "",
        _("Special categories of personal data (RGPD art. 9) are processed.")
        if use_case.rgpd_sensitivity == choices.RgpdSensitivity.SPECIAL
        else "",
        provider,
    )


def _oversight(use_case, checkpoints: list) -> str:
    lines = [use_case.human_oversight.strip()] if use_case.human_oversight.strip() else []
    if checkpoints:
        lines.append(_("Human-control checkpoints of the register:"))
        for checkpoint in checkpoints:
            owner = checkpoint.owner.get_full_name() or checkpoint.owner.get_username() if checkpoint.owner else None
            title = str(checkpoint.type.display_title).strip().rstrip(".")
            lines.append(
                _("- %(title)s (owner: %(owner)s).") % {"title": title, "owner": owner}
                if owner
                else _("- %(title)s (no owner named yet).") % {"title": title}
            )
    else:
        lines.append(_("No human-control checkpoint is recorded yet."))
    return _lines(*lines)


def _measures(use_case, incidents: int) -> str:
    return _lines(
        _(
            "Incidents are recorded in the register on the use case's page; the DPO or the RSSI suspends the use "
            "at once in case of a serious risk (AI Act art. 26(5)), and serious incidents are reported to the "
            "authority (art. 73)."
        ),
        _("%(count)s incident(s) recorded so far.") % {"count": incidents} if incidents else "",
        _(
            "Internal governance: review by the DPO and the RSSI, examination by the ethics committee when required, "
            "periodic re-review of the use case."
        ),
        _(
            "Complaints: the persons concerned may ask for an explanation of the decision (AI Act art. 86, CRPA "
            "L311-3-1), lodge an administrative appeal and complain to the CNIL."
        ),
    )
