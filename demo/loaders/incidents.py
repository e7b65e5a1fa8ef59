"""The demo's serious incidents and breaches (AI Act art. 3(49), 26(5), 73; RGPD art. 33): a serious incident of the
EHPAD's fall detection reported within its deadlines (the provider the same day, the authority's initial then complete
report), a serious incident of the traffic lights whose authority clock is running, and the website chatbot's breach
assessed by the DPO and notified to the CNIL. Through the services, acting as the people named, dated in the past;
each step only while its rows are missing, so a second run changes nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from audits import incidents
from audits import services as audits_services
from audits.models import Incident, IncidentNotification
from demo import checkpoints as audits_demo
from registry.models import Collectivite, OutboxEntry, UseCase

if TYPE_CHECKING:
    from demo.loaders.bellerive import DemoLoader

FALL_DETECTION = audits_demo.FALL_DETECTION
TRAFFIC_LIGHTS = "Régulation adaptative des feux tricolores"

# (use case, reporter, days ago it happened, hours later it was recorded, facts, qualification, notifications)
SERIOUS = [
    {
        "use_case": FALL_DETECTION,
        "reported_by": "martine.blanc",
        "days_ago": 20,
        "recorded_after_hours": 2,
        "severity": "serious",
        "persons_affected": 1,
        "description": (
            "Une résidente de l'EHPAD est tombée dans sa chambre vers 2 h sans qu'aucune alerte ne parvienne à "
            "l'équipe de nuit ; elle a été trouvée à 5 h 30 lors de la ronde et hospitalisée (fracture du col du "
            "fémur). Le capteur de la chambre était en ligne mais le modèle n'a pas reconnu la chute."
        ),
        "actions_taken": (
            "Rondes de nuit toutes les heures rétablies, capteurs de l'aile concernée vérifiés avec l'éditeur, "
            "famille informée par la direction de l'EHPAD."
        ),
        "qualified_by": "dpo",
        "category": "a",
        "comment": (
            "Atteinte grave à la santé d'une résidente (art. 3, point 49, a) : l'absence d'alerte a retardé sa prise "
            "en charge de plus de trois heures. Lien avec le système : la chute n'a pas été détectée."
        ),
        "notifications": [
            # (hours after awareness, recipient, channel, stage, reference, name, comment, by)
            (1, "provider", "phone", "initial", "", "Veille Nuit Santé SAS", "Astreinte technique jointe.", "dpo"),
            (2, "provider", "email", "initial", "VN-INC-2291", "Veille Nuit Santé SAS", "Confirmation écrite.", "dpo"),
            (
                5 * 24,
                "authority",
                "portal",
                "initial",
                "ASM-2026-0042",
                "Autorité de surveillance du marché",
                "Rapport initial : faits, système, premières mesures (art. 73, § 5).",
                "dpo",
            ),
            (
                13 * 24,
                "authority",
                "portal",
                "complete",
                "ASM-2026-0042",
                "Autorité de surveillance du marché",
                "Rapport complet avec l'analyse de l'éditeur (seuil de détection mal réglé après une mise à jour).",
                "dpo",
            ),
        ],
    },
    {
        "use_case": TRAFFIC_LIGHTS,
        "reported_by": "pascal.fontaine",
        "days_ago": 1,
        "recorded_after_hours": 1,
        "severity": "serious",
        "persons_affected": 1,
        "description": (
            "Au carrefour de l'avenue de la Loire, le système a donné le vert aux voitures pendant que le feu "
            "piéton était lui aussi au vert ; un piéton a été renversé et blessé à la jambe."
        ),
        "actions_taken": "Carrefour repassé en cycle fixe ; éditeur saisi ; police municipale sur place.",
        "qualified_by": "rssi",
        "category": "a",
        "comment": "Atteinte grave à la santé d'un piéton, causée par une commande du système (art. 3, point 49, a).",
        "notifications": [
            (3, "provider", "email", "initial", "LUM-7781", "Luminis SAS", "Demande d'analyse des journaux.", "rssi"),
        ],
    },
]

CNIL_REFERENCE = "Notification CNIL n° 2026-004517"


def _mark_sent(incident: Incident) -> None:
    """The qualification's e-mail counts as sent then: none goes out now."""
    OutboxEntry.objects.filter(
        task=incidents.NOTIFY_QUALIFIED, kwargs={"incident_id": incident.pk}, done_at__isnull=True
    ).update(done_at=timezone.now())


def _serious(loader: DemoLoader, use_case: UseCase, spec: dict, now) -> bool:
    if use_case.incidents.filter(description=spec["description"]).exists():
        return False
    # At 7 a.m. (Paris) on the day: « immediately » (the same day) never straddles a midnight, whenever the demo loads.
    day = timezone.localdate(now) - timedelta(days=spec["days_ago"])
    occurred = timezone.make_aware(datetime.combine(day, time(7, 0)))
    aware = occurred + timedelta(hours=spec["recorded_after_hours"])
    incident = audits_services.incident_record(
        use_case=use_case,
        acting_user=loader.users[spec["reported_by"]],
        data={
            "occurred_at": occurred,
            "description": spec["description"],
            "severity": spec["severity"],
            "persons_affected": spec["persons_affected"],
            "personal_data_breach": False,
            "actions_taken": spec["actions_taken"],
        },
    )
    Incident.objects.filter(pk=incident.pk).update(created_at=aware, aware_at=aware, notified_at=aware)
    incident.refresh_from_db()
    incident = incidents.incident_qualify(
        incident=incident,
        acting_user=loader.users[spec["qualified_by"]],
        serious=True,
        category=spec["category"],
        aware_at=aware,
        comment=spec["comment"],
    )
    Incident.objects.filter(pk=incident.pk).update(qualified_at=aware + timedelta(minutes=40))
    _mark_sent(incident)
    for hours, recipient, channel, stage, reference, name, comment, by in spec["notifications"]:
        notification = incidents.incident_notification_record(
            incident=incident,
            acting_user=loader.users[by],
            recipient=recipient,
            sent_at=aware + timedelta(hours=hours),
            channel=channel,
            stage=stage,
            reference=reference,
            recipient_name=name,
            comment=comment,
        )
        IncidentNotification.objects.filter(pk=notification.pk).update(
            created_at=aware + timedelta(hours=hours, minutes=10)
        )
    return True


def _chatbot_breach(loader: DemoLoader, collectivite: Collectivite, now) -> bool:
    """The DPO assesses the chatbot's breach (a risk, not a high one) and notifies the CNIL within the 72 hours."""
    incident = (
        Incident.objects.filter(
            use_case__collectivite=collectivite, use_case__name=audits_demo.SITE_CHATBOT, personal_data_breach=True
        )
        .order_by("pk")
        .first()
    )
    if incident is None or incident.breach_risk:
        return False
    dpo = loader.users["dpo"]
    incidents.incident_breach_assess(
        incident=incident,
        acting_user=dpo,
        risk="risk",
        comment=(
            "Nom et numéro de téléphone d'un habitant communiqués à un autre habitant : risque pour la vie privée, "
            "pas de données sensibles, deux personnes concernées ; la personne dont les données ont fui a été "
            "appelée par le service communication."
        ),
    )
    assessed = incident.aware_at + timedelta(hours=3)
    Incident.objects.filter(pk=incident.pk).update(breach_assessed_at=assessed)
    notification = incidents.incident_notification_record(
        incident=incident,
        acting_user=dpo,
        recipient="cnil",
        sent_at=assessed + timedelta(hours=2),
        channel="portal",
        stage="initial",
        reference=CNIL_REFERENCE,
        recipient_name="CNIL — téléservice de notification des violations",
        comment="Notification initiale ; compléments à suivre après l'analyse de l'éditeur (RGPD art. 33, § 4).",
    )
    IncidentNotification.objects.filter(pk=notification.pk).update(created_at=assessed + timedelta(hours=2))
    return True


def load(loader: DemoLoader, collectivite: Collectivite) -> int:
    """The demo's serious incidents and breach notifications; returns how many incidents were recorded or assessed."""
    now = timezone.now()
    use_cases = {
        use_case.name: use_case
        for use_case in UseCase.objects.filter(
            collectivite=collectivite, name__in=[spec["use_case"] for spec in SERIOUS]
        ).select_related("collectivite", "service", "owner")
    }
    done = 0
    for spec in SERIOUS:
        use_case = use_cases.get(spec["use_case"])
        if use_case is not None and _serious(loader, use_case, spec, now):
            done += 1
    done += _chatbot_breach(loader, collectivite, now)
    loader.created["incidents"] = loader.created.get("incidents", 0) + done
    return done
