"""The demo's public register of algorithms (loaded by `manage.py seed_demo`, after the review workflow and the
checkpoints): what a visitor of Bellerive-sur-Loire's register expects to find.

The DPO published, through the services and with careful public wording (no agent's name, a functional contact),
the three uses that found individual decisions and are reviewed (school meal prices, school pre-assignment,
grants to associations), the website's chatbot, the transcription of the council's sessions and the library's
recommendations, retired since ("no longer in use"); two records were updated after their first publication.
The social networks' automatic answers were published then withdrawn while the use is suspended; the crèche
score's record is a draft being prepared; the other uses L312-1-3 requires to publish (social housing, civil
status, recruitment, social aid score, check of the social housing documents) are left for the DPO's overview to
show "to publish".

Each story runs only while its use case has no publication, so a second load changes nothing; what each step
wrote is then dated at its moment in the past, as the rest of the demo.
"""

from __future__ import annotations

from demo import register as demo

PUBLISHER = "dpo"
# A functional address of the collectivité's data protection team: never an agent's own address.
CONTACT = f"donnees-personnelles@{demo.COLLECTIVITE['dpo_email'].split('@', 1)[1]}"
# The uses whose rules L312-1-3 has published and that the DPO has not published yet (the overview's "to publish").
LEFT_TO_PUBLISH = (
    "Classement des demandes de logement social du contingent communal",
    "Pré-remplissage des demandes d'actes d'état civil",
    "Tri et synthèse des candidatures pour un poste d'animateur",
    "Score d'aide à l'instruction des demandes d'aide sociale facultative",
    "Contrôle automatique des pièces des demandes de logement social",
)


def mention(name: str) -> str:
    """The L311-3-1 mention the decisions carry, with the R311-3-1-2 elements available on request."""
    return (
        f"Cette décision a été prise sur le fondement d'un traitement algorithmique (« {name} »), conformément à "
        "l'article L311-3-1 du code des relations entre le public et l'administration. Sur simple demande, la Ville "
        "de Bellerive-sur-Loire vous communique les règles définissant ce traitement et les principales "
        "caractéristiques de sa mise en œuvre : le degré et le mode de contribution du traitement algorithmique à la "
        "décision, les données traitées et leurs sources, les paramètres du traitement et leur pondération appliqués "
        "à votre situation, ainsi que les opérations effectuées (article R311-3-1-2). Écrivez à : "
        f"{CONTACT}."
    )


TARIFS = "Calcul du tarif de la restauration scolaire selon le quotient familial"
AFFECTATION = "Pré-affectation des élèves dans les écoles à l'inscription"
SUBVENTIONS = "Pré-analyse des demandes de subvention des associations"

# Each story: the use case (by its name in demo/register.py) and its steps, oldest first, each
# (days ago, "publish" | "save" | "withdraw", data). The first step's data holds the whole public wording.
STORIES = [
    {
        "use_case": "Calcul automatique des tarifs de restauration scolaire selon le quotient familial",
        "steps": [
            (
                385,
                "publish",
                {
                    "name": TARIFS,
                    "summary": (
                        "Le prix du repas à la cantine est calculé automatiquement à partir du quotient familial "
                        "transmis par la CAF, selon une grille de tarifs votée chaque année par le conseil municipal."
                    ),
                    "purpose": (
                        "Appliquer à chaque famille le tarif de restauration scolaire qui correspond à ses "
                        "ressources, sans démarche de sa part, et facturer les repas chaque mois."
                    ),
                    "human_intervention": (
                        "Le calcul est automatique et suit des règles fixes : aucun apprentissage. Une famille qui "
                        "conteste son tarif obtient un nouveau calcul à la main par le service de l'enfance, dans "
                        "les quinze jours ; la grille et les règles de calcul sont publiées sur le site de la ville."
                    ),
                    "data_sources": (
                        "Le quotient familial transmis par la CAF (service CDAP) avec l'accord de la famille, ou "
                        "l'avis d'imposition déposé par la famille ; les inscriptions à la cantine du portail famille."
                    ),
                    "legal_basis": (
                        "Code de l'éducation, article R531-52 (tarifs de la restauration scolaire fixés par la "
                        "collectivité) ; délibération annuelle du conseil municipal fixant la grille des tarifs."
                    ),
                    "dpia_status": "done",
                    "contact": CONTACT,
                    "crpa_mention": mention(TARIFS),
                    "fields": ["service", "personal_data", "risk", "impact_assessments", "technique", "audience"],
                },
            ),
            (
                40,
                "publish",
                {
                    "summary": (
                        "Le prix du repas à la cantine est calculé automatiquement à partir du quotient familial "
                        "transmis par la CAF, selon une grille de dix tranches votée chaque année par le conseil "
                        "municipal. Depuis la rentrée, le tarif le plus bas est d'un euro par repas."
                    ),
                },
            ),
        ],
    },
    {
        "use_case": "Pré-affectation des élèves dans les écoles lors des inscriptions scolaires",
        "steps": [
            (
                380,
                "publish",
                {
                    "name": AFFECTATION,
                    "summary": (
                        "Lors des inscriptions, un programme propose l'école de chaque enfant à partir de l'adresse "
                        "de la famille, de la carte scolaire et des places disponibles. Le service de l'éducation "
                        "vérifie chaque proposition avant de notifier l'affectation."
                    ),
                    "purpose": (
                        "Préparer l'affectation des élèves dans les écoles publiques de la ville en appliquant la "
                        "carte scolaire de façon égale pour toutes les familles."
                    ),
                    "human_intervention": (
                        "Chaque proposition est relue par un agent du service de l'éducation, qui décide de "
                        "l'affectation. Les demandes de dérogation (fratrie, mode de garde, santé) sont examinées "
                        "par une commission, jamais par le programme."
                    ),
                    "data_sources": (
                        "Le dossier d'inscription déposé par la famille (adresse, niveau de l'enfant, frères et "
                        "sœurs déjà scolarisés), la carte scolaire votée par le conseil municipal, les effectifs "
                        "des écoles."
                    ),
                    "legal_basis": (
                        "Code de l'éducation, article L212-7 (ressort des écoles fixé par délibération du conseil "
                        "municipal) et article L131-5 (inscription des enfants à l'école)."
                    ),
                    "dpia_status": "done",
                    # Rules written by people: not an AI system, so no AIDF (AI Act, art. 3(1) and 27).
                    "fria_status": "not_required",
                    "contact": CONTACT,
                    "crpa_mention": mention(AFFECTATION),
                    "fields": ["service", "risk", "impact_assessments", "technique", "audience"],
                },
            ),
        ],
    },
    {
        "use_case": "Suivi et pré-analyse des demandes de subventions des associations",
        "steps": [
            (
                370,
                "publish",
                {
                    "name": SUBVENTIONS,
                    "summary": (
                        "Un assistant d'intelligence artificielle vérifie que les dossiers de demande de subvention "
                        "des associations sont complets et en prépare une fiche de synthèse. Les élus décident des "
                        "subventions ; l'assistant ne note ni ne classe les demandes."
                    ),
                    "purpose": (
                        "Instruire plus vite les demandes de subvention en repérant les pièces manquantes et en "
                        "résumant chaque projet pour la commission qui les examine."
                    ),
                    "human_intervention": (
                        "Un agent de la direction des finances relit chaque fiche de synthèse et le dossier complet "
                        "avant la commission ; l'association est prévenue de toute pièce manquante par un agent."
                    ),
                    "data_sources": (
                        "Le dossier déposé par l'association (formulaire Cerfa 12156, budget du projet, comptes, "
                        "statuts) sur le portail des subventions."
                    ),
                    "legal_basis": (
                        "Code général des collectivités territoriales, article L2311-7 (attribution des subventions "
                        "par le conseil municipal) ; loi n° 2000-321 du 12 avril 2000, article 10."
                    ),
                    "contact": CONTACT,
                    "crpa_mention": mention(SUBVENTIONS),
                    "fields": ["service", "technique", "tool", "hosting", "dates"],
                },
            ),
        ],
    },
    {
        "use_case": "Agent conversationnel du site internet de la ville",
        "steps": [
            (
                388,
                "publish",
                {
                    "name": "Assistant conversationnel du site internet",
                    "summary": (
                        "Sur le site de la ville, un assistant conversationnel répond aux questions sur les "
                        "démarches, les horaires et les services municipaux. Il annonce qu'il est un programme et "
                        "propose à tout moment d'écrire à un agent."
                    ),
                    "purpose": "Répondre à toute heure aux questions courantes des habitants sur les démarches.",
                    "human_intervention": (
                        "L'assistant ne prend aucune décision. Les réponses types sont relues par le service "
                        "communication ; chaque conversation peut être reprise par un agent de l'accueil."
                    ),
                    "data_sources": "Les pages publiques du site de la ville ; aucune donnée des comptes usagers.",
                    "contact": CONTACT,
                    "fields": [
                        "purpose",
                        "service",
                        "human_intervention",
                        "data_sources",
                        "risk",
                        "technique",
                        "tool",
                        "hosting",
                        "audience",
                        "dates",
                    ],
                },
            ),
        ],
    },
    {
        "use_case": "Transcription des séances du conseil municipal",
        "steps": [
            (
                60,
                "publish",
                {
                    "name": "Transcription des séances du conseil municipal",
                    "summary": (
                        "L'enregistrement des séances publiques du conseil municipal est transcrit automatiquement "
                        "pour préparer le procès-verbal, qui est relu et approuvé par le conseil."
                    ),
                    "purpose": "Préparer plus vite le procès-verbal des séances publiques du conseil municipal.",
                    "human_intervention": (
                        "Le secrétariat des assemblées relit la transcription et corrige le projet de procès-verbal ; "
                        "le conseil municipal l'approuve à la séance suivante."
                    ),
                    "data_sources": "L'enregistrement sonore des séances publiques du conseil municipal.",
                    "contact": CONTACT,
                    "fields": [
                        "purpose",
                        "service",
                        "human_intervention",
                        "data_sources",
                        "personal_data",
                        "technique",
                        "tool",
                        "hosting",
                        "audience",
                    ],
                },
            ),
        ],
    },
    {
        "use_case": "Recommandations de lecture personnalisées pour les abonnés des médiathèques",
        "steps": [
            (
                400,
                "publish",
                {
                    "name": "Suggestions de lecture aux abonnés des médiathèques",
                    "summary": (
                        "Le portail des médiathèques proposait aux abonnés qui l'avaient accepté des suggestions de "
                        "lecture à partir de leurs emprunts."
                    ),
                    "purpose": "Faire découvrir aux abonnés des livres, films et disques proches de leurs goûts.",
                    "contact": CONTACT,
                    "fields": ["purpose", "service", "personal_data", "technique", "audience"],
                },
            ),
            (
                150,
                "publish",
                {
                    "summary": (
                        "Le portail des médiathèques proposait aux abonnés qui l'avaient accepté des suggestions de "
                        "lecture à partir de leurs emprunts. Ce service a pris fin avec le marché du portail ; "
                        "l'historique des emprunts utilisé pour les suggestions a été supprimé."
                    ),
                },
            ),
        ],
    },
    {
        "use_case": "Réponses automatiques aux messages privés des réseaux sociaux",
        "steps": [
            (
                385,
                "publish",
                {
                    "name": "Réponses automatiques aux messages sur les réseaux sociaux",
                    "summary": (
                        "Un assistant propose des réponses aux messages privés reçus sur les comptes de la ville "
                        "sur les réseaux sociaux ; il signale qu'il est un programme."
                    ),
                    "contact": CONTACT,
                    "fields": ["service", "risk", "technique", "tool", "audience"],
                },
            ),
            (
                28,
                "withdraw",
                {
                    "reason": (
                        "Usage suspendu le temps d'une nouvelle analyse d'impact et d'un nouveau paramétrage ; "
                        "la fiche sera republiée, mise à jour, s'il reprend."
                    )
                },
            ),
        ],
    },
    {
        "use_case": "Score consultatif pour la commission d'attribution des places en crèche",
        "steps": [
            (
                5,
                "save",
                {
                    "name": "Aide à la préparation de la commission d'attribution des places en crèche",
                    "summary": (
                        "Un barème public calcule des points pour chaque demande de place en crèche ; la commission "
                        "d'attribution s'en sert comme d'un repère et décide de chaque attribution."
                    ),
                    "contact": CONTACT,
                    "fields": ["service", "risk", "impact_assessments", "technique"],
                },
            ),
        ],
    },
]
