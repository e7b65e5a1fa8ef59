"""The human-control checkpoints of the demo collectivité as plain data: its local checkpoint types, who
owns which control, the attestations of the last months, the incidents and the suspension that followed one.

Loaded by `python manage.py seed_demo` after the use cases (demo/register.py), which already carry the
checkpoints their classification requires, owned by the use case's owner. Use cases are named as in
demo/register.py, checkpoints by their type code; dates are counted back from the day of seeding, so the
demo always has controls overdue, controls due within the week and a personal-data breach whose 72-hour
clock is running.
"""

# Use cases of demo/register.py this file refers to.
SITE_CHATBOT = "Agent conversationnel du site internet de la ville"
CCAS_REPLIES = "Préparation des réponses aux usagers du CCAS"
CCAS_SUMMARIES = "Synthèse des comptes rendus d'accompagnement social"
GRANTS = "Suivi et pré-analyse des demandes de subventions des associations"
TRAFFIC_LIGHTS = "Régulation adaptative des feux tricolores"
MAGAZINE_IMAGES = "Illustrations générées par IA pour le magazine municipal"
SOCIAL_MESSAGES = "Réponses automatiques aux messages privés des réseaux sociaux"
DSI_COPILOT = "Assistant de programmation pour les développeurs de la DSI"
SCHOOL_ALLOCATION = "Pré-affectation des élèves dans les écoles lors des inscriptions scolaires"
CANTEEN_PRICES = "Calcul automatique des tarifs de restauration scolaire selon le quotient familial"
CIVIL_STATUS = "Pré-remplissage des demandes d'actes d'état civil"
FALL_DETECTION = "Détection des chutes la nuit à l'EHPAD du CCAS"

ETHICS_REVIEW = "revue-comite-ethique"
ACCESSIBILITY = "controle-accessibilite-rgaa"

# Local checkpoint types: what the collectivité's administrators added to the national catalogue.
LOCAL_TYPES = [
    {
        "code": ETHICS_REVIEW,
        "title": "Revue trimestrielle par le comité d'éthique",
        "practice": (
            "Le comité d'éthique du numérique examine un échantillon de résultats de l'usage, les réclamations "
            "reçues et les écarts constatés entre publics, puis rend un avis écrit au responsable de l'usage."
        ),
        "legal_basis": "Charte de la ville pour une IA de confiance, art. 6 (délibération du conseil municipal).",
        "default_frequency": "quarterly",
        "evidence": "L'avis écrit du comité, daté et signé par sa présidente.",
    },
    {
        "code": ACCESSIBILITY,
        "title": "Contrôle d'accessibilité RGAA des contenus générés",
        "practice": (
            "Un échantillon des contenus générés et publiés (réponses, textes, images) est vérifié selon le "
            "référentiel général d'amélioration de l'accessibilité : alternatives textuelles, structure, "
            "lisibilité, contrastes."
        ),
        "legal_basis": "Loi n° 2005-102 du 11 février 2005, art. 47 ; RGAA 4.1.",
        "default_frequency": "quarterly",
        "evidence": "La grille RGAA remplie pour l'échantillon contrôlé.",
    },
]

# Owners other than the use case's owner: (use case, checkpoint code, owner username or None, frequency or
# None to keep it). None as owner leaves a mandatory control without owner: the use case, approved, cannot
# go into production until someone takes it on.
OWNERS = [
    (CCAS_SUMMARIES, "data_minimisation", "dpo", None),
    (CCAS_SUMMARIES, "source_verification", "agent", None),
    (CCAS_SUMMARIES, "output_review", "chef", "weekly"),
    (CCAS_REPLIES, "output_review", "agent", None),
    (CCAS_REPLIES, "data_minimisation", "chef", None),
    (SITE_CHATBOT, "data_minimisation", "dpo", None),
    (TRAFFIC_LIGHTS, "log_retention", "olivier.marchand", None),
    (FALL_DETECTION, "log_retention", "olivier.marchand", None),
    (CANTEEN_PRICES, "crpa_mention", "dpo", None),
    (CIVIL_STATUS, "crpa_mention", None, None),
]

# Checkpoints reviewers added by hand: (use case, type code, owner username).
MANUAL = [
    (SCHOOL_ALLOCATION, ETHICS_REVIEW, "comite"),
    (CANTEEN_PRICES, ETHICS_REVIEW, "comite"),
    (CCAS_SUMMARIES, ETHICS_REVIEW, "comite"),
    (SITE_CHATBOT, ACCESSIBILITY, "manon.chevalier"),
    (MAGAZINE_IMAGES, ACCESSIBILITY, "hugo.lemoine"),
]

# Attestations by each checkpoint's owner, oldest first: `days_ago` is the day of the control; a correction
# names the day of the attestation it corrects (`corrects`) and is recorded later (`recorded_days_ago`).
# `evidence` is a small PDF made on the fly: its file name and its lines of text.
ATTESTATIONS = {
    (CCAS_REPLIES, "output_review"): [
        {"days_ago": 85, "comment": "20 réponses relues avant envoi, aucune correction de fond."},
        {
            "days_ago": 55,
            "outcome": "issue_found",
            "comment": (
                "Deux réponses citaient un article du CASF abrogé : corrigées avant envoi, modèle de réponse mis "
                "à jour avec le service juridique."
            ),
        },
        {"days_ago": 40, "comment": "20 réponses relues, conformes."},
        {
            "days_ago": 40,
            "corrects": 40,
            "recorded_days_ago": 38,
            "comment": "Correction : le contrôle a porté sur 12 réponses et non 20 (période de congés).",
        },
    ],
    (CCAS_REPLIES, "data_minimisation"): [
        {"days_ago": 75, "comment": "Échantillon de 15 conversations : aucune donnée de santé saisie."},
        {
            "days_ago": 45,
            "outcome": "issue_found",
            "comment": (
                "Un certificat médical avait été copié dans l'outil : conversation supprimée, agente "
                "sensibilisée, rappel de la condition du comité à toute l'équipe."
            ),
        },
    ],
    (CCAS_SUMMARIES, "data_minimisation"): [
        {"days_ago": 55, "comment": "10 synthèses contrôlées : seules les données du dossier concerné."},
        {
            "days_ago": 25,
            "comment": "15 synthèses contrôlées, aucune donnée hors du périmètre approuvé. Grille jointe.",
            "evidence": {
                "name": "controle-minimisation-syntheses-ccas.pdf",
                "lines": [
                    "Ville de Bellerive-sur-Loire - Contrôle de minimisation des données",
                    "Usage : synthèse des comptes rendus d'accompagnement social (CCAS)",
                    "Échantillon : 15 synthèses tirées au hasard dans le mois",
                    "Données hors du périmètre approuvé : aucune",
                    "Contrôle réalisé par la déléguée à la protection des données",
                ],
            },
        },
    ],
    (CCAS_SUMMARIES, "source_verification"): [
        {"days_ago": 57, "comment": "8 synthèses comparées aux comptes rendus d'entretien : fidèles."},
        {"days_ago": 27, "comment": "10 synthèses comparées aux comptes rendus : une date corrigée avant commission."},
    ],
    (CCAS_SUMMARIES, "output_review"): [
        {"days_ago": 20, "comment": "Synthèses de la commission du mardi relues par les référents."},
        {"days_ago": 13, "comment": "Synthèses relues, deux reformulations demandées."},
        {"days_ago": 6, "comment": "Synthèses relues, conformes."},
    ],
    (SITE_CHATBOT, "data_minimisation"): [
        {"days_ago": 70, "comment": "100 conversations parcourues : 3 numéros de téléphone saisis par des habitants."},
        {"days_ago": 40, "comment": "Purge automatique des numéros de téléphone vérifiée sur 100 conversations."},
    ],
    (SITE_CHATBOT, ACCESSIBILITY): [
        {
            "days_ago": 80,
            "outcome": "issue_found",
            "comment": "Les liens proposés par l'agent conversationnel n'ont pas d'intitulé explicite : éditeur saisi.",
        },
    ],
    (FALL_DETECTION, "incident_monitoring"): [
        {
            "days_ago": 62,
            "comment": "Revue des alertes du mois : 38 alertes, 5 fausses ; aucune chute non détectée signalée.",
        },
        {
            "days_ago": 33,
            "outcome": "issue_found",
            "comment": (
                "Une chute dans une salle de bains n'a pas déclenché d'alerte (résidente relevée à la ronde, sans "
                "blessure) : signalée à l'éditeur (AI Act, art. 26(5)) et au correspondant de matériovigilance ; "
                "rondes de nuit rétablies dans les chambres concernées en attendant la correction."
            ),
        },
    ],
    (TRAFFIC_LIGHTS, "log_retention"): [
        {"days_ago": 48, "comment": "Journaux des plans de feux conservés depuis 14 mois ; export vérifié."},
    ],
    (SCHOOL_ALLOCATION, ETHICS_REVIEW): [
        {
            "days_ago": 20,
            "outcome": "issue_found",
            "comment": (
                "Avis du comité : le critère de fratrie favorise deux écoles ; documenter les dérogations "
                "accordées et présenter les chiffres à la prochaine revue."
            ),
        },
    ],
    (DSI_COPILOT, "output_review"): [
        {"days_ago": 31, "comment": "Revue de code systématique vérifiée sur les 25 dernières fusions."},
    ],
}

# A never-attested checkpoint of a live use case gets its first due date from this cycle (days from the day
# of seeding, capped to one period): some overdue, some due within the week, most later.
FIRST_DUE_IN_DAYS = (-18, 9, 40, 2, -6, 25, 55, -40, 14, 5, 70, -3, 33, 20)

# Incidents (AI Act art. 26(5)): `hours_ago` is when it happened, `reported_hours_ago` when it was recorded.
INCIDENTS = [
    {
        "use_case": GRANTS,
        "reported_by": "sylvie.durand",
        "hours_ago": 33 * 24,
        "reported_hours_ago": 33 * 24 - 3,
        "severity": "minor",
        "persons_affected": 1,
        "personal_data_breach": False,
        "description": (
            "La synthèse d'un dossier de subvention n'a pas signalé l'absence du budget prévisionnel ; "
            "l'instructeur l'a relevé en vérifiant le dossier source."
        ),
        "actions_taken": "Consigne ajoutée au modèle d'instruction : contrôler la liste des pièces dans le dossier.",
    },
    {
        "use_case": SITE_CHATBOT,
        "reported_by": "manon.chevalier",
        "hours_ago": 18,
        "reported_hours_ago": 16,
        "severity": "serious",
        "persons_affected": 2,
        "personal_data_breach": True,
        "description": (
            "L'agent conversationnel a repris dans une réponse à un habitant le nom et le numéro de téléphone "
            "d'un autre habitant, saisis par celui-ci dans une conversation précédente."
        ),
        "actions_taken": (
            "Mémoire des conversations désactivée chez l'éditeur, conversations concernées purgées, DPO "
            "saisie pour évaluer la notification à la CNIL."
        ),
    },
    {
        "use_case": SOCIAL_MESSAGES,
        "reported_by": "hugo.lemoine",
        "hours_ago": 30 * 24,
        "reported_hours_ago": 30 * 24 - 5,
        "severity": "serious",
        "persons_affected": 37,
        "personal_data_breach": False,
        "description": (
            "Des réponses automatiques ont donné à 37 familles des dates d'inscription scolaire erronées ; des "
            "messages contenant des données personnelles ont été transmis à un outil autorisé seulement "
            "jusqu'au niveau C1."
        ),
        "actions_taken": "Réponses automatiques coupées ; les familles ont été recontactées par le service scolaire.",
    },
]

# Use cases the DPO suspended after a serious incident: (use case, actor, days ago, reason).
SUSPENSIONS = [
    (
        SOCIAL_MESSAGES,
        "dpo",
        29,
        "Incident grave : réponses erronées envoyées aux familles et données personnelles au-delà du niveau "
        "autorisé pour l'outil. Reprise seulement après une nouvelle analyse d'impact et un nouveau paramétrage.",
    ),
]

# `seed_demo --checkpoints N` (benchmarks): the use cases that carry them and the people who own them.
SYNTHETIC_USE_CASE_PREFIX = "Usage contrôlé synthétique"
SYNTHETIC_OWNER_PREFIX = "controleur.synthetique"
SYNTHETIC_CHECKPOINTS_PER_OWNER = 25
# Frequencies of the synthetic checkpoints (weights) and the spread of their next due dates, in days.
SYNTHETIC_FREQUENCIES = {"each_use": 5, "weekly": 10, "monthly": 45, "quarterly": 30, "yearly": 10}
SYNTHETIC_DUE_RANGE = (-60, 30)
