"""The demo collectivité as plain data: Ville de Bellerive-sur-Loire (fictional), its services, people,
AI tool catalogue, AI use cases and the shadow-AI declarations of its agents, drawn from situations real
collectivités describe.

Loaded by `python manage.py seed_demo`. Names, summaries, purposes and answers are data, in French. Use
cases give their fields as first declared; `edits` are later changes (actor, fields) recorded through
`services.use_case_update`, so the history panel shows before and after. `REVIEW_STORIES` tell, step by
dated step, how each use case past the draft reached its status (submission, DPO and RSSI opinions, the
ethics committee's sessions, votes and opinions, conditions, production); `COMMITTEE` and `SESSIONS` are
the committee's members and meetings. Declarations give what the agent answered and the triage actions
that followed.
"""

import uuid
from datetime import date

# Demo users with these usernames hold one role each; the README and the tests rely on them.
ROLE_USERNAMES = ("agent", "chef", "dpo", "rssi", "comite", "dgs", "admin")

# Name prefix of the synthetic use cases added by `seed_demo --use-cases N` (benchmarks).
SYNTHETIC_PREFIX = "Usage synthétique"

COLLECTIVITE = {
    "slug": "bellerive-sur-loire",
    "name": "Ville de Bellerive-sur-Loire",
    # Fictional: département 99 has no commune; the check digit is valid (Luhn).
    "siren": "219905122",
    "kind": "commune",
    "population": 30412,
    "agents_count": 612,
    "dpo_name": "Claire Dumont",
    "dpo_email": "dpo@bellerive-sur-loire.example.org",
    "rssi_name": "Thomas Lefèvre",
    "rssi_email": "rssi@bellerive-sur-loire.example.org",
    "primary_colour": "#1f5f5b",
}

# (code, name, parent code), parents first.
SERVICES = [
    ("DGS", "Direction générale des services", None),
    ("MINNOV", "Mission innovation et transformation numérique", "DGS"),
    ("ASS", "Assemblées et affaires juridiques", "DGS"),
    ("DRH", "Direction des ressources humaines", None),
    ("DSOL", "Direction des solidarités", None),
    ("CCAS", "Centre communal d'action sociale (CCAS)", "DSOL"),
    ("LOG", "Service logement", "DSOL"),
    ("DEEJ", "Direction de l'éducation, de l'enfance et de la jeunesse", None),
    ("DCOM", "Direction de la communication", None),
    ("DSI", "Direction des systèmes d'information", None),
    ("DFIN", "Direction des finances", None),
    ("DEP", "Direction de l'espace public", None),
    ("VOIR", "Voirie et mobilités", "DEP"),
    ("PROP", "Propreté et collecte des déchets", "DEP"),
    ("ECL", "Éclairage public", "DEP"),
    ("PM", "Police municipale et médiation", None),
    ("ACC", "Accueil, état civil et France services", None),
    ("CULT", "Culture et médiathèques", None),
]

# roles: (role code, service code or None).
USERS = [
    # One demo user per role.
    {
        "username": "agent",
        "first_name": "Léa",
        "last_name": "Girard",
        "job_title": "Conseillère en économie sociale et familiale",
        "roles": [("agent", "CCAS")],
    },
    {
        "username": "chef",
        "first_name": "Karim",
        "last_name": "Benali",
        "job_title": "Directeur des solidarités",
        "roles": [("head_of_service", "DSOL")],
    },
    {
        "username": "dpo",
        "first_name": "Claire",
        "last_name": "Dumont",
        "job_title": "Déléguée à la protection des données",
        "roles": [("dpo", None)],
    },
    {
        "username": "rssi",
        "first_name": "Thomas",
        "last_name": "Lefèvre",
        "job_title": "Responsable de la sécurité des systèmes d'information",
        "roles": [("rssi", None)],
    },
    {
        "username": "comite",
        "first_name": "Hélène",
        "last_name": "Moreau",
        "job_title": "Juriste, présidente du comité d'éthique du numérique",
        "roles": [("ethics_committee", None)],
    },
    {
        "username": "dgs",
        "first_name": "Philippe",
        "last_name": "Garnier",
        "job_title": "Directeur général des services",
        "roles": [("dgs", None)],
    },
    {
        "username": "admin",
        "first_name": "Sophie",
        "last_name": "Lambert",
        "job_title": "Administratrice fonctionnelle du Registre IA",
        "roles": [("admin", None)],
        "superuser": True,
    },
    # The people who carry the use cases.
    {
        "username": "nathalie.roux",
        "first_name": "Nathalie",
        "last_name": "Roux",
        "job_title": "Directrice des ressources humaines",
        "roles": [("head_of_service", "DRH")],
    },
    {
        "username": "julien.faure",
        "first_name": "Julien",
        "last_name": "Faure",
        "job_title": "Chargé de recrutement",
        "roles": [("agent", "DRH")],
    },
    {
        "username": "martine.blanc",
        "first_name": "Martine",
        "last_name": "Blanc",
        "job_title": "Responsable du CCAS",
        "roles": [("head_of_service", "CCAS")],
    },
    {
        "username": "samir.haddad",
        "first_name": "Samir",
        "last_name": "Haddad",
        "job_title": "Instructeur des aides sociales",
        "roles": [("agent", "CCAS")],
    },
    {
        "username": "isabelle.petit",
        "first_name": "Isabelle",
        "last_name": "Petit",
        "job_title": "Chargée des attributions de logements",
        "roles": [("agent", "LOG")],
    },
    {
        "username": "antoine.mercier",
        "first_name": "Antoine",
        "last_name": "Mercier",
        "job_title": "Directeur de l'éducation, de l'enfance et de la jeunesse",
        "roles": [("head_of_service", "DEEJ")],
    },
    {
        "username": "celine.robin",
        "first_name": "Céline",
        "last_name": "Robin",
        "job_title": "Responsable des inscriptions scolaires",
        "roles": [("agent", "DEEJ")],
    },
    {
        "username": "manon.chevalier",
        "first_name": "Manon",
        "last_name": "Chevalier",
        "job_title": "Directrice de la communication",
        "roles": [("head_of_service", "DCOM")],
    },
    {
        "username": "hugo.lemoine",
        "first_name": "Hugo",
        "last_name": "Lemoine",
        "job_title": "Chargé de communication numérique",
        "roles": [("agent", "DCOM")],
    },
    {
        "username": "olivier.marchand",
        "first_name": "Olivier",
        "last_name": "Marchand",
        "job_title": "Directeur des systèmes d'information",
        "roles": [("head_of_service", "DSI")],
    },
    {
        "username": "yanis.bernard",
        "first_name": "Yanis",
        "last_name": "Bernard",
        "job_title": "Développeur",
        "roles": [("agent", "DSI")],
    },
    {
        "username": "sylvie.durand",
        "first_name": "Sylvie",
        "last_name": "Durand",
        "job_title": "Directrice des finances",
        "roles": [("head_of_service", "DFIN")],
    },
    {
        "username": "pascal.fontaine",
        "first_name": "Pascal",
        "last_name": "Fontaine",
        "job_title": "Directeur de l'espace public",
        "roles": [("head_of_service", "DEP")],
    },
    {
        "username": "romain.gauthier",
        "first_name": "Romain",
        "last_name": "Gauthier",
        "job_title": "Responsable de l'éclairage public",
        "roles": [("agent", "ECL")],
    },
    {
        "username": "laurent.perrin",
        "first_name": "Laurent",
        "last_name": "Perrin",
        "job_title": "Responsable de la collecte des déchets",
        "roles": [("agent", "PROP")],
    },
    {
        "username": "eric.masson",
        "first_name": "Éric",
        "last_name": "Masson",
        "job_title": "Chef de service de la police municipale",
        "roles": [("head_of_service", "PM")],
    },
    {
        "username": "nadia.cherif",
        "first_name": "Nadia",
        "last_name": "Chérif",
        "job_title": "Responsable de l'accueil, de l'état civil et de France services",
        "roles": [("head_of_service", "ACC")],
    },
    {
        "username": "agnes.colin",
        "first_name": "Agnès",
        "last_name": "Colin",
        "job_title": "Directrice des médiathèques",
        "roles": [("head_of_service", "CULT")],
    },
    {
        "username": "benoit.renaud",
        "first_name": "Benoît",
        "last_name": "Renaud",
        "job_title": "Chargé de mission innovation numérique",
        "roles": [("agent", "MINNOV")],
    },
    {
        "username": "camille.roussel",
        "first_name": "Camille",
        "last_name": "Roussel",
        "job_title": "Responsable des assemblées",
        "roles": [("agent", "ASS")],
    },
    # Agents who declare the AI tools they already use (shadow AI).
    {
        "username": "sarah.klein",
        "first_name": "Sarah",
        "last_name": "Klein",
        "job_title": "Assistante de service social",
        "roles": [("agent", "CCAS")],
    },
    {
        "username": "florian.garcia",
        "first_name": "Florian",
        "last_name": "Garcia",
        "job_title": "Technicien réseaux et support",
        "roles": [("agent", "DSI")],
    },
    {
        "username": "thierry.leroy",
        "first_name": "Thierry",
        "last_name": "Leroy",
        "job_title": "Brigadier-chef de police municipale",
        "roles": [("agent", "PM")],
    },
    {
        "username": "kevin.noel",
        "first_name": "Kévin",
        "last_name": "Noël",
        "job_title": "Technicien voirie",
        "roles": [("agent", "VOIR")],
    },
    {
        "username": "marc.dubois",
        "first_name": "Marc",
        "last_name": "Dubois",
        "job_title": "Contrôleur de gestion",
        "roles": [("agent", "DFIN")],
    },
    {
        "username": "ines.lopez",
        "first_name": "Inès",
        "last_name": "Lopez",
        "job_title": "Conseillère France services",
        "roles": [("agent", "ACC")],
    },
    {
        "username": "amandine.vidal",
        "first_name": "Amandine",
        "last_name": "Vidal",
        "job_title": "Bibliothécaire, responsable des animations",
        "roles": [("agent", "CULT")],
    },
    # The other members of the ethics committee (seated through `services.committee_member_add`, which gives
    # them the committee role). External members have their own address.
    {
        "username": "francoise.lemaire",
        "first_name": "Françoise",
        "last_name": "Lemaire",
        "job_title": "Adjointe au maire déléguée à la démocratie locale et au numérique",
        "roles": [],
    },
    {
        "username": "mathieu.caron",
        "first_name": "Mathieu",
        "last_name": "Caron",
        "job_title": "Maître de conférences en informatique, université d'Orléans",
        "email": "mathieu.caron@univ-orleans.example.org",
        "roles": [],
    },
    {
        "username": "fatou.diallo",
        "first_name": "Fatou",
        "last_name": "Diallo",
        "job_title": "Présidente de l'association Bellerive Numérique Solidaire",
        "email": "fatou.diallo@bellerive-numerique-solidaire.example.org",
        "roles": [],
    },
    {
        "username": "guillaume.roche",
        "first_name": "Guillaume",
        "last_name": "Roche",
        "job_title": "Travailleur social, référent RSA au CCAS",
        "roles": [("agent", "CCAS")],
    },
]

TOOLS = [
    {
        "name": "ChatGPT (comptes gratuits ou personnels)",
        "vendor": "OpenAI",
        "category": "general_chatbot",
        "url": "https://chatgpt.com/",
        "hosting_zone": "non_eu",
        "hosting_qualification": "none",
        "provider_reuse_disabled": False,
        "status": "prohibited",
        "max_data_classification": "C0",
        "description": "Agent conversationnel généraliste utilisé avec un compte personnel.",
        "conditions": (
            "Interdit pour tout usage professionnel : données hébergées hors de l'Union européenne et "
            "réutilisées pour l'entraînement des modèles. Utiliser Albert ou Le Chat Pro."
        ),
    },
    {
        "name": "ChatGPT Enterprise",
        "vendor": "OpenAI",
        "category": "general_chatbot",
        "url": "https://openai.com/chatgpt/enterprise/",
        "hosting_zone": "eu",
        "hosting_qualification": "none",
        "provider_reuse_disabled": True,
        "status": "restricted",
        "max_data_classification": "C1",
        "description": "Offre entreprise avec résidence des données en Europe ; licences en expérimentation.",
        "conditions": "Dix licences pour la communication et la DSI ; aucune donnée personnelle.",
    },
    {
        "name": "Le Chat Pro",
        "vendor": "Mistral AI",
        "category": "general_chatbot",
        "url": "https://chat.mistral.ai/",
        "hosting_zone": "eu",
        "hosting_qualification": "none",
        "provider_reuse_disabled": True,
        "status": "approved",
        "max_data_classification": "C1",
        "description": "Agent conversationnel généraliste, compte professionnel de la collectivité.",
        "conditions": "Comptes professionnels uniquement, entraînement sur les données désactivé.",
    },
    {
        "name": "Albert",
        "vendor": "DINUM",
        "category": "general_chatbot",
        "url": "https://albert.numerique.gouv.fr/",
        "hosting_zone": "fr",
        "hosting_qualification": "secnumcloud",
        "provider_reuse_disabled": True,
        "status": "approved",
        "max_data_classification": "C2",
        "description": "IA générative de l'État, ouverte aux agents publics et aux conseillers France services.",
        "conditions": "Accès par compte nominatif ; données sensibles possibles jusqu'à C2, jamais au-delà.",
    },
    {
        "name": "Microsoft 365 Copilot",
        "vendor": "Microsoft",
        "category": "office_suite_feature",
        "url": "https://www.microsoft.com/fr-fr/microsoft-365/copilot",
        "hosting_zone": "eu",
        "hosting_qualification": "none",
        "provider_reuse_disabled": True,
        "status": "restricted",
        "max_data_classification": "C1",
        "description": "Assistant intégré à la suite bureautique (Word, Excel, Outlook, Teams).",
        "conditions": "Licences attribuées aux directions des finances et de la DGS ; documents internes seulement.",
    },
    {
        "name": "DeepL Pro",
        "vendor": "DeepL SE",
        "category": "translation",
        "url": "https://www.deepl.com/pro",
        "hosting_zone": "eu",
        "hosting_qualification": "none",
        "provider_reuse_disabled": True,
        "status": "approved",
        "max_data_classification": "C1",
        "description": "Traduction de textes et de documents.",
        "conditions": "Documents anonymisés ; relecture humaine avant envoi.",
    },
    {
        "name": "Scribe — transcription des réunions",
        "vendor": "Verbatim Public SAS",
        "category": "transcription",
        "hosting_zone": "on_premise",
        "hosting_qualification": "none",
        "provider_reuse_disabled": True,
        "status": "approved",
        "max_data_classification": "C2",
        "description": "Transcription et compte rendu de réunions, installé sur les serveurs de la ville.",
        "conditions": "Participants informés de l'enregistrement ; enregistrements effacés après 30 jours.",
    },
    {
        "name": "Whisper (instance interne)",
        "vendor": "OpenAI (modèle libre), exploité par la DSI",
        "category": "transcription",
        "url": "https://github.com/openai/whisper",
        "hosting_zone": "on_premise",
        "hosting_qualification": "none",
        "provider_reuse_disabled": True,
        "status": "approved",
        "max_data_classification": "C2",
        "description": "Modèle libre de reconnaissance vocale exécuté sur un serveur de la DSI.",
    },
    {
        "name": "Adobe Firefly",
        "vendor": "Adobe",
        "category": "image",
        "url": "https://www.adobe.com/fr/products/firefly.html",
        "hosting_zone": "non_eu",
        "hosting_qualification": "none",
        "provider_reuse_disabled": True,
        "status": "restricted",
        "max_data_classification": "C0",
        "description": "Génération d'images et d'illustrations.",
        "conditions": "Direction de la communication seulement ; images étiquetées « générée par IA ».",
    },
    {
        "name": "GitHub Copilot Business",
        "vendor": "GitHub (Microsoft)",
        "category": "code",
        "url": "https://github.com/features/copilot",
        "hosting_zone": "non_eu",
        "hosting_qualification": "none",
        "provider_reuse_disabled": True,
        "status": "restricted",
        "max_data_classification": "C1",
        "description": "Assistant de programmation dans l'éditeur de code.",
        "conditions": "Développeurs de la DSI seulement ; aucun secret ni donnée de production dans le code.",
    },
    {
        "name": "Dialogue Citoyen",
        "vendor": "Parlons Territoires SAS",
        "category": "general_chatbot",
        "hosting_zone": "fr",
        "hosting_qualification": "none",
        "provider_reuse_disabled": True,
        "status": "approved",
        "max_data_classification": "C2",
        "description": "Agent conversationnel pour le site internet de la ville, alimenté par les pages validées.",
        "conditions": "Mention « vous échangez avec une IA » visible ; conversations conservées 3 mois.",
    },
    {
        "name": "Solis — gestion de l'action sociale",
        "vendor": "Logiciels Territoriaux SAS",
        "category": "business_software",
        "hosting_zone": "fr",
        "hosting_qualification": "hds",
        "provider_reuse_disabled": True,
        "status": "approved",
        "max_data_classification": "C2",
        "description": (
            "Logiciel métier du CCAS, hébergé par l'éditeur chez un hébergeur certifié HDS, avec un module d'aide à "
            "l'instruction par apprentissage automatique et un module de synthèse des comptes rendus d'entretien."
        ),
        "conditions": "Module d'aide à l'instruction activé seulement après avis du comité d'éthique.",
    },
    {
        "name": "Optitournée",
        "vendor": "Optitournée SAS",
        "category": "business_software",
        "hosting_zone": "fr",
        "hosting_qualification": "none",
        "provider_reuse_disabled": True,
        "status": "under_review",
        "max_data_classification": "C1",
        "description": "Optimisation des tournées de collecte à partir des capteurs de remplissage des bacs.",
    },
    {
        "name": "Luminis — pilotage de l'éclairage et des carrefours",
        "vendor": "Luminis SAS",
        "category": "business_software",
        "hosting_zone": "fr",
        "hosting_qualification": "none",
        "provider_reuse_disabled": True,
        "status": "approved",
        "max_data_classification": "C1",
        "description": "Supervision de l'éclairage public et des feux tricolores à partir de capteurs de trafic.",
    },
    {
        "name": "DeepL Voice",
        "vendor": "DeepL SE",
        "category": "translation",
        "url": "https://www.deepl.com/voice",
        "hosting_zone": "eu",
        "hosting_qualification": "none",
        "provider_reuse_disabled": True,
        "status": "restricted",
        "max_data_classification": "C2",
        "description": "Traduction vocale en direct d'une conversation, sur tablette.",
        "conditions": "Accueil du CCAS et France services seulement ; jamais pour un entretien portant sur la santé.",
    },
    {
        "name": "MoodSense",
        "vendor": "MoodSense SAS",
        "category": "other",
        "hosting_zone": "non_eu",
        "hosting_qualification": "none",
        "provider_reuse_disabled": False,
        "status": "prohibited",
        "max_data_classification": "C0",
        "description": "« Baromètre d'humeur » analysant les visages et les voix pendant les visioconférences.",
        "conditions": "Interdit : reconnaissance des émotions sur le lieu de travail (AI Act, art. 5(1)(f)).",
    },
    {
        "name": "Veille Nuit — détection des chutes",
        "vendor": "Veille Nuit Santé SAS",
        "category": "other",
        "hosting_zone": "fr",
        "hosting_qualification": "hds",
        "provider_reuse_disabled": True,
        "status": "approved",
        "max_data_classification": "C2",
        "description": (
            "Capteurs optiques installés dans les chambres d'EHPAD qui détectent les chutes et alertent l'équipe de "
            "nuit ; dispositif médical de classe IIa, marqué CE après évaluation par un organisme notifié."
        ),
        "conditions": "EHPAD du CCAS seulement ; chambre équipée avec l'accord du résident ou de son représentant.",
    },
]

INVENTORY_COMMENT = "Inventaire des usages existants, mené par la DPO."

# The plain facts of the guided qualification (DOMAIN.md 3b), as each owner answered them. Most uses share these
# answers: a vendor's tool used as its vendor intends, without CE marking, founding no decision about a person,
# assessing and watching no one, outside the activities of the CNIL's list; `plain_facts` gives the others. The
# facts derive the legal inputs each use case gives below (the texts' qualification, checked by the tests), except
# where the DPO set one herself (a `qualify` step of its story) or where an answer is « Je ne sais pas ».
COMMON_FACTS = {
    "keeps_learning_in_use": "no",
    "origin": "vendor_as_intended",
    "ce_marked_product": "no",
    "effect_on_people": "no_decision_about_persons",
    "decides_on_individual_cases": "no",
    "assesses_persons": "no",
    "watches_people": "no",
    "sensitive_contexts": ["none"],
}
TEXT = ["generates_text"]
LEARNED = ["learned_from_data"]
# A scale or rules written by agents: whether it keeps learning is not asked.
WRITTEN_RULES = {"produces_by": ["written_rules"], "keeps_learning_in_use": None}


def plain_facts(**answers) -> dict:
    """The common answers, with those given instead (None: a question not asked)."""
    return {name: value for name, value in {**COMMON_FACTS, **answers}.items() if value is not None}


# Each use case: identity and ownership (service and tool by code/name, owner by username), status, the
# classification inputs (codes of DOMAIN.md; omitted ones take the model defaults, hosting comes from the
# tool), and `edits` made after the first declaration.
USE_CASES = [
    {
        "name": "Agent conversationnel du site internet de la ville",
        "service": "DCOM",
        "owner": "manon.chevalier",
        "tool": "Dialogue Citoyen",
        "status": "in_production",
        "start_date": date(2024, 3, 4),
        "summary": (
            "Un agent conversationnel répond jour et nuit, sur le site de la ville, aux questions courantes "
            "des habitants : horaires, démarches, collecte des déchets, inscriptions. Il se présente comme une "
            "IA et oriente vers un agent dès que la question sort de son périmètre."
        ),
        "purpose": (
            "Désengorger l'accueil téléphonique et répondre en dehors des heures d'ouverture aux questions "
            "qui reviennent le plus souvent."
        ),
        "description": (
            "Les réponses sont générées à partir des pages du site et d'une foire aux questions validée par "
            "chaque service. L'agent conversationnel ne traite aucune démarche : il renvoie vers le bon "
            "formulaire ou le bon interlocuteur."
        ),
        "data_sources": "Pages du site de la ville, foire aux questions validée ; questions saisies par les usagers.",
        "lawful_basis": "Mission d'intérêt public (RGPD, art. 6(1)(e)) : information des usagers.",
        "human_oversight": "",
        "facts": plain_facts(produces_by=TEXT, affects="public", policy_areas=["public_information"]),
        "technique": "genai_text",
        "audience": "public",
        "art50_features": ["chatbot"],
        "max_data_classification": "C1",
        "edits": [
            (
                "dpo",
                {
                    "personal_data_categories": ["ordinary"],
                    "max_data_classification": "C2",
                    "processing_record_ref": "RT-2024-017",
                    "human_oversight": (
                        "La communication relit chaque semaine un échantillon de conversations et met à jour "
                        "les réponses validées ; les questions sans réponse sont transmises à l'accueil."
                    ),
                },
            ),
        ],
    },
    {
        "name": "Aide à la rédaction des courriers, notes et comptes rendus avec Albert",
        "service": "MINNOV",
        "owner": "benoit.renaud",
        "tool": "Albert",
        "status": "in_production",
        "start_date": date(2024, 11, 4),
        "summary": (
            "Les agents utilisent Albert pour préparer des trames de courriers, de notes de synthèse et de "
            "discours. Chaque texte est relu, corrigé et signé par un agent avant d'être envoyé."
        ),
        "purpose": "Gagner du temps sur la rédaction administrative et améliorer la clarté des courriers.",
        "human_oversight": "Relecture systématique par l'agent rédacteur puis par son responsable.",
        "facts": plain_facts(produces_by=TEXT, affects="agents", policy_areas=["internal_work"]),
        "technique": "genai_text",
        "audience": "agents",
        "personal_data_categories": ["ordinary"],
        "max_data_classification": "C2",
    },
    {
        "name": "Préparation des réponses aux usagers du CCAS",
        "service": "CCAS",
        "owner": "samir.haddad",
        "tool": "Albert",
        "status": "approved_with_conditions",
        "start_date": date(2025, 2, 3),
        "summary": (
            "Albert propose un premier jet de réponse aux courriers et messages des usagers du CCAS. Le "
            "travailleur social complète, corrige et signe la réponse."
        ),
        "purpose": "Réduire le délai de réponse aux usagers et consacrer plus de temps à l'accompagnement.",
        "data_sources": "Courrier ou message de l'usager, modèles de réponse du CCAS.",
        "lawful_basis": "Mission d'intérêt public (RGPD, art. 6(1)(e)) ; CASF, art. L123-5.",
        "processing_record_ref": "RT-2023-004",
        "human_oversight": "Chaque réponse est relue et signée par un travailleur social.",
        "facts": plain_facts(
            produces_by=TEXT, affects="agents", policy_areas=["internal_work"], sensitive_contexts=["social_support"]
        ),
        "technique": "genai_text",
        "audience": "agents",
        # Persons in a precarious situation, within the CCAS's social support (CNIL list, délibération 2018-327).
        "personal_data_categories": ["ordinary", "financial", "minors_vulnerable"],
        "cnil_list_types": ["social_support"],
        "max_data_classification": "C2",
        "edits": [
            (
                "chef",
                {
                    "human_oversight": (
                        "Chaque réponse est relue et signée par un travailleur social. Condition du comité : "
                        "aucune donnée de santé n'est saisie dans l'outil."
                    ),
                },
            ),
        ],
    },
    {
        "name": "Score d'aide à l'instruction des demandes d'aide sociale facultative",
        "service": "CCAS",
        "owner": "martine.blanc",
        "tool": "Solis — gestion de l'action sociale",
        "status": "submitted",
        "summary": (
            "Le module d'aide à l'instruction du logiciel du CCAS calcule, pour chaque demande d'aide "
            "facultative, un score de priorité à partir des ressources et de la composition du foyer. "
            "L'instructeur voit le score et décide."
        ),
        "purpose": "Harmoniser l'instruction des demandes et traiter plus vite les situations urgentes.",
        "description": (
            "Le score croise les données déclarées avec celles de la CAF. Le comité d'éthique doit examiner "
            "les critères, les pondérations et le risque de biais avant toute activation."
        ),
        "data_sources": "Dossier de demande, données CAF (quotient familial), historique des aides du CCAS.",
        "lawful_basis": "Mission d'intérêt public ; règlement des aides facultatives du CCAS.",
        "processing_record_ref": "RT-2023-004",
        "decisions_per_year": 1400,
        "human_oversight": "L'instructeur décide ; la commission permanente valide les aides au-delà de 300 €.",
        "facts": plain_facts(
            produces_by=LEARNED,
            affects="public",
            policy_areas=["social_benefits"],
            task_kind="assesses_or_recommends",
            effect_on_people="applied_without_agent",
            decides_on_individual_cases="yes",
            on_administrative_appeals="no",
            assesses_persons="yes",
            sensitive_contexts=["social_support"],
        ),
        "technique": "ml_predictive",
        "audience": "public",
        "annex_iii_point": "5a",
        "automation_level": "fully_automated",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary", "financial", "minors_vulnerable"],
        "profiling": True,
        "dataset_matching": True,
        "cnil_list_types": ["social_support"],
        "max_data_classification": "C2",
        "edits": [
            (
                "dpo",
                {
                    # The instructor decides, but usually follows the score: it weighs decisively (CJEU C-634/21).
                    "effect_on_people": "agent_usually_follows",
                    "automation_level": "determining",
                    "human_oversight": (
                        "L'instructeur décide et peut s'écarter du score en motivant ; la commission "
                        "permanente valide les aides au-delà de 300 €."
                    ),
                },
            ),
        ],
    },
    {
        "name": "Synthèse des comptes rendus d'accompagnement social",
        "service": "CCAS",
        "owner": "martine.blanc",
        "tool": "Solis — gestion de l'action sociale",
        "status": "in_production",
        "start_date": date(2025, 1, 6),
        "summary": (
            "Avant une commission, le module de synthèse du logiciel du CCAS résume les comptes rendus d'entretien "
            "du dossier d'un usager accompagné. Le travailleur social vérifie le résumé avant de le présenter."
        ),
        "description": (
            "Les comptes rendus mentionnent la santé des personnes accompagnées : ces données, recueillies pour "
            "leur suivi social, ne peuvent être confiées qu'à un hébergeur certifié HDS (code de la santé publique, "
            "art. L1111-8). Un assistant généraliste, même qualifié SecNumCloud, ne convient donc pas."
        ),
        "purpose": "Préparer plus vite les commissions sans perdre d'information utile.",
        "lawful_basis": (
            "Mission d'intérêt public ; RGPD, art. 9(2)(h) (prise en charge sociale) ; secret professionnel "
            "(CASF, art. L133-5)."
        ),
        "processing_record_ref": "RT-2023-004",
        "human_oversight": "Le travailleur social référent relit et corrige chaque synthèse.",
        "facts": plain_facts(
            produces_by=TEXT,
            affects="agents",
            policy_areas=["internal_work"],
            sensitive_contexts=["care", "social_support"],
        ),
        "technique": "genai_text",
        "audience": "agents",
        "personal_data_categories": ["ordinary", "health", "minors_vulnerable"],
        "care_context": True,
        "cnil_list_types": ["social_support"],
        "max_data_classification": "C2",
    },
    {
        "name": "Traduction des courriers pour les usagers non francophones",
        "service": "CCAS",
        "owner": "agent",
        "tool": "DeepL Pro",
        "status": "draft",
        "summary": (
            "Les courriers types du CCAS (convocations, listes de pièces à fournir) sont traduits en arabe, "
            "en anglais et en ukrainien pour les usagers qui ne lisent pas le français."
        ),
        "purpose": "Que les usagers comprennent les démarches sans attendre un interprète.",
        "human_oversight": "Les courriers sont anonymisés avant traduction ; un agent bilingue relit.",
        "facts": plain_facts(produces_by=TEXT, affects="public", policy_areas=["internal_work"]),
        "technique": "genai_text",
        "audience": "public",
        "max_data_classification": "C1",
    },
    {
        "name": "Tri et synthèse des candidatures pour un poste d'animateur",
        "service": "DRH",
        "owner": "julien.faure",
        "tool": "Le Chat Pro",
        "status": "submitted",
        "summary": (
            "Pour un poste d'animateur qui reçoit environ 80 candidatures, l'IA classe les dossiers selon les "
            "critères de la fiche de poste, résume chaque profil et propose une grille d'entretien. Le jury "
            "choisit les candidats reçus."
        ),
        "purpose": "Réduire le temps de présélection et rendre les critères de choix plus lisibles.",
        "data_sources": "CV et lettres de motivation, fiche de poste.",
        "lawful_basis": (
            "Exécution de mesures précontractuelles (RGPD, art. 6(1)(b)) ; code général de la fonction publique."
        ),
        "description": (
            "L'assistant est un système d'IA à usage général : l'employer pour classer des candidatures en change la "
            "destination et en fait un système à haut risque dont la ville devient le fournisseur (AI Act, "
            "art. 25(1)(c)) : documentation technique, évaluation de la conformité et enregistrement avant usage."
        ),
        "decisions_per_year": 900,
        "human_oversight": "Le jury consulte tous les dossiers, pas seulement les mieux classés.",
        "facts": plain_facts(
            produces_by=TEXT,
            origin="vendor_repurposed",
            affects="both",
            policy_areas=["recruitment"],
            task_kind="assesses_or_recommends",
            effect_on_people="agent_usually_follows",
            decides_on_individual_cases="yes",
            on_administrative_appeals="no",
            assesses_persons="yes",
        ),
        "technique": "genai_text",
        "ai_act_role": "provider",
        "audience": "both",
        "annex_iii_point": "4a",
        "automation_level": "determining",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary"],
        "profiling": True,
        "max_data_classification": "C2",
        "edits": [
            (
                "julien.faure",
                {
                    "tool": "Albert",
                    "hosting_zone": "fr",
                    "hosting_qualification": "secnumcloud",
                    "processing_record_ref": "RT-2022-031",
                },
            ),
        ],
    },
    {
        "name": "Anonymisation des CV avant transmission au jury de recrutement",
        "service": "DRH",
        "owner": "julien.faure",
        "tool": "Albert",
        "status": "approved",
        "start_date": date(2025, 4, 1),
        "summary": (
            "L'IA retire des CV le nom, l'âge, l'adresse et la photo avant leur transmission au jury, pour "
            "limiter les biais. Elle ne classe pas et n'évalue pas les candidats."
        ),
        "purpose": "Lutter contre les discriminations à l'embauche.",
        "lawful_basis": "Exécution de mesures précontractuelles (RGPD, art. 6(1)(b)).",
        "processing_record_ref": "RT-2022-031",
        "human_oversight": "Le chargé de recrutement contrôle chaque CV anonymisé avant transmission.",
        "facts": plain_facts(
            produces_by=TEXT, affects="agents", policy_areas=["recruitment"], task_kind="narrow_procedural"
        ),
        "technique": "genai_text",
        "audience": "agents",
        "annex_iii_point": "4a",
        "art6_3_ground": "a",
        "personal_data_categories": ["ordinary"],
        "max_data_classification": "C2",
    },
    {
        "name": "Rédaction des fiches de poste et des grilles d'entretien",
        "service": "DRH",
        "owner": "nathalie.roux",
        "tool": "Le Chat Pro",
        "status": "in_production",
        "start_date": date(2024, 9, 2),
        "summary": (
            "Les chargés de recrutement s'appuient sur Le Chat pour rédiger les fiches de poste et préparer "
            "des grilles d'entretien alignées sur les compétences attendues."
        ),
        "purpose": "Publier plus vite des offres claires et homogènes.",
        "human_oversight": "Le responsable du service recruteur valide chaque fiche de poste.",
        "facts": plain_facts(produces_by=TEXT, affects="agents", policy_areas=["internal_work"]),
        "technique": "genai_text",
        "audience": "agents",
        "max_data_classification": "C1",
    },
    {
        "name": "Prévision des besoins de remplacement dans les écoles et les crèches",
        "service": "DRH",
        "owner": "nathalie.roux",
        "tool": None,
        "status": "approved",
        "start_date": date(2025, 9, 1),
        "summary": (
            "Un modèle prévoit, semaine par semaine, le nombre de remplaçants nécessaires dans les écoles et "
            "les crèches à partir de l'historique agrégé des absences et du calendrier scolaire."
        ),
        "purpose": "Constituer à l'avance le vivier de remplaçants et éviter les fermetures de classes ou de sections.",
        "description": "Modèle développé par la DSI et exploité sur ses serveurs.",
        "data_sources": "Nombre d'absences par semaine et par site (données agrégées, sans nom), calendrier.",
        "human_oversight": "La DRH ajuste le vivier à partir de la prévision ; aucune décision individuelle.",
        "facts": plain_facts(
            produces_by=LEARNED, origin="built_for_us", affects="agents", policy_areas=["internal_work"]
        ),
        "technique": "ml_predictive",
        "ai_act_role": "provider",
        "audience": "agents",
        "hosting_zone": "on_premise",
        "provider_reuse_disabled": True,
        "max_data_classification": "C1",
    },
    {
        "name": "Baromètre de la qualité de vie au travail par analyse des émotions",
        "service": "DRH",
        "owner": "nathalie.roux",
        # Declared without its tool, as the monitoring of the agents' quality of life (Annex III, 4(b)); the DPO added
        # the tool and the emotion recognition it rests on: a prohibited practice (art. 5(1)(f)) and a second Annex
        # III area (1(c)), which she confirmed.
        "tool": None,
        "status": "rejected",
        "summary": (
            "Un éditeur proposait de mesurer le moral des équipes en analysant les visages et les voix des "
            "agents pendant les visioconférences. Le projet a été refusé."
        ),
        "purpose": "Suivre la qualité de vie au travail.",
        "description": (
            "Refusé : la reconnaissance des émotions sur le lieu de travail est une pratique interdite. Le "
            "baromètre de la qualité de vie au travail reste réalisé par questionnaire anonyme."
        ),
        "facts": plain_facts(
            produces_by=["recognises_images", "recognises_speech"],
            affects="agents",
            policy_areas=["staff_decisions"],
            task_kind="assesses_or_recommends",
            watches_people="yes",
        ),
        "technique": "vision",
        "audience": "agents",
        "annex_iii_point": "4b",
        "art50_features": ["emotion_or_biometric"],
        "personal_data_categories": ["ordinary", "biometric"],
        "systematic_monitoring": True,
        "max_data_classification": "C2",
        "edits": [
            (
                "dpo",
                {
                    "tool": "MoodSense",
                    "policy_areas": ["emotion_recognition", "staff_decisions"],
                    # What the new answer derives: the point 1(c) applies first, and the practice is prohibited.
                    "annex_iii_point": "1c",
                    "art5_practices": ["f"],
                },
            )
        ],
    },
    {
        "name": "Copilote d'analyse budgétaire",
        "service": "DFIN",
        "owner": "sylvie.durand",
        "tool": "Microsoft 365 Copilot",
        "status": "approved_with_conditions",
        "start_date": date(2025, 9, 15),
        "summary": (
            "La direction des finances utilise l'assistant de la suite bureautique pour analyser l'exécution "
            "budgétaire, repérer les dérives et préparer des scénarios pour le débat d'orientation budgétaire."
        ),
        "purpose": "Détecter plus tôt les écarts d'exécution et éclairer les arbitrages.",
        "human_oversight": "Chaque chiffre repris dans un document est vérifié dans le logiciel financier.",
        "facts": plain_facts(produces_by=TEXT, affects="agents", policy_areas=["internal_work"]),
        "technique": "genai_text",
        "audience": "agents",
        "max_data_classification": "C1",
    },
    {
        "name": "Suivi et pré-analyse des demandes de subventions des associations",
        "service": "DFIN",
        "owner": "sylvie.durand",
        "tool": "Albert",
        "status": "in_production",
        "start_date": date(2025, 1, 15),
        "summary": (
            "Albert résume chaque dossier de demande de subvention et vérifie que les pièces sont complètes. "
            "L'instruction et la proposition de montant restent faites par un agent, la décision par le conseil "
            "municipal."
        ),
        "purpose": "Suivre les 180 dossiers annuels sans retard et répondre plus vite aux associations.",
        "data_sources": "Dossiers de demande (formulaire Cerfa 12156), comptes des associations.",
        "lawful_basis": "Mission d'intérêt public ; loi du 12 avril 2000, art. 9-1 et 10.",
        "processing_record_ref": "RT-2021-009",
        "decisions_per_year": 180,
        "human_oversight": "L'instructeur vérifie chaque synthèse ; la décision est votée en conseil municipal.",
        "facts": plain_facts(
            produces_by=TEXT,
            affects="agents",
            policy_areas=["internal_work"],
            effect_on_people="agent_reexamines_whole_case",
            decides_on_individual_cases="yes",
            on_administrative_appeals="no",
        ),
        "technique": "genai_text",
        "audience": "agents",
        "automation_level": "assist",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary"],
        "max_data_classification": "C2",
    },
    {
        "name": "Optimisation des tournées de collecte des déchets",
        "service": "PROP",
        "owner": "laurent.perrin",
        "tool": "Optitournée",
        "status": "submitted",
        "summary": (
            "Les tournées des bennes sont recalculées chaque semaine à partir du taux de remplissage des "
            "conteneurs mesuré par des capteurs, pour passer là où c'est nécessaire."
        ),
        "purpose": "Réduire les kilomètres parcourus, le carburant et les débordements de conteneurs.",
        "data_sources": "Capteurs de remplissage des conteneurs enterrés, plan de voirie.",
        "human_oversight": "Le chef d'équipe valide la tournée proposée et peut la modifier.",
        "facts": plain_facts(
            produces_by=LEARNED,
            # The vendor's documentation does not say: « Je ne sais pas », the question waits for the DPO.
            keeps_learning_in_use="unknown",
            affects="agents",
            policy_areas=["infrastructure_operations"],
            safety_component="no",
        ),
        "technique": "ml_predictive",
        # An unknown answer gives the most demanding plausible one until the DPO confirms (DOMAIN.md 3b).
        "self_learning": True,
        "audience": "agents",
        "max_data_classification": "C1",
    },
    {
        "name": "Détection des dépôts sauvages par analyse d'images",
        "service": "PROP",
        "owner": "laurent.perrin",
        "tool": None,
        "status": "draft",
        "summary": (
            "Des caméras installées sur les points de dépôt sauvage repèrent automatiquement les dépôts "
            "d'encombrants et alertent l'équipe de propreté."
        ),
        "purpose": "Enlever plus vite les dépôts et identifier les points noirs.",
        "description": "Projet à l'étude : prestataire, hébergement et durée de conservation des images à définir.",
        # The owner first answered that the cameras watch the waste, not people: the DPO set the monitoring herself
        # (its story), and the owner then corrected the answer, so the facts no longer derive what she overrode.
        "facts": plain_facts(
            produces_by=["recognises_images"],
            affects="public",
            policy_areas=["infrastructure_operations"],
            safety_component="no",
        ),
        "technique": "vision",
        "audience": "public",
        "personal_data_categories": ["ordinary", "location"],
        "large_scale": True,
        "systematic_monitoring": True,
        "hosting_zone": "unknown",
        "max_data_classification": "C2",
        "edits": [("laurent.perrin", {"watches_people": "yes"})],
    },
    {
        "name": "Régulation adaptative des feux tricolores",
        "service": "VOIR",
        "owner": "pascal.fontaine",
        "tool": "Luminis — pilotage de l'éclairage et des carrefours",
        "status": "approved_with_conditions",
        "start_date": date(2025, 6, 2),
        "summary": (
            "Aux huit carrefours de l'avenue de la Loire, la durée des feux s'adapte au trafic mesuré par des "
            "boucles de comptage, pour fluidifier la circulation et donner la priorité aux bus."
        ),
        "purpose": "Réduire les embouteillages aux heures de pointe et améliorer la ponctualité des bus.",
        "data_sources": "Boucles magnétiques de comptage (aucune image, aucune plaque).",
        "human_oversight": (
            "Le poste de supervision de la voirie surveille les carrefours et peut repasser en plan de feux "
            "fixe à tout moment."
        ),
        "facts": plain_facts(
            produces_by=LEARNED,
            affects="public",
            policy_areas=["critical_infrastructure_safety"],
            safety_component="yes",
            task_kind="assesses_or_recommends",
        ),
        "technique": "ml_predictive",
        "audience": "public",
        "annex_iii_point": "2",
        "max_data_classification": "C1",
    },
    {
        "name": "Modulation de l'éclairage public selon la fréquentation",
        "service": "ECL",
        "owner": "romain.gauthier",
        "tool": "Luminis — pilotage de l'éclairage et des carrefours",
        "status": "in_production",
        "start_date": date(2024, 10, 1),
        "summary": (
            "L'intensité des lampadaires baisse la nuit quand les rues sont vides et remonte au passage des "
            "piétons et des véhicules, détectés par des capteurs de présence."
        ),
        "purpose": "Réduire la consommation d'énergie et la pollution lumineuse.",
        "human_oversight": "Le service éclairage suit les consommations et les signalements des habitants.",
        "facts": plain_facts(
            produces_by=LEARNED, affects="public", policy_areas=["infrastructure_operations"], safety_component="no"
        ),
        "technique": "ml_predictive",
        "audience": "public",
        "max_data_classification": "C1",
    },
    {
        "name": "Transcription et compte rendu des réunions de service",
        "service": "MINNOV",
        "owner": "benoit.renaud",
        "tool": "Scribe — transcription des réunions",
        "status": "in_production",
        "start_date": date(2025, 3, 10),
        "summary": (
            "Les réunions de service sont enregistrées puis transcrites sur les serveurs de la ville ; l'outil "
            "propose un relevé de décisions que l'animateur de la réunion corrige et diffuse."
        ),
        "purpose": "Libérer les agents de la prise de notes et diffuser plus vite les relevés de décisions.",
        "human_oversight": "L'animateur relit et valide le relevé avant diffusion.",
        # It transcribes, then writes the record of decisions: generated text, proofread before it is sent.
        "facts": plain_facts(
            produces_by=["recognises_speech", "generates_text"], affects="agents", policy_areas=["internal_work"]
        ),
        "technique": "genai_text",
        "audience": "agents",
        "personal_data_categories": ["ordinary"],
        "max_data_classification": "C2",
        "edits": [
            (
                "benoit.renaud",
                {
                    "human_oversight": (
                        "L'animateur relit et valide le relevé avant diffusion ; les participants sont "
                        "informés en début de réunion et l'enregistrement est effacé après 30 jours."
                    ),
                },
            ),
        ],
    },
    {
        "name": "Transcription des séances du conseil municipal",
        "service": "ASS",
        "owner": "camille.roussel",
        "tool": "Whisper (instance interne)",
        "status": "approved",
        "start_date": date(2025, 10, 1),
        "summary": (
            "L'enregistrement des séances publiques du conseil municipal est transcrit automatiquement pour "
            "préparer le procès-verbal, qui est relu et approuvé par le conseil."
        ),
        "purpose": "Établir le procès-verbal en quelques jours au lieu de plusieurs semaines.",
        "lawful_basis": "Code général des collectivités territoriales, art. L2121-15.",
        "human_oversight": "Le service des assemblées relit la transcription ; le conseil approuve le procès-verbal.",
        "facts": plain_facts(
            produces_by=["recognises_speech"], origin="built_for_us", affects="public", policy_areas=["internal_work"]
        ),
        "technique": "speech",
        # The DSI built the system on a free model and put it into service for the ville's own use (art. 3(3)).
        "ai_act_role": "provider",
        "audience": "public",
        "personal_data_categories": ["ordinary"],
        "max_data_classification": "C0",
    },
    {
        "name": "Illustrations générées par IA pour le magazine municipal",
        "service": "DCOM",
        "owner": "hugo.lemoine",
        "tool": "Adobe Firefly",
        "status": "approved_with_conditions",
        "start_date": date(2025, 5, 5),
        "summary": (
            "Le service communication génère certaines illustrations du magazine et des réseaux sociaux. "
            "Chaque image porte la mention « image générée par IA »."
        ),
        "purpose": "Illustrer des sujets sans banque d'images adaptée, à moindre coût.",
        "human_oversight": "La directrice de la communication valide chaque visuel avant publication.",
        "facts": plain_facts(
            produces_by=["generates_images_audio_video"], affects="public", policy_areas=["public_communication"]
        ),
        "technique": "genai_media",
        "audience": "public",
        "art50_features": ["synthetic_media"],
        "max_data_classification": "C0",
    },
    {
        "name": "Réponses automatiques aux messages privés des réseaux sociaux",
        "service": "DCOM",
        "owner": "hugo.lemoine",
        "tool": "ChatGPT Enterprise",
        # In production until the DPO suspended it after a serious incident (see demo/checkpoints.py).
        "status": "in_production",
        "start_date": date(2025, 5, 12),
        "summary": (
            "Les messages privés reçus sur les comptes de la ville recevaient une réponse automatique générée "
            "par IA. L'usage est suspendu."
        ),
        "purpose": "Répondre plus vite aux habitants sur les réseaux sociaux.",
        "description": (
            "Approuvé pour répondre aux questions générales, sans donnée personnelle (niveau C1). Suspendu par "
            "la DPO après un incident grave : réponses erronées sur les dates d'inscription scolaire, et "
            "messages contenant des données personnelles transmis à un outil autorisé seulement jusqu'au "
            "niveau C1."
        ),
        "human_oversight": "Les messages nominatifs ou sensibles sont renvoyés vers un agent de la communication.",
        "facts": plain_facts(produces_by=TEXT, affects="public", policy_areas=["public_information"]),
        "technique": "genai_text",
        "audience": "public",
        "art50_features": ["chatbot"],
        "max_data_classification": "C1",
    },
    {
        "name": "Assistant de programmation pour les développeurs de la DSI",
        "service": "DSI",
        "owner": "yanis.bernard",
        "tool": "GitHub Copilot Business",
        "status": "in_production",
        "start_date": date(2024, 4, 15),
        "summary": (
            "Les développeurs de la DSI utilisent un assistant qui suggère du code dans leur éditeur pour les "
            "applications internes et les scripts d'exploitation."
        ),
        "purpose": "Accélérer le développement et la maintenance des outils internes.",
        "human_oversight": "Toute modification passe par une revue de code par un second développeur.",
        # Recorded before the questionnaire: the migration filled the facts its legal inputs imply, the owner
        # completes the others.
        "facts": None,
        "technique": "genai_text",
        "audience": "agents",
        "max_data_classification": "C1",
    },
    {
        "name": "Adaptation des horaires de la médiation de rue par analyse prédictive",
        "service": "PM",
        "owner": "eric.masson",
        "tool": None,
        "status": "approved",
        "start_date": date(2025, 7, 1),
        "summary": (
            "Une analyse des signalements des trois dernières années, agrégés par quartier et par tranche "
            "horaire, aide à placer les médiateurs aux heures et aux endroits où ils sont le plus utiles."
        ),
        "purpose": "Mieux répartir les médiateurs entre les quartiers et les horaires.",
        "data_sources": "Signalements agrégés par quartier et par heure, sans aucune donnée sur les personnes.",
        "human_oversight": "Le chef de service arrête les plannings ; l'analyse n'en est qu'une entrée.",
        "facts": plain_facts(
            produces_by=LEARNED, affects="agents", policy_areas=["other"], task_kind="assesses_or_recommends"
        ),
        "technique": "ml_predictive",
        "audience": "agents",
        "hosting_zone": "on_premise",
        "provider_reuse_disabled": True,
        "max_data_classification": "C1",
    },
    {
        "name": "Synthèse des remontées de terrain des médiateurs et des policiers municipaux",
        "service": "PM",
        "owner": "eric.masson",
        "tool": "Albert",
        "status": "submitted",
        "summary": (
            "Les mains courantes et rapports d'intervention de la semaine sont résumés par Albert en une note "
            "de synthèse par quartier, et des fiches de consignes sont proposées pour les équipes."
        ),
        "purpose": "Donner aux encadrants une vue d'ensemble hebdomadaire sans relire chaque rapport.",
        "lawful_basis": "Mission d'intérêt public ; code de la sécurité intérieure, art. L511-1.",
        "human_oversight": "Le chef de service relit chaque synthèse ; aucune fiche individuelle n'est produite.",
        # The police's missions give Annex III point 6 until the DPO names its letter: none applies, she set it
        # herself (its story), the point 6(a) the facts derive kept beside her answer.
        "facts": plain_facts(
            produces_by=TEXT,
            affects="agents",
            policy_areas=["law_enforcement", "internal_work"],
            task_kind="assesses_or_recommends",
        ),
        "technique": "genai_text",
        "audience": "agents",
        "personal_data_categories": ["ordinary", "location"],
        "max_data_classification": "C2",
        "edits": [
            ("dpo", {"personal_data_categories": ["ordinary", "location", "criminal"]}),
        ],
    },
    {
        "name": "Pré-affectation des élèves dans les écoles lors des inscriptions scolaires",
        "service": "DEEJ",
        "owner": "celine.robin",
        "tool": None,
        "status": "approved_with_conditions",
        "start_date": date(2025, 3, 3),
        "summary": (
            "Lors des inscriptions en maternelle et en CP, un algorithme propose l'école d'affectation de "
            "chaque enfant selon la carte scolaire, les fratries et les places disponibles. Un agent vérifie "
            "chaque proposition et la famille peut demander une dérogation."
        ),
        "purpose": "Traiter les 650 inscriptions annuelles à temps et de façon homogène.",
        "data_sources": "Dossier d'inscription, adresse, fratrie, capacités d'accueil des écoles.",
        "lawful_basis": "Code de l'éducation, art. L131-5 et L212-7.",
        "processing_record_ref": "RT-2020-002",
        "decisions_per_year": 650,
        "human_oversight": "Chaque affectation est vérifiée et signée par la responsable des inscriptions.",
        # The carte scolaire's rules, written by people: not an AI system, so no Annex III answer (AI Act, art. 3(1)).
        "facts": plain_facts(
            **WRITTEN_RULES,
            affects="public",
            policy_areas=["education_access"],
            task_kind="assesses_or_recommends",
            effect_on_people="agent_usually_follows",
            decides_on_individual_cases="yes",
            on_administrative_appeals="no",
        ),
        "technique": "rules",
        "audience": "public",
        "automation_level": "determining",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary", "location", "minors_vulnerable"],
        "hosting_zone": "fr",
        "provider_reuse_disabled": True,
        "max_data_classification": "C2",
    },
    {
        "name": "Attribution automatique des places en crèche par un modèle auto-apprenant",
        "service": "DEEJ",
        "owner": "antoine.mercier",
        "tool": None,
        "status": "draft",
        "summary": (
            "Projet : un modèle qui apprend des commissions passées attribuerait directement les places en "
            "crèche, sans passage en commission."
        ),
        "purpose": "Supprimer la commission d'attribution et réduire le délai de réponse aux familles.",
        "description": (
            "Bloqué en l'état : une décision entièrement automatisée ne peut pas reposer sur un algorithme "
            "auto-apprenant. Piste étudiée : un score d'aide à la décision examiné en commission."
        ),
        "decisions_per_year": 400,
        "facts": plain_facts(
            produces_by=LEARNED,
            keeps_learning_in_use="yes",
            affects="public",
            policy_areas=["social_benefits"],
            task_kind="assesses_or_recommends",
            effect_on_people="applied_without_agent",
            decides_on_individual_cases="yes",
            on_administrative_appeals="no",
            assesses_persons="yes",
        ),
        "technique": "ml_predictive",
        "self_learning": True,
        "audience": "public",
        "annex_iii_point": "5a",
        "automation_level": "fully_automated",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary", "financial", "minors_vulnerable"],
        "profiling": True,
        "hosting_zone": "eu",
        "max_data_classification": "C2",
    },
    {
        "name": "Calcul automatique des tarifs de restauration scolaire selon le quotient familial",
        "service": "DEEJ",
        "owner": "celine.robin",
        "tool": None,
        "status": "in_production",
        "start_date": date(2023, 9, 1),
        "summary": (
            "Le tarif de cantine de chaque famille est calculé automatiquement à partir de son quotient "
            "familial, selon la grille votée par le conseil municipal."
        ),
        "purpose": "Appliquer la tarification sociale sans ressaisie.",
        "data_sources": "Quotient familial transmis par la CAF avec l'accord de la famille, grille tarifaire.",
        "lawful_basis": "Délibération du conseil municipal fixant les tarifs ; CRPA, art. L311-3-1.",
        "processing_record_ref": "RT-2020-003",
        "decisions_per_year": 3200,
        "human_oversight": "Les familles peuvent contester leur tarif auprès du service, qui recalcule à la main.",
        # Recorded before the questionnaire: the migration filled the facts its legal inputs imply, the owner
        # completes the others.
        "facts": None,
        "technique": "rules",
        "audience": "public",
        "automation_level": "fully_automated",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary", "financial"],
        "hosting_zone": "on_premise",
        "provider_reuse_disabled": True,
        "max_data_classification": "C2",
    },
    {
        "name": "Synthèse de notes préfectorales « Diffusion Restreinte » avec un assistant en ligne",
        "service": "MINNOV",
        "owner": "benoit.renaud",
        "tool": "Le Chat Pro",
        "status": "draft",
        "summary": (
            "Idée : résumer les notes de la préfecture sur la gestion de crise, marquées Diffusion Restreinte, "
            "avec un assistant conversationnel en ligne."
        ),
        "purpose": "Préparer plus vite les réunions de la cellule de crise.",
        "description": (
            "Bloqué : une information Diffusion Restreinte ne peut pas être traitée par un service en ligne."
        ),
        "facts": plain_facts(produces_by=TEXT, affects="agents", policy_areas=["internal_work"]),
        "technique": "genai_text",
        "audience": "agents",
        "max_data_classification": "C3",
    },
    {
        "name": "Classement des demandes de logement social du contingent communal",
        "service": "LOG",
        "owner": "isabelle.petit",
        "tool": None,
        "status": "in_review",
        "summary": (
            "Un score de cotation classe les demandes de logement social du contingent de la ville selon les "
            "critères de priorité (urgence, handicap, ancienneté). La commission d'attribution décide."
        ),
        "description": (
            "La cotation applique la grille de critères pondérés du plan partenarial de gestion de la demande : "
            "des règles écrites par les partenaires, sans apprentissage. Ce n'est pas un système d'IA, mais le RGPD "
            "et le CRPA s'appliquent à ce traitement, qui fonde les attributions."
        ),
        "purpose": "Rendre la cotation des demandes transparente et homogène.",
        "data_sources": "Système national d'enregistrement des demandes de logement social, pièces du dossier.",
        "lawful_basis": "Code de la construction et de l'habitation, art. L441-2-8 (cotation de la demande).",
        "decisions_per_year": 350,
        "human_oversight": "La commission d'attribution examine chaque dossier présenté et peut déroger au score.",
        "facts": plain_facts(
            **WRITTEN_RULES,
            affects="public",
            policy_areas=["social_benefits"],
            task_kind="assesses_or_recommends",
            effect_on_people="agent_usually_follows",
            decides_on_individual_cases="yes",
            on_administrative_appeals="no",
            assesses_persons="yes",
            sensitive_contexts=["social_housing"],
        ),
        "technique": "rules",
        "audience": "public",
        "automation_level": "determining",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary", "financial", "health"],
        "profiling": True,
        "dataset_matching": True,
        "cnil_list_types": ["social_housing"],
        "hosting_zone": "fr",
        "provider_reuse_disabled": True,
        "max_data_classification": "C2",
    },
    {
        "name": "Pré-remplissage des demandes d'actes d'état civil",
        "service": "ACC",
        "owner": "nadia.cherif",
        "tool": "Albert",
        "status": "approved",
        "start_date": date(2025, 11, 3),
        "summary": (
            "Albert lit les demandes d'actes de naissance ou de mariage reçues par courriel et pré-remplit le "
            "formulaire du logiciel d'état civil. L'officier d'état civil vérifie avant de délivrer l'acte."
        ),
        "purpose": "Délivrer les actes plus vite et éviter les erreurs de ressaisie.",
        "lawful_basis": "Code civil, art. 34 et suivants ; décret n° 2017-890.",
        "decisions_per_year": 5200,
        "human_oversight": "L'officier d'état civil contrôle chaque demande pré-remplie avant délivrance.",
        "facts": plain_facts(
            produces_by=TEXT,
            affects="both",
            policy_areas=["internal_work"],
            effect_on_people="agent_reexamines_whole_case",
            decides_on_individual_cases="yes",
            on_administrative_appeals="no",
        ),
        "technique": "genai_text",
        "audience": "both",
        "automation_level": "assist",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary"],
        "max_data_classification": "C2",
    },
    {
        "name": "Assistance aux conseillers France services avec Albert",
        "service": "ACC",
        "owner": "nadia.cherif",
        "tool": "Albert",
        "status": "in_production",
        "start_date": date(2024, 6, 3),
        "summary": (
            "Les conseillers de l'espace France services interrogent Albert pour retrouver les règles des "
            "démarches (CAF, impôts, retraite, titres) pendant le rendez-vous. La réponse donnée à l'usager "
            "reste celle du conseiller."
        ),
        "purpose": "Répondre à l'usager dès le premier rendez-vous, sur des démarches très variées.",
        "human_oversight": "Le conseiller vérifie la source officielle citée avant de répondre.",
        "facts": plain_facts(produces_by=TEXT, affects="agents", policy_areas=["internal_work"]),
        "technique": "genai_text",
        "audience": "agents",
        "personal_data_categories": ["ordinary"],
        "max_data_classification": "C2",
    },
    {
        "name": "Recommandations de lecture personnalisées pour les abonnés des médiathèques",
        "service": "CULT",
        "owner": "agnes.colin",
        "tool": None,
        "status": "retired",
        "start_date": date(2023, 9, 1),
        "end_date": date(2026, 6, 30),
        "summary": (
            "Le portail des médiathèques proposait à chaque abonné des suggestions de lecture calculées à "
            "partir de ses emprunts. Le service a été arrêté."
        ),
        "purpose": "Faire découvrir le fonds des médiathèques.",
        "description": "Arrêté à la fin du marché du portail ; remplacé par des sélections des bibliothécaires.",
        "facts": plain_facts(
            produces_by=LEARNED, affects="public", policy_areas=["public_information"], assesses_persons="yes"
        ),
        "technique": "ml_predictive",
        "audience": "public",
        "personal_data_categories": ["ordinary"],
        "profiling": True,
        "hosting_zone": "eu",
        "provider_reuse_disabled": True,
        "max_data_classification": "C2",
    },
    {
        "name": "Vœux du maire traduits avec sa voix de synthèse",
        "service": "DCOM",
        "owner": "manon.chevalier",
        "tool": None,
        "status": "draft",
        "summary": (
            "Projet : traduire la vidéo des vœux du maire en anglais et en arabe en reproduisant sa voix et le "
            "mouvement de ses lèvres. La vidéo porterait la mention « contenu généré par IA »."
        ),
        "purpose": "Toucher les habitants qui ne parlent pas français.",
        "facts": plain_facts(
            produces_by=["generates_images_audio_video"], affects="public", policy_areas=["public_communication"]
        ),
        "technique": "genai_media",
        "audience": "public",
        "art50_features": ["deepfake"],
        "personal_data_categories": ["ordinary"],
        "hosting_zone": "non_eu",
        "max_data_classification": "C1",
    },
    # Projects of the last months, still with the reviewers or the ethics committee.
    {
        "name": "Repérage des situations de non-recours aux droits sociaux",
        "service": "CCAS",
        "owner": "chef",
        "tool": "Solis — gestion de l'action sociale",
        "status": "in_review",
        "summary": (
            "À partir des dossiers du CCAS et des données transmises par la CAF, un modèle repère les foyers "
            "qui pourraient avoir droit à une aide (aides facultatives, tarification sociale, prime "
            "d'activité) sans l'avoir demandée. Un travailleur social les contacte et propose un rendez-vous ; "
            "l'outil n'ouvre ni ne refuse aucun droit."
        ),
        "purpose": "Réduire le non-recours aux droits en allant vers les foyers qui ne sollicitent pas le CCAS.",
        "data_sources": "Dossiers du CCAS, quotient familial et prestations transmis par la CAF (convention).",
        "lawful_basis": "Mission d'intérêt public ; CASF, art. L123-5 ; convention d'échange de données avec la CAF.",
        "processing_record_ref": "RT-2023-004",
        "human_oversight": (
            "Un travailleur social examine chaque foyer repéré avant tout contact ; le foyer peut refuser "
            "d'être recontacté."
        ),
        "facts": plain_facts(
            produces_by=LEARNED,
            affects="public",
            policy_areas=["social_benefits"],
            task_kind="assesses_or_recommends",
            effect_on_people="agent_reexamines_whole_case",
            assesses_persons="yes",
            sensitive_contexts=["social_support"],
        ),
        "technique": "ml_predictive",
        "audience": "public",
        "annex_iii_point": "5a",
        "automation_level": "assist",
        "personal_data_categories": ["ordinary", "financial", "minors_vulnerable"],
        "profiling": True,
        "dataset_matching": True,
        "cnil_list_types": ["social_support"],
        "max_data_classification": "C2",
    },
    {
        "name": "Agent conversationnel du portail famille pour les inscriptions périscolaires",
        "service": "DEEJ",
        "owner": "antoine.mercier",
        "tool": "Dialogue Citoyen",
        "status": "in_review",
        "summary": (
            "Sur le portail famille, un agent conversationnel répond aux questions des parents sur les "
            "inscriptions à la cantine, à l'accueil périscolaire et aux centres de loisirs, et les guide dans "
            "les démarches en ligne. Il se présente comme une IA et ne voit pas les dossiers des familles."
        ),
        "purpose": "Répondre aux familles le soir et le week-end, quand le service est fermé.",
        "data_sources": "Règlements des accueils, tarifs, calendrier ; questions saisies par les familles.",
        "lawful_basis": "Mission d'intérêt public (RGPD, art. 6(1)(e)) : information des familles.",
        "human_oversight": "Le service relit chaque semaine un échantillon de conversations ; un lien mène à un agent.",
        "facts": plain_facts(produces_by=TEXT, affects="public", policy_areas=["public_information"]),
        "technique": "genai_text",
        "audience": "public",
        "art50_features": ["chatbot"],
        "personal_data_categories": ["ordinary"],
        "max_data_classification": "C2",
    },
    {
        "name": "Score consultatif pour la commission d'attribution des places en crèche",
        "service": "DEEJ",
        "owner": "antoine.mercier",
        "tool": None,
        "status": "in_review",
        "summary": (
            "Chaque demande de place en crèche reçoit un score calculé selon les critères votés par le conseil "
            "municipal (situation professionnelle, fratrie, handicap, ancienneté). La commission voit le score "
            "et les critères, et décide de chaque attribution."
        ),
        "purpose": "Préparer la commission d'attribution et rendre ses choix explicables aux familles.",
        "description": (
            "Remplace le projet d'attribution automatique par un modèle auto-apprenant, bloqué : le score "
            "applique des règles publiques et n'apprend pas des commissions passées."
        ),
        "data_sources": "Dossier de demande de place, quotient familial, situation du foyer.",
        "lawful_basis": "Mission d'intérêt public ; règlement de fonctionnement des crèches municipales.",
        "decisions_per_year": 400,
        "human_oversight": "La commission décide de chaque attribution et peut s'écarter du score en motivant.",
        "facts": plain_facts(
            **WRITTEN_RULES,
            affects="public",
            policy_areas=["social_benefits"],
            task_kind="assesses_or_recommends",
            effect_on_people="agent_reexamines_whole_case",
            decides_on_individual_cases="yes",
            on_administrative_appeals="no",
            assesses_persons="yes",
        ),
        "technique": "rules",
        "audience": "public",
        "automation_level": "assist",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary", "financial", "minors_vulnerable"],
        "profiling": True,
        "hosting_zone": "on_premise",
        "provider_reuse_disabled": True,
        "max_data_classification": "C2",
    },
    {
        "name": "Traduction vocale des entretiens à l'accueil du CCAS",
        "service": "CCAS",
        "owner": "chef",
        "tool": "DeepL Voice",
        "status": "approved_with_conditions",
        "summary": (
            "À l'accueil du CCAS, une tablette traduit en direct l'échange entre l'agent et un usager qui ne "
            "parle pas français (arabe, anglais, ukrainien, dari). Rien n'est enregistré après l'échange."
        ),
        "purpose": "Accueillir sans attendre un interprète les usagers qui ne parlent pas français.",
        "data_sources": "Paroles de l'agent et de l'usager pendant l'entretien.",
        "lawful_basis": "Mission d'intérêt public ; CASF, art. L123-5.",
        "human_oversight": "L'agent reformule les points importants et fait appel à un interprète en cas de doute.",
        "facts": plain_facts(
            produces_by=["recognises_speech"],
            affects="public",
            policy_areas=["internal_work"],
            sensitive_contexts=["social_support"],
        ),
        "technique": "speech",
        "audience": "public",
        "personal_data_categories": ["ordinary", "minors_vulnerable"],
        "cnil_list_types": ["social_support"],
        "max_data_classification": "C2",
    },
    {
        "name": "Détection des chutes la nuit à l'EHPAD du CCAS",
        "service": "CCAS",
        "owner": "martine.blanc",
        "tool": "Veille Nuit — détection des chutes",
        "status": "approved_with_conditions",
        "start_date": date(2023, 6, 5),
        "summary": (
            "Dans les chambres de l'EHPAD Les Tilleuls, géré par le CCAS, des capteurs optiques détectent les "
            "chutes des résidents pendant la nuit et alertent l'équipe de nuit sur son téléphone. Aucune image "
            "n'est conservée : l'alerte ne montre qu'une silhouette."
        ),
        "purpose": "Secourir plus vite les résidents qui tombent la nuit, et espacer les rondes qui les réveillent.",
        "description": (
            "Le capteur est un dispositif médical de classe IIa, marqué CE après l'évaluation d'un organisme "
            "notifié : un système d'IA à haut risque par l'annexe I (AI Act, art. 6(1)). Le CCAS, qui le déploie, "
            "n'a ni AIDF à mener ni enregistrement dans la base de l'UE à faire (art. 27 et 49 : systèmes de "
            "l'annexe III), mais il a les obligations de l'article 26. Les données de santé des résidents sont "
            "confiées à un hébergeur certifié HDS (code de la santé publique, art. L1111-8)."
        ),
        "data_sources": "Capteurs des chambres (silhouettes, aucune image conservée) ; alertes et suites données.",
        "processing_record_ref": "RT-2023-008",
        "lawful_basis": (
            "Mission d'intérêt public ; RGPD, art. 9(2)(h) (prise en charge médico-sociale) ; CASF, art. L311-3 "
            "(respect de la vie privée et de l'intimité des résidents)."
        ),
        "human_oversight": (
            "L'aide-soignante de nuit se rend dans la chambre à chaque alerte ; l'infirmière coordinatrice revoit "
            "chaque semaine les alertes, les fausses alertes et les chutes non détectées."
        ),
        "facts": plain_facts(
            produces_by=["recognises_images"],
            ce_marked_product="notified_body",
            affects="both",
            policy_areas=["other"],
            task_kind="assesses_or_recommends",
            watches_people="yes",
            sensitive_contexts=["care"],
        ),
        "technique": "vision",
        # The night staff work on its alerts and enter the rooms it watches: used at work (art. 26(7)).
        "audience": "both",
        "annex_i_product": True,
        "personal_data_categories": ["ordinary", "health", "minors_vulnerable"],
        "care_context": True,
        "systematic_monitoring": True,
        "max_data_classification": "C2",
    },
    {
        "name": "Contrôle automatique des pièces des demandes de logement social",
        "service": "LOG",
        "owner": "isabelle.petit",
        "tool": None,
        "status": "in_review",
        "summary": (
            "Un module du logiciel de gestion de la demande lit les pièces justificatives déposées (avis "
            "d'imposition, justificatif de domicile, pièce d'identité) et signale les dossiers incomplets ou "
            "incohérents. Un dossier signalé n'est pas présenté à la commission d'attribution tant que le "
            "demandeur ne l'a pas complété."
        ),
        "purpose": "Présenter à la commission des dossiers complets sans vérifier chaque pièce à la main.",
        "description": (
            "Déclaré comme une tâche procédurale étroite (AI Act, art. 6(3)(a)). Mais un signalement écarte le "
            "dossier de la commission et les agents le suivent : la sortie du système pèse de façon déterminante "
            "sur la décision, l'exemption ne tient pas et le système est à haut risque (annexe III, point 5(a)). "
            "Lire des pièces scannées n'est pas surveiller des personnes."
        ),
        "data_sources": "Pièces déposées par les demandeurs dans le système national d'enregistrement.",
        "lawful_basis": (
            "Code de la construction et de l'habitation, art. L441-2-1 ; arrêté fixant la liste des pièces "
            "justificatives de la demande de logement social."
        ),
        "decisions_per_year": 600,
        "human_oversight": (
            "Un agent valide chaque signalement avant d'écrire au demandeur ; en pratique, il rouvre rarement les "
            "pièces."
        ),
        "facts": plain_facts(
            produces_by=["recognises_images"],
            affects="public",
            policy_areas=["social_benefits"],
            task_kind="narrow_procedural",
            effect_on_people="agent_usually_follows",
            decides_on_individual_cases="yes",
            on_administrative_appeals="no",
            sensitive_contexts=["social_housing"],
        ),
        "technique": "vision",
        "audience": "public",
        "annex_iii_point": "5a",
        "art6_3_ground": "a",
        "automation_level": "determining",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary", "financial"],
        "cnil_list_types": ["social_housing"],
        "hosting_zone": "fr",
        "provider_reuse_disabled": True,
        "max_data_classification": "C2",
    },
]

# --- Review workflow ---------------------------------------------------------------------------------
# How each use case got to its status, through the review services (`seed_demo` runs every step in date
# order, then dates what each step wrote at its moment). The register opened about fourteen months ago with
# the DPO's inventory of the uses already running; new projects followed.
#
# A step is (when, action, *arguments), `when` being a number of days ago (at 10:00) or "days HH:MM":
#   create                      the owner declares it (a draft)
#   record                      the DPO records a use already running (submitted at once: INVENTORY_COMMENT)
#   edits                       the `edits` of the use case are made (`services.use_case_update`)
#   submit [comment]            the owner submits it
#   opinion role data           the DPO's or the RSSI's opinion (`services.opinion_give`)
#   agenda session              the DPO puts it on a planned session's agenda
#   vote session member choice comment / conflict session member comment
#   committee session opinion comment conditions   the member presiding over the case records the committee's opinion
#                               (the chair; the vice-chair when the chair declared a conflict of interest on it)
#   owner index member [frequency]   the use case's owner names who attests a condition (by its rank)
#   production comment          put into production
#   retire comment              the owner stops it for good
#   qualify input value justification   the DPO sets a legal input herself (`services.qualification_override_set`)
#   confirm comment             the DPO confirms the qualification (`services.qualification_confirm`)
# Use cases without a story are drafts, declared one every three days; a draft's story is only the owner's
# declaration, edits and the DPO's qualification.

# The ethics committee, seated this many days ago by the DPO.
COMMITTEE_SEATED_DAYS_AGO = 412
# The vice-chair presides over a case when the chair is absent or has a conflict of interest on it; the dates of birth
# (optional) name the eldest member present when neither may.
COMMITTEE = [
    {
        "username": "comite",
        "is_chair": True,
        "affiliation": "Juriste de la ville, présidente du comité",
        "birth_date": "1974-05-21",
    },
    {
        "username": "francoise.lemaire",
        "is_vice_chair": True,
        "affiliation": "Élue, adjointe au maire déléguée au numérique, vice-présidente du comité",
        "birth_date": "1962-11-03",
    },
    {
        "username": "mathieu.caron",
        "external": True,
        "affiliation": "Personnalité qualifiée : chercheur en éthique de l'IA, université d'Orléans",
        "birth_date": "1958-02-17",
    },
    {
        "username": "fatou.diallo",
        "external": True,
        "affiliation": "Représentante des habitants, association Bellerive Numérique Solidaire",
        "birth_date": "1986-09-08",
    },
    {"username": "guillaume.roche", "affiliation": "Agent de la ville, CCAS", "birth_date": "1979-06-30"},
]

# How the people who sign or sit are addressed: their titles agree with it (« Présidente », « Déléguée à la
# protection des données »). Guillaume Roche did not say: the minutes name his role as a function.
CIVILITIES = {
    "agent": "madame",
    "chef": "monsieur",
    "dgs": "monsieur",
    "admin": "madame",
    "comite": "madame",
    "sg.saint-aubin": "madame",
    "tech.saint-aubin": "madame",
    "agent.saint-aubin": "monsieur",
    "dpo": "madame",
    "rssi": "monsieur",
    "francoise.lemaire": "madame",
    "mathieu.caron": "monsieur",
    "fatou.diallo": "madame",
}

# Sessions by key: created (days ago), held (days ago, negative = to come) at `time`, closed ("days HH:MM"). A
# session held in the past is opened by the DPO at its time with the attendance (`absent`: the members who were
# not there); the quorum is half the members in office, rounded up (3 of 5). A session to come has cases waiting
# for it: members may already declare a conflict of interest, they vote in session.
SESSIONS = {
    "inventory": {
        "created": 411,
        "held": 395,
        "time": "18:00",
        "closed": "395 20:30",
        "absent": [],
        "place": "Hôtel de ville, salle du conseil municipal",
        "notes": "Première séance : les usages déjà en service recensés par l'inventaire de la DPO.",
    },
    "september": {
        "created": 100,
        "held": 84,
        "time": "18:00",
        "closed": "84 19:50",
        "absent": [],
        "place": "Hôtel de ville, salle des commissions",
        "notes": "Deux projets : le baromètre proposé à la DRH et la régulation des feux de l'avenue de la Loire.",
    },
    "november": {
        "created": 45,
        "held": 28,
        "time": "18:00",
        "closed": "28 19:40",
        "absent": [],
        "place": "Hôtel de ville, salle des commissions",
        "notes": "Retour de la régulation des feux, ajournée en septembre, avec l'étude de l'éditeur.",
    },
    "december": {
        "created": 12,
        "held": -24,
        "time": "18:00",
        "closed": None,
        "absent": [],
        "place": "Hôtel de ville, salle du conseil municipal",
        "notes": "Dossiers envoyés aux membres deux semaines avant la séance.",
    },
}
# The beat task opens the re-reviews that fell due this morning, at this time.
REREVIEW_TIME = "07:15"


def _dpo(verdict, comment="", *, legal_basis="", dpia="", record="", retention="", conditions=(), ask=False):
    """The DPO's opinion: data protection (legal basis, DPIA, art. 30 record, retention)."""
    return {
        "verdict": verdict,
        "comment": comment,
        "conditions": list(conditions),
        "ask_committee": ask,
        "legal_basis": legal_basis,
        "dpia_status": dpia,
        "processing_record_ref": record,
        "retention": retention,
    }


def _rssi(verdict, comment="", *, hosting="", classification="", reuse="", homologation="", conditions=(), ask=False):
    """The RSSI's opinion: security (hosting, data classification, vendor reuse of data, homologation)."""
    return {
        "verdict": verdict,
        "comment": comment,
        "conditions": list(conditions),
        "ask_committee": ask,
        "hosting_assessment": hosting,
        "data_classification": classification,
        "vendor_reuse": reuse,
        "homologation_status": homologation,
    }


ALBERT_HOSTING = "Albert (DINUM) : hébergement en France sur une offre qualifiée SecNumCloud ; comptes nominatifs."
CITY_SERVERS = "Serveurs de la ville (salle informatique de l'hôtel de ville), sauvegardes chiffrées."
FAVOURABLE = "favourable"
WITH_CONDITIONS = "favourable_with_conditions"
UNFAVOURABLE = "unfavourable"

REVIEW_STORIES = {
    # The inventory: uses already running when the register opened.
    "Agent conversationnel du site internet de la ville": [
        (425, "record"),
        (424, "edits"),
        (
            421,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Les usagers saisissent parfois leur nom ou leur adresse : les conversations sont purgées après "
                "3 mois, comme le prévoit le contrat.",
                legal_basis="Mission d'intérêt public (RGPD, art. 6(1)(e)) : information des usagers.",
                dpia="not_required",
                record="RT-2024-017",
                retention="Conversations effacées après 3 mois",
            ),
        ),
        (
            419,
            "opinion",
            "rssi",
            _rssi(
                FAVOURABLE,
                "Le robot ne lit que les pages publiées du site ; aucun accès aux applications métier.",
                hosting="Éditeur hébergé en France, sans qualification ; administration par comptes nominatifs.",
                classification="C2",
                reuse="disabled",
                homologation="done",
            ),
        ),
        (410, "agenda", "inventory"),
        ("395 18:05", "vote", "inventory", "francoise.lemaire", FAVOURABLE, ""),
        (
            "395 18:06",
            "vote",
            "inventory",
            "mathieu.caron",
            WITH_CONDITIONS,
            "La mention « vous échangez avec une IA » doit rester visible pendant toute la conversation.",
        ),
        ("395 18:07", "vote", "inventory", "fatou.diallo", FAVOURABLE, "Toujours proposer de parler à un agent."),
        ("395 18:08", "vote", "inventory", "comite", WITH_CONDITIONS, ""),
        (
            "395 18:12",
            "committee",
            "inventory",
            WITH_CONDITIONS,
            "Service utile aux habitants, sous réserve d'une transparence permanente.",
            [
                "Afficher pendant toute la conversation la mention « vous échangez avec une IA » et un lien vers "
                "un agent."
            ],
        ),
        (392, "owner", 0, "manon.chevalier", "quarterly"),
        (391, "production", "En service depuis mars 2024 ; maintenu après l'avis du comité d'éthique."),
    ],
    "Aide à la rédaction des courriers, notes et comptes rendus avec Albert": [
        (423, "record"),
        (
            418,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Données des courriers seulement ; la charte interdit d'y saisir des données de santé ou le NIR.",
                legal_basis="Mission d'intérêt public (RGPD, art. 6(1)(e)).",
                dpia="not_required",
                record="RT-2024-022",
                retention="Aucune conservation dans Albert au-delà de la session",
            ),
        ),
        (
            417,
            "opinion",
            "rssi",
            _rssi(FAVOURABLE, hosting=ALBERT_HOSTING, classification="C2", reuse="disabled", homologation="done"),
        ),
        (416, "production", "En service depuis novembre 2024."),
    ],
    "Préparation des réponses aux usagers du CCAS": [
        (422, "record"),
        (
            416,
            "opinion",
            "dpo",
            _dpo(
                WITH_CONDITIONS,
                "Les courriers décrivent la situation financière de personnes vulnérables. L'outil convient, mais "
                "une réponse sociale préparée par une IA mérite l'avis du comité.",
                legal_basis="Mission d'intérêt public ; CASF, art. L123-5.",
                dpia="done",
                record="RT-2023-004",
                retention="Brouillons non conservés dans l'outil ; réponse versée au dossier (5 ans)",
                conditions=["N'utiliser que les modèles de réponse validés par la responsable du CCAS."],
                ask=True,
            ),
        ),
        (
            415,
            "opinion",
            "rssi",
            _rssi(FAVOURABLE, hosting=ALBERT_HOSTING, classification="C2", reuse="disabled", homologation="done"),
        ),
        (410, "agenda", "inventory"),
        ("395 18:15", "vote", "inventory", "francoise.lemaire", FAVOURABLE, ""),
        (
            "395 18:16",
            "vote",
            "inventory",
            "mathieu.caron",
            WITH_CONDITIONS,
            "Le travailleur social doit rester l'auteur de la réponse.",
        ),
        ("395 18:17", "conflict", "inventory", "guillaume.roche", "Je travaille au CCAS, service porteur."),
        ("395 18:18", "vote", "inventory", "comite", WITH_CONDITIONS, ""),
        (
            "395 18:22",
            "committee",
            "inventory",
            WITH_CONDITIONS,
            "Aide à la rédaction acceptable : la réponse reste celle du travailleur social.",
            ["Aucune donnée de santé n'est saisie dans l'outil."],
        ),
        (393, "owner", 0, "martine.blanc", "quarterly"),
        (393, "owner", 1, "agent", "monthly"),
        (380, "edits"),
    ],
    "Synthèse des comptes rendus d'accompagnement social": [
        (421, "record"),
        (
            414,
            "opinion",
            "dpo",
            _dpo(
                WITH_CONDITIONS,
                "Données de santé recueillies pour le suivi social : un hébergeur certifié HDS est obligatoire (CSP, "
                "art. L1111-8), ce qu'une qualification SecNumCloud ne remplace pas. Admis avec le module de synthèse "
                "du logiciel du CCAS, hébergé HDS, pour les seuls comptes rendus d'entretien.",
                legal_basis=(
                    "Mission d'intérêt public ; RGPD, art. 9(2)(h) ; secret professionnel (CASF, art. L133-5)."
                ),
                dpia="done",
                record="RT-2023-004",
                retention="Synthèse versée au dossier de l'usager (durée de l'accompagnement + 5 ans)",
                conditions=["Ne jamais joindre de certificat ni de pièce médicale : seuls les comptes rendus."],
            ),
        ),
        (
            413,
            "opinion",
            "rssi",
            _rssi(
                FAVOURABLE,
                "Accès réservé aux travailleurs sociaux du CCAS.",
                hosting="Logiciel du CCAS, hébergé en France par un hébergeur certifié HDS.",
                classification="C2",
                reuse="disabled",
                homologation="done",
            ),
        ),
        (410, "agenda", "inventory"),
        ("395 18:25", "vote", "inventory", "francoise.lemaire", FAVOURABLE, ""),
        (
            "395 18:26",
            "vote",
            "inventory",
            "mathieu.caron",
            FAVOURABLE,
            "Que l'usager puisse s'opposer à l'usage de l'outil pour son dossier.",
        ),
        (
            "395 18:27",
            "vote",
            "inventory",
            "fatou.diallo",
            "abstain",
            "Je manque d'éléments sur ce que les personnes accompagnées en savent.",
        ),
        (
            "395 18:28",
            "conflict",
            "inventory",
            "guillaume.roche",
            "J'utilise moi-même l'outil au CCAS : je ne prends pas part à l'avis.",
        ),
        ("395 18:29", "vote", "inventory", "comite", FAVOURABLE, ""),
        (
            "395 18:33",
            "committee",
            "inventory",
            FAVOURABLE,
            "Usage proportionné ; les garanties posées par la DPO suffisent.",
            [],
        ),
        (392, "owner", 0, "martine.blanc", "quarterly"),
        (390, "production", "En service depuis janvier 2025."),
    ],
    "Rédaction des fiches de poste et des grilles d'entretien": [
        (420, "record"),
        (
            412,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Aucune donnée personnelle : fiches de poste et grilles génériques.",
                legal_basis="Sans objet : aucune donnée personnelle.",
                dpia="not_required",
            ),
        ),
        (
            411,
            "opinion",
            "rssi",
            _rssi(
                FAVOURABLE,
                "Compte professionnel, entraînement sur les données désactivé.",
                hosting="Mistral AI, hébergement dans l'Union européenne, sans qualification.",
                classification="C1",
                reuse="disabled",
                homologation="not_required",
            ),
        ),
        (409, "production", "En service depuis septembre 2024."),
    ],
    "Suivi et pré-analyse des demandes de subventions des associations": [
        (419, "record"),
        (
            411,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Noms des dirigeants associatifs seulement ; la décision reste au conseil municipal. Un système "
                "d'IA prépare des décisions d'attribution : une AIPD courte a été menée.",
                legal_basis="Mission d'intérêt public ; loi du 12 avril 2000, art. 9-1 et 10.",
                dpia="done",
                record="RT-2021-009",
                retention="Durée de conservation des dossiers de subvention (10 ans)",
            ),
        ),
        (
            410,
            "opinion",
            "rssi",
            _rssi(FAVOURABLE, hosting=ALBERT_HOSTING, classification="C2", reuse="disabled", homologation="done"),
        ),
        (408, "production", "En service depuis janvier 2025."),
    ],
    "Modulation de l'éclairage public selon la fréquentation": [
        (418, "record"),
        (
            409,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Capteurs de présence sans image ni identifiant : aucune donnée personnelle.",
                legal_basis="Sans objet : aucune donnée personnelle.",
                dpia="not_required",
            ),
        ),
        (
            "409 15:00",
            "opinion",
            "rssi",
            _rssi(
                WITH_CONDITIONS,
                "Les armoires d'éclairage communiquent par le réseau de la ville.",
                hosting="Supervision hébergée en France par l'éditeur.",
                classification="C1",
                reuse="disabled",
                homologation="in_progress",
                conditions=["Cloisonner le réseau des capteurs et des armoires d'éclairage du réseau bureautique."],
            ),
        ),
        (405, "owner", 0, "olivier.marchand", "yearly"),
        (404, "production", "En service depuis octobre 2024."),
    ],
    "Transcription et compte rendu des réunions de service": [
        (417, "record"),
        (
            408,
            "opinion",
            "dpo",
            _dpo(
                WITH_CONDITIONS,
                "La voix des participants est enregistrée : ils doivent le savoir, et l'enregistrement ne doit "
                "pas durer.",
                legal_basis="Mission d'intérêt public (organisation des services).",
                dpia="not_required",
                record="RT-2025-003",
                retention="Enregistrements effacés 30 jours après la réunion",
                conditions=[
                    "Informer les participants de l'enregistrement en début de réunion.",
                    "Effacer les enregistrements 30 jours après la réunion.",
                ],
            ),
        ),
        (
            407,
            "opinion",
            "rssi",
            _rssi(
                FAVOURABLE,
                "Installé sur les serveurs de la ville : aucune donnée ne sort.",
                hosting=CITY_SERVERS,
                classification="C2",
                reuse="disabled",
                homologation="done",
            ),
        ),
        (403, "owner", 0, "benoit.renaud", "monthly"),
        (403, "owner", 1, "florian.garcia", "monthly"),
        (402, "production", "En service depuis mars 2025."),
        (401, "edits"),
    ],
    "Réponses automatiques aux messages privés des réseaux sociaux": [
        (414, "record"),
        (
            405,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Réponses générales seulement : les messages nominatifs sont renvoyés vers un agent.",
                legal_basis="Mission d'intérêt public : information des usagers.",
                dpia="not_required",
                retention="Messages conservés 3 mois",
            ),
        ),
        (
            404,
            "opinion",
            "rssi",
            _rssi(
                WITH_CONDITIONS,
                "ChatGPT Enterprise est autorisé jusqu'au niveau C1 : aucune donnée personnelle ne doit lui parvenir.",
                hosting="OpenAI, résidence des données en Europe, sans qualification.",
                classification="C1",
                reuse="disabled",
                homologation="in_progress",
                conditions=["Filtrer les messages contenant des données personnelles avant leur envoi à l'outil."],
            ),
        ),
        (403, "agenda", "inventory"),
        ("395 19:35", "vote", "inventory", "francoise.lemaire", FAVOURABLE, ""),
        ("395 19:36", "vote", "inventory", "mathieu.caron", WITH_CONDITIONS, "Annoncer clairement qu'une IA répond."),
        (
            "395 19:37",
            "vote",
            "inventory",
            "fatou.diallo",
            UNFAVOURABLE,
            "Les habitants qui écrivent à la ville attendent la réponse d'une personne.",
        ),
        ("395 19:38", "vote", "inventory", "guillaume.roche", FAVOURABLE, ""),
        ("395 19:39", "vote", "inventory", "comite", WITH_CONDITIONS, ""),
        (
            "395 19:45",
            "committee",
            "inventory",
            WITH_CONDITIONS,
            "Avis favorable à la majorité, sous réserve d'une transparence claire envers les habitants.",
            ["Chaque réponse automatique dit qu'elle est générée par une IA et propose un contact humain."],
        ),
        (393, "owner", 0, "hugo.lemoine", "monthly"),
        (393, "owner", 1, "manon.chevalier", "quarterly"),
        (391, "production", "En service depuis mai 2025."),
    ],
    "Assistant de programmation pour les développeurs de la DSI": [
        (416, "record"),
        (
            406,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Code des applications internes, sans donnée de production.",
                legal_basis="Sans objet : aucune donnée personnelle.",
                dpia="not_required",
            ),
        ),
        (
            405,
            "opinion",
            "rssi",
            _rssi(
                WITH_CONDITIONS,
                "Hébergement hors Union européenne, mais l'offre Business exclut la conservation et la "
                "réutilisation des extraits de code.",
                hosting="GitHub (États-Unis), offre Business : extraits non conservés, pas d'entraînement.",
                classification="C1",
                reuse="disabled",
                homologation="not_required",
                conditions=[
                    "Aucun secret, mot de passe ni donnée de production dans le code soumis à l'assistant.",
                    "Activer le filtre des suggestions qui reprennent du code public.",
                ],
            ),
        ),
        (403, "owner", 0, "olivier.marchand", "quarterly"),
        (403, "owner", 1, "yanis.bernard", "yearly"),
        (402, "production", "En service depuis avril 2024."),
    ],
    "Pré-affectation des élèves dans les écoles lors des inscriptions scolaires": [
        (424, "record"),
        (
            405,
            "opinion",
            "dpo",
            _dpo(
                WITH_CONDITIONS,
                "Décisions individuelles sur des enfants : l'AIPD est faite ; les familles doivent savoir qu'un "
                "algorithme a préparé l'affectation.",
                legal_basis="Code de l'éducation, art. L131-5 et L212-7.",
                dpia="done",
                record="RT-2020-002",
                retention="Dossiers d'inscription conservés pendant la scolarité à l'école",
                conditions=[
                    "Faire figurer la mention de l'article L311-3-1 du CRPA sur chaque courrier d'affectation."
                ],
            ),
        ),
        (
            404,
            "opinion",
            "rssi",
            _rssi(
                FAVOURABLE,
                "Éditeur hébergé en France, réutilisation des données exclue par le contrat.",
                hosting="Éditeur hébergé en France, sans qualification.",
                classification="C2",
                reuse="disabled",
                homologation="done",
            ),
        ),
        (403, "agenda", "inventory"),
        ("395 18:45", "vote", "inventory", "francoise.lemaire", FAVOURABLE, ""),
        (
            "395 18:46",
            "vote",
            "inventory",
            "mathieu.caron",
            WITH_CONDITIONS,
            "Publier les règles d'affectation (CRPA, art. L312-1-3).",
        ),
        ("395 18:47", "vote", "inventory", "fatou.diallo", FAVOURABLE, "Les familles gardent la dérogation."),
        ("395 18:48", "vote", "inventory", "guillaume.roche", FAVOURABLE, ""),
        ("395 18:49", "vote", "inventory", "comite", WITH_CONDITIONS, ""),
        (
            "395 18:55",
            "committee",
            "inventory",
            WITH_CONDITIONS,
            "Algorithme à règles explicites ; chaque affectation est vérifiée par un agent.",
            [
                "Publier les règles de l'algorithme sur le site de la ville (CRPA, art. L312-1-3).",
                "Présenter chaque année au comité le bilan des dérogations accordées.",
            ],
        ),
        (390, "owner", 0, "celine.robin", "each_use"),
        (390, "owner", 1, "antoine.mercier", "yearly"),
        (390, "owner", 2, "antoine.mercier", "yearly"),
    ],
    "Calcul automatique des tarifs de restauration scolaire selon le quotient familial": [
        (415, "record"),
        (
            407,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Décision entièrement automatisée, mais fondée sur une grille votée, sans apprentissage ni donnée "
                "sensible : conforme à l'article 47 de la loi Informatique et libertés. La mention du CRPA figure "
                "sur les factures.",
                legal_basis="Délibération tarifaire du conseil municipal ; CRPA, art. L311-3-1.",
                dpia="done",
                record="RT-2020-003",
                retention="Quotient familial conservé pour l'année scolaire en cours",
            ),
        ),
        (
            406,
            "opinion",
            "rssi",
            _rssi(FAVOURABLE, hosting=CITY_SERVERS, classification="C2", reuse="disabled", homologation="done"),
        ),
        (404, "agenda", "inventory"),
        ("395 19:15", "vote", "inventory", "francoise.lemaire", FAVOURABLE, ""),
        ("395 19:16", "vote", "inventory", "mathieu.caron", FAVOURABLE, "Publier la grille et la règle de calcul."),
        ("395 19:17", "vote", "inventory", "fatou.diallo", FAVOURABLE, ""),
        ("395 19:18", "vote", "inventory", "guillaume.roche", FAVOURABLE, ""),
        ("395 19:19", "vote", "inventory", "comite", FAVOURABLE, ""),
        (
            "395 19:25",
            "committee",
            "inventory",
            FAVOURABLE,
            "Règles publiques, recalcul à la main sur simple demande des familles.",
            [],
        ),
        (392, "production", "En service depuis septembre 2023."),
    ],
    "Assistance aux conseillers France services avec Albert": [
        (413, "record"),
        (
            404,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Les conseillers interrogent Albert sur les règles, pas sur la situation nominative de l'usager.",
                legal_basis="Mission d'intérêt public (RGPD, art. 6(1)(e)).",
                dpia="not_required",
                record="RT-2024-009",
                retention="Aucune conservation dans Albert au-delà de la session",
            ),
        ),
        (
            403,
            "opinion",
            "rssi",
            _rssi(FAVOURABLE, hosting=ALBERT_HOSTING, classification="C2", reuse="disabled", homologation="done"),
        ),
        (401, "production", "En service depuis juin 2024."),
    ],
    "Détection des chutes la nuit à l'EHPAD du CCAS": [
        (426, "record"),
        (
            421,
            "confirm",
            "Aucun domaine de l'annexe III : le capteur est un dispositif médical de classe IIa, marqué CE après "
            "l'évaluation d'un organisme notifié, à haut risque par l'annexe I (AI Act, art. 6(1)).",
        ),
        (
            420,
            "opinion",
            "dpo",
            _dpo(
                WITH_CONDITIONS,
                "Dispositif médical de classe IIa : système d'IA à haut risque par l'annexe I (AI Act, art. 6(1)), "
                "sans AIDF ni enregistrement par le CCAS, qui a les obligations du déployeur (art. 26). Surveillance "
                "de personnes vulnérables dans leur chambre, données de santé d'un établissement médico-social : "
                "l'AIPD est obligatoire (liste de la CNIL) ; elle est faite, l'hébergeur certifié HDS est vérifié.",
                legal_basis="Mission d'intérêt public ; RGPD, art. 9(2)(h) ; CASF, art. L311-3.",
                dpia="done",
                record="RT-2023-008",
                retention="Alertes et journaux conservés 6 mois ; aucune image",
                conditions=[
                    "Informer chaque résident ou son représentant du dispositif, et en rendre compte au conseil de la "
                    "vie sociale."
                ],
            ),
        ),
        (
            418,
            "opinion",
            "rssi",
            _rssi(
                FAVOURABLE,
                "Plateforme de l'éditeur certifiée HDS ; téléphones de l'équipe de nuit gérés par la DSI.",
                hosting="Éditeur hébergé en France chez un hébergeur certifié HDS.",
                classification="C2",
                reuse="disabled",
                homologation="done",
            ),
        ),
        (410, "agenda", "inventory"),
        ("395 19:50", "vote", "inventory", "francoise.lemaire", FAVOURABLE, ""),
        (
            "395 19:51",
            "vote",
            "inventory",
            "mathieu.caron",
            WITH_CONDITIONS,
            "Mesurer les chutes non détectées, pas seulement les fausses alertes.",
        ),
        ("395 19:52", "conflict", "inventory", "guillaume.roche", "Je travaille au CCAS, qui gère l'EHPAD."),
        (
            "395 19:53",
            "vote",
            "inventory",
            "fatou.diallo",
            WITH_CONDITIONS,
            "Les familles doivent savoir ce que voient les capteurs.",
        ),
        ("395 19:54", "vote", "inventory", "comite", WITH_CONDITIONS, ""),
        (
            "395 20:00",
            "committee",
            "inventory",
            WITH_CONDITIONS,
            "Usage utile aux résidents, sous réserve d'un suivi de ses erreurs et de l'information des agents.",
            [
                "Présenter chaque année au comité le bilan des alertes, des fausses alertes et des chutes non "
                "détectées.",
                "Consulter le comité social territorial sur le dispositif, qui organise le travail de l'équipe de "
                "nuit (AI Act, art. 26(7)).",
            ],
        ),
        (390, "owner", 0, "martine.blanc", "yearly"),
        (390, "owner", 1, "martine.blanc", "yearly"),
        (390, "owner", 2, "chef", "yearly"),
    ],
    "Recommandations de lecture personnalisées pour les abonnés des médiathèques": [
        (419, "record"),
        (
            410,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Profilage des emprunts avec l'accord de l'abonné, retirable à tout moment depuis son compte.",
                legal_basis="Consentement de l'abonné (RGPD, art. 6(1)(a)).",
                dpia="done",
                record="RT-2023-011",
                retention="Historique des emprunts conservé 4 mois après le retour",
            ),
        ),
        (
            409,
            "opinion",
            "rssi",
            _rssi(
                FAVOURABLE,
                hosting="Portail hébergé dans l'Union européenne par l'éditeur.",
                classification="C2",
                reuse="disabled",
                homologation="done",
            ),
        ),
        (408, "production", "En service depuis septembre 2023."),
        (
            152,
            "retire",
            "Fin du marché du portail au 30 juin 2026 : les recommandations sont remplacées par les sélections des "
            "bibliothécaires.",
        ),
    ],
    # Projects of the year, declared by their owners.
    "Anonymisation des CV avant transmission au jury de recrutement": [
        (300, "create"),
        (299, "submit"),
        (
            292,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Traitement proportionné, qui réduit le risque de discrimination à l'embauche.",
                legal_basis="Exécution de mesures précontractuelles (RGPD, art. 6(1)(b)).",
                dpia="not_required",
                record="RT-2022-031",
                retention="CV anonymisés supprimés à la fin du recrutement",
            ),
        ),
        (
            290,
            "opinion",
            "rssi",
            _rssi(FAVOURABLE, hosting=ALBERT_HOSTING, classification="C2", reuse="disabled", homologation="done"),
        ),
    ],
    "Copilote d'analyse budgétaire": [
        (160, "create"),
        (158, "submit"),
        (
            150,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Tableaux d'exécution budgétaire : aucune donnée personnelle.",
                legal_basis="Sans objet : aucune donnée personnelle.",
                dpia="not_required",
            ),
        ),
        (
            148,
            "opinion",
            "rssi",
            _rssi(
                WITH_CONDITIONS,
                "Copilot n'est autorisé que jusqu'au niveau C1.",
                hosting="Microsoft, frontière de données de l'Union européenne, sans qualification.",
                classification="C1",
                reuse="disabled",
                homologation="not_required",
                conditions=[
                    "Ne soumettre que des documents budgétaires agrégés : ni fichier de paie ni donnée nominative."
                ],
            ),
        ),
        (140, "owner", 0, "marc.dubois", "monthly"),
    ],
    "Régulation adaptative des feux tricolores": [
        (130, "create"),
        (128, "submit"),
        (
            120,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Boucles de comptage sans image ni plaque : aucune donnée personnelle.",
                legal_basis="Sans objet : aucune donnée personnelle.",
                dpia="not_required",
            ),
        ),
        (
            118,
            "opinion",
            "rssi",
            _rssi(
                WITH_CONDITIONS,
                "Gestion du trafic routier (AI Act, annexe III, point 2) : la sécurité du système doit être "
                "homologuée avant la mise en service.",
                hosting="Supervision hébergée en France par l'éditeur ; liaison chiffrée avec les contrôleurs.",
                classification="C1",
                reuse="disabled",
                homologation="in_progress",
                conditions=[
                    "Homologuer la sécurité du système de supervision des carrefours avant la mise en service."
                ],
            ),
        ),
        (96, "agenda", "september"),
        ("84 18:35", "vote", "september", "francoise.lemaire", FAVOURABLE, ""),
        (
            "84 18:36",
            "vote",
            "september",
            "mathieu.caron",
            "abstain",
            "La documentation ne dit rien du fonctionnement en mode dégradé.",
        ),
        (
            "84 18:45",
            "committee",
            "september",
            "postponed",
            "Le comité attend l'étude de l'éditeur sur la priorité aux bus et le fonctionnement en mode dégradé.",
            [],
        ),
        (40, "agenda", "november"),
        ("28 18:05", "vote", "november", "francoise.lemaire", FAVOURABLE, ""),
        (
            "28 18:06",
            "vote",
            "november",
            "mathieu.caron",
            WITH_CONDITIONS,
            "L'étude répond à mes questions ; un bilan après six mois est nécessaire.",
        ),
        ("28 18:07", "vote", "november", "fatou.diallo", FAVOURABLE, ""),
        ("28 18:08", "vote", "november", "guillaume.roche", FAVOURABLE, ""),
        ("28 18:09", "vote", "november", "comite", WITH_CONDITIONS, ""),
        (
            "28 18:15",
            "committee",
            "november",
            WITH_CONDITIONS,
            "L'étude de l'éditeur répond aux questions posées en septembre.",
            ["Présenter au comité un bilan à six mois : temps de parcours des bus, incidents, retours des riverains."],
        ),
        (25, "owner", 0, "olivier.marchand", "yearly"),
        (25, "owner", 1, "pascal.fontaine", "yearly"),
    ],
    "Baromètre de la qualité de vie au travail par analyse des émotions": [
        (104, "create"),
        (103, "submit", "Proposition d'un éditeur, à examiner avant toute expérimentation."),
        (100, "edits"),
        (
            "99 09:30",
            "confirm",
            "Reconnaissance des émotions des agents au travail, sans finalité médicale ni de sécurité : pratique "
            "interdite (AI Act, art. 5(1)(f)). Deux domaines de l'annexe III sont cochés, la reconnaissance des "
            "émotions (point 1 c) et le suivi des agents (point 4 b) : le point 1 c) est retenu.",
        ),
        (
            99,
            "opinion",
            "dpo",
            _dpo(
                UNFAVOURABLE,
                "Reconnaissance des émotions sur le lieu de travail : pratique interdite par l'AI Act "
                "(art. 5(1)(f)) depuis le 2 février 2025. Données biométriques (RGPD, art. 9) sans base légale "
                "possible.",
                # No DPIA status: a prohibited practice is refused, never assessed.
                legal_basis="Aucune : pratique interdite (AI Act, art. 5(1)(f)).",
            ),
        ),
        (
            98,
            "opinion",
            "rssi",
            _rssi(
                UNFAVOURABLE,
                "Outil interdit au catalogue : éditeur hors Union européenne qui réutilise les données.",
                hosting="Hors Union européenne, sans engagement contractuel.",
                classification="C0",
                reuse="enabled",
                homologation="not_required",
            ),
        ),
        (96, "agenda", "september"),
        ("84 18:05", "vote", "september", "francoise.lemaire", UNFAVOURABLE, "Pratique interdite."),
        (
            "84 18:06",
            "vote",
            "september",
            "mathieu.caron",
            UNFAVOURABLE,
            "Surveiller les émotions des agents est interdit, et contraire à la confiance.",
        ),
        ("84 18:07", "vote", "september", "fatou.diallo", UNFAVOURABLE, "Inacceptable."),
        (
            "84 18:08",
            "vote",
            "september",
            "guillaume.roche",
            UNFAVOURABLE,
            "Les agents ne l'accepteraient pas, à juste titre.",
        ),
        ("84 18:09", "vote", "september", "comite", UNFAVOURABLE, "Pratique interdite."),
        (
            "84 18:15",
            "committee",
            "september",
            UNFAVOURABLE,
            "Avis défavorable unanime : pratique interdite (AI Act, art. 5(1)(f)). Le baromètre reste fait par "
            "questionnaire anonyme.",
            [],
        ),
    ],
    "Prévision des besoins de remplacement dans les écoles et les crèches": [
        (120, "create"),
        (118, "submit"),
        (
            110,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Absences agrégées par site et par semaine, sans nom : aucune donnée personnelle.",
                legal_basis="Sans objet : données agrégées.",
                dpia="not_required",
            ),
        ),
        (
            109,
            "opinion",
            "rssi",
            _rssi(FAVOURABLE, hosting=CITY_SERVERS, classification="C1", reuse="disabled", homologation="done"),
        ),
    ],
    "Adaptation des horaires de la médiation de rue par analyse prédictive": [
        (190, "create"),
        (188, "submit"),
        (
            "180 09:30",
            "confirm",
            "Placement des médiateurs par quartier et par tranche horaire, à partir de signalements agrégés : "
            "aucune personne n'est évaluée. Ni l'annexe III (point 6 : évaluation de personnes par les autorités "
            "répressives) ni l'interdiction de l'art. 5(1)(d) (prédiction d'infractions par des personnes) ne "
            "s'appliquent.",
        ),
        (
            180,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Signalements agrégés par quartier et par heure, sans aucune donnée sur les personnes.",
                legal_basis="Sans objet : données agrégées.",
                dpia="not_required",
            ),
        ),
        (
            179,
            "opinion",
            "rssi",
            _rssi(FAVOURABLE, hosting=CITY_SERVERS, classification="C1", reuse="disabled", homologation="done"),
        ),
    ],
    "Synthèse des remontées de terrain des médiateurs et des policiers municipaux": [
        (165, "create"),
        (163, "submit"),
        (
            157,
            "qualify",
            "annex_iii_point",
            "",
            "Le point 6 de l'annexe III vise les systèmes des autorités répressives qui évaluent le risque qu'une "
            "personne soit victime ou auteur d'une infraction, la fiabilité des preuves, ou qui profilent des "
            "personnes au cours d'une enquête. Une note de synthèse hebdomadaire par quartier pour les encadrants, "
            "sans fiche individuelle, ne relève d'aucun de ces cas : aucun point de l'annexe III.",
        ),
        (
            156,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Synthèses par quartier, sans fiche individuelle.",
                legal_basis="Mission d'intérêt public ; code de la sécurité intérieure, art. L511-1.",
                dpia="done",
                record="RT-2022-014",
                retention="Synthèses conservées 1 an",
            ),
        ),
        (
            155,
            "opinion",
            "rssi",
            _rssi(FAVOURABLE, hosting=ALBERT_HOSTING, classification="C2", reuse="disabled", homologation="done"),
        ),
        # The DPO finds offences in the reports (criminal data): the approval is out of date, reviewed again.
        (10, "edits"),
    ],
    "Transcription des séances du conseil municipal": [
        (75, "create"),
        (74, "submit"),
        (
            68,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Séances publiques ; le procès-verbal est relu puis approuvé par le conseil.",
                legal_basis="CGCT, art. L2121-15.",
                dpia="not_required",
                record="RT-2019-001",
                retention="Enregistrement conservé jusqu'à l'approbation du procès-verbal",
            ),
        ),
        (
            66,
            "opinion",
            "rssi",
            _rssi(
                FAVOURABLE,
                "Whisper tourne sur un serveur de la DSI : rien ne sort.",
                hosting=CITY_SERVERS,
                classification="C0",
                reuse="disabled",
                homologation="done",
            ),
        ),
    ],
    "Illustrations générées par IA pour le magazine municipal": [
        (70, "create"),
        (68, "submit"),
        (
            60,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Aucune donnée personnelle. Représenter la ville et ses habitants par des images générées pose "
                "une question que le comité doit trancher.",
                legal_basis="Sans objet : aucune donnée personnelle.",
                dpia="not_required",
                ask=True,
            ),
        ),
        (
            58,
            "opinion",
            "rssi",
            _rssi(
                WITH_CONDITIONS,
                "Outil hébergé hors Union européenne, autorisé au niveau C0.",
                hosting="Adobe, hébergement hors Union européenne ; contenus non utilisés pour l'entraînement.",
                classification="C0",
                reuse="disabled",
                homologation="not_required",
                conditions=["N'importer dans l'outil aucune photo d'agent ni d'habitant."],
            ),
        ),
        (40, "agenda", "november"),
        ("28 18:20", "vote", "november", "francoise.lemaire", FAVOURABLE, ""),
        (
            "28 18:21",
            "vote",
            "november",
            "mathieu.caron",
            WITH_CONDITIONS,
            "Ne jamais représenter de personne réelle identifiable.",
        ),
        (
            "28 18:22",
            "vote",
            "november",
            "fatou.diallo",
            WITH_CONDITIONS,
            "Les photos des habitants et des événements ne doivent pas être remplacées.",
        ),
        # The chair reads every issue of the magazine for the communication department: she withdraws, and the
        # vice-chair presides over the case and records the committee's opinion.
        (
            "28 18:19",
            "conflict",
            "november",
            "comite",
            "Je relis chaque numéro du magazine municipal pour la direction de la communication : je me retire.",
        ),
        (
            "28 18:30",
            "committee",
            "november",
            WITH_CONDITIONS,
            "Usage admis pour illustrer, jamais pour représenter des faits ou des personnes réelles.",
            ["Aucune image générée ne représente une personne réelle ni un événement de la ville."],
        ),
        (26, "owner", 0, "hugo.lemoine", "each_use"),
        (26, "owner", 1, "manon.chevalier", "each_use"),
    ],
    "Pré-remplissage des demandes d'actes d'état civil": [
        (60, "create"),
        (58, "submit"),
        (
            50,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Données d'état civil ordinaires ; l'officier vérifie chaque demande avant de délivrer l'acte. Un "
                "système d'IA prépare des décisions sur les demandes : une AIPD courte a été menée.",
                legal_basis="Code civil, art. 34 et suivants ; décret n° 2017-890.",
                dpia="done",
                record="RT-2021-002",
                retention="Courriels de demande effacés après délivrance de l'acte",
            ),
        ),
        (
            48,
            "opinion",
            "rssi",
            _rssi(FAVOURABLE, hosting=ALBERT_HOSTING, classification="C2", reuse="disabled", homologation="done"),
        ),
    ],
    "Traduction vocale des entretiens à l'accueil du CCAS": [
        (45, "create"),
        (43, "submit"),
        (
            35,
            "opinion",
            "dpo",
            _dpo(
                WITH_CONDITIONS,
                "Conversations avec des personnes vulnérables, dans le cadre de l'accompagnement social (liste de la "
                "CNIL) : l'AIPD du traitement est complétée pour l'outil. L'usager doit savoir qu'un outil traduit, "
                "et pouvoir demander un interprète.",
                legal_basis="Mission d'intérêt public ; CASF, art. L123-5.",
                dpia="done",
                record="RT-2023-004",
                retention="Aucune conservation après l'échange",
                conditions=[
                    "Informer l'usager et recueillir son accord avant chaque échange traduit.",
                    "Faire appel à un interprète pour tout entretien qui porte sur la santé.",
                ],
            ),
        ),
        (
            34,
            "opinion",
            "rssi",
            _rssi(
                FAVOURABLE,
                "Traitement dans l'Union européenne, sans conservation des échanges.",
                hosting="DeepL, hébergement dans l'Union européenne, sans qualification.",
                classification="C2",
                reuse="disabled",
                homologation="not_required",
            ),
        ),
        # The second condition waits for the owner to name who attests it.
        (30, "owner", 0, "agent", "monthly"),
    ],
    # Waiting for the reviewers or for the committee.
    "Score d'aide à l'instruction des demandes d'aide sociale facultative": [
        (24, "create"),
        (22, "edits"),
        (20, "submit"),
    ],
    "Tri et synthèse des candidatures pour un poste d'animateur": [
        (33, "create"),
        (31, "edits"),
        (29, "submit"),
    ],
    "Optimisation des tournées de collecte des déchets": [
        (8, "create"),
        (6, "submit"),
    ],
    "Contrôle automatique des pièces des demandes de logement social": [
        (18, "create"),
        (16, "submit"),
        (
            8,
            "opinion",
            "dpo",
            _dpo(
                WITH_CONDITIONS,
                "L'exemption de l'article 6(3)(a) ne tient pas : un signalement écarte le dossier de la commission "
                "et les agents le suivent, la sortie du système pèse sur la décision (considérant 53). Système à "
                "haut risque de l'annexe III : AIDF et enregistrement dans la base de l'UE avant la mise en service, "
                "dès que ces obligations s'appliqueront. Demandes de logement social : AIPD obligatoire (liste de la "
                "CNIL).",
                legal_basis="Code de la construction et de l'habitation, art. L441-2-1.",
                dpia="to_do",
                record="RT-2024-030",
                retention="Signalements effacés à la clôture de la demande",
                conditions=[
                    "Mener l'AIPD et l'AIDF avant la mise en service.",
                    "Dire aux demandeurs qu'un outil contrôle leurs pièces et qu'un agent les réexamine sur demande.",
                ],
            ),
        ),
    ],
    "Classement des demandes de logement social du contingent communal": [
        (40, "create"),
        (37, "submit"),
        (
            12,
            "opinion",
            "dpo",
            _dpo(
                WITH_CONDITIONS,
                "Cotation prévue par la loi : une grille de règles, pas un système d'IA, mais le RGPD et le CRPA "
                "s'appliquent. Données de santé (handicap) et situation financière : l'AIPD est en cours et doit "
                "être finalisée avant la mise en service.",
                legal_basis="Code de la construction et de l'habitation, art. L441-2-8.",
                dpia="in_progress",
                record="RT-2024-030",
                retention="Durée de validité de la demande de logement, plus un an",
                conditions=[
                    "Finaliser l'AIPD et la présenter au comité avant la mise en service.",
                    "Publier les critères de cotation et leur pondération (CRPA, art. L312-1-3).",
                ],
            ),
        ),
    ],
    "Repérage des situations de non-recours aux droits sociaux": [
        (70, "create"),
        (68, "submit"),
        (
            60,
            "opinion",
            "dpo",
            _dpo(
                WITH_CONDITIONS,
                "Profilage de foyers vulnérables à partir de données croisées avec la CAF : proportionné au but "
                "(aller vers), si les foyers sont informés et peuvent refuser.",
                legal_basis="Mission d'intérêt public ; CASF, art. L123-5 ; convention CAF.",
                dpia="in_progress",
                record="RT-2023-004",
                retention="Repérages effacés 6 mois après le contact",
                conditions=["Informer les foyers contactés de l'origine du repérage et de leur droit d'opposition."],
            ),
        ),
        (
            57,
            "opinion",
            "rssi",
            _rssi(
                FAVOURABLE,
                "Module du logiciel métier, hébergé par l'éditeur sur une offre certifiée HDS.",
                hosting="Éditeur hébergé en France, certifié HDS.",
                classification="C2",
                reuse="disabled",
                homologation="done",
            ),
        ),
        (10, "agenda", "december"),
        # The session is to come: a member declares his conflict of interest ahead; the others vote in session.
        (5, "conflict", "december", "guillaume.roche", "Je suis référent RSA au CCAS, service porteur du projet."),
    ],
    "Agent conversationnel du portail famille pour les inscriptions périscolaires": [
        (50, "create"),
        (48, "submit"),
        (
            42,
            "opinion",
            "dpo",
            _dpo(
                FAVOURABLE,
                "Le robot ne voit pas les dossiers des familles ; les questions saisies sont purgées après 3 mois.",
                legal_basis="Mission d'intérêt public (RGPD, art. 6(1)(e)).",
                dpia="not_required",
                record="RT-2024-017",
                retention="Conversations effacées après 3 mois",
            ),
        ),
        (
            41,
            "opinion",
            "rssi",
            _rssi(
                WITH_CONDITIONS,
                "Même éditeur que l'agent conversationnel du site.",
                hosting="Éditeur hébergé en France, sans qualification.",
                classification="C2",
                reuse="disabled",
                homologation="in_progress",
                conditions=["Aucun nom d'enfant dans les journaux de conversation conservés."],
            ),
        ),
        (10, "agenda", "december"),
    ],
    "Score consultatif pour la commission d'attribution des places en crèche": [
        (22, "create"),
        (20, "submit"),
        (
            9,
            "opinion",
            "dpo",
            _dpo(
                WITH_CONDITIONS,
                "Score à règles publiques, sans apprentissage : pas un système d'IA, et la commission reste seule à "
                "décider. Il remplace un projet bloqué et touche les familles : le comité doit le voir.",
                legal_basis="Mission d'intérêt public ; règlement de fonctionnement des crèches.",
                dpia="in_progress",
                record="RT-2021-006",
                retention="Durée de la demande de place, plus un an",
                conditions=["Informer les familles du score et des critères utilisés (CRPA, art. L311-3-1)."],
                ask=True,
            ),
        ),
        (
            7,
            "opinion",
            "rssi",
            _rssi(FAVOURABLE, hosting=CITY_SERVERS, classification="C2", reuse="disabled", homologation="to_do"),
        ),
    ],
    # A draft: the DPO corrected an answer herself, then the owner corrected it too.
    "Détection des dépôts sauvages par analyse d'images": [
        (27, "create"),
        (
            "25 11:00",
            "qualify",
            "systematic_monitoring",
            True,
            "Les caméras filment la voie publique et les personnes qui passent devant les points de dépôt : c'est "
            "une surveillance systématique (lignes directrices du CEPD sur l'AIPD, critère 3), même si elles visent "
            "les dépôts. Elle appelle une AIPD et une information des passants.",
        ),
        ("20 16:30", "edits"),
    ],
}

# --- Shadow-AI declarations -------------------------------------------------------------------------
# What agents told us of the AI tools they already use on their own, then what the DPO and the RSSI did
# with it. Each declaration goes through `declaration_services.declaration_submit` as its author (anonymous ones as
# ANONYMOUS_SUBMITTER, which nothing records), with a submission key derived from its `key`, so a second
# run finds it instead of declaring it again. `tool` names a catalogue entry; `tool_name` is typed freely
# (a tool first seen this way enters the catalogue as under review). `days_ago` dates the declaration;
# `triage` lists the actions that followed: (actor, days ago, action, parameters), action being a service
# `declaration_<action>`; tool and use-case parameters are given by name.

DECLARATION_KEY_NAMESPACE = uuid.UUID("cc9d1fee-4ecf-422c-ad50-deb2fcdc7158")
ANONYMOUS_SUBMITTER = "agent"
# Beginning of the tasks of the synthetic declarations added by `seed_demo --declarations N` (benchmarks).
SYNTHETIC_DECLARATION_PREFIX = "Déclaration synthétique"

CHATGPT_FREE = "ChatGPT (comptes gratuits ou personnels)"
# Use cases the DPO created to regularise declarations (looked up by name: created once).
DECLARATION_USE_CASES = [
    {
        "name": "Textes courts pour les réseaux sociaux, le site et la lettre d'information avec Le Chat Pro",
        "service": "DCOM",
        "owner": "manon.chevalier",
        "tool": "Le Chat Pro",
        "days_ago": 6,
        "summary": (
            "La communication et les médiathèques préparent avec Le Chat Pro des accroches, des textes de "
            "présentation d'événements et des messages pour les réseaux sociaux. Chaque texte est relu et "
            "publié par un agent."
        ),
        "purpose": "Publier plus vite des textes clairs sur les actions de la ville, sans compte personnel.",
        "description": (
            "Créé à partir de déclarations d'usage de ChatGPT avec des comptes personnels (communication, "
            "médiathèques) : même besoin, outil approuvé, compte professionnel."
        ),
        "human_oversight": "Relecture et publication par un agent de la communication, sous sa responsabilité.",
        "facts": plain_facts(produces_by=TEXT, affects="agents", policy_areas=["public_communication"]),
        "technique": "genai_text",
        "audience": "agents",
        "max_data_classification": "C0",
    },
]

DECLARATIONS = [
    {
        "key": "florian-chatgpt-configurations",
        "author": "florian.garcia",
        "days_ago": 34,
        "tool": CHATGPT_FREE,
        "category": "general_chatbot",
        "tasks": (
            "Comprendre des erreurs de configuration des commutateurs et du pare-feu : je colle les journaux "
            "et les fichiers de configuration pour qu'il trouve le problème."
        ),
        "frequency": "weekly",
        "used_since": date(2025, 9, 1),
        "device": "work_pc",
        "account": "personal_free",
        "data_entered": ["credentials_or_code", "internal"],
        "output_use": ["internal"],
        "human_review": "sometimes",
        "time_saved_minutes": 180,
        "need": "Dépanner seul le soir et le week-end, sans attendre le prestataire.",
        "triage": [
            ("rssi", 33.8, "start_analysis", {}),
            (
                "rssi",
                33.6,
                "ask_to_stop",
                {
                    "message": (
                        "Merci de l'avoir signalé. Les fichiers de configuration contiennent des mots de passe "
                        "et des clés : ils ne doivent jamais sortir de nos systèmes. Arrêtez cet usage dès "
                        "aujourd'hui ; nous changeons ensemble les secrets concernés demain matin. Pour le "
                        "dépannage, GitHub Copilot Business peut vous être ouvert, sans aucun secret dans le code."
                    )
                },
            ),
        ],
    },
    {
        "key": "camille-le-chat-notes-conseil",
        "author": "camille.roussel",
        "days_ago": 31,
        "tool": "Le Chat Pro",
        "category": "general_chatbot",
        "tasks": "Préparer les notes de synthèse des délibérations du conseil municipal à partir des rapports.",
        "frequency": "monthly",
        "used_since": date(2025, 11, 3),
        "device": "work_pc",
        "account": "professional",
        "data_entered": ["public", "internal"],
        "output_use": ["internal"],
        "human_review": "always",
        "time_saved_minutes": 120,
        "need": "Envoyer les notes aux élus dans les délais de convocation.",
        "triage": [
            (
                "dpo",
                30,
                "close",
                {
                    "message": (
                        "Votre usage est conforme : Le Chat Pro est approuvé pour les documents internes (C1), "
                        "avec votre compte professionnel. Gardez la relecture systématique et n'y saisissez "
                        "pas de données sur des personnes."
                    )
                },
            ),
        ],
    },
    {
        "key": "isabelle-chatgpt-dossiers-logement",
        "author": "isabelle.petit",
        "days_ago": 28,
        "tool": CHATGPT_FREE,
        "category": "general_chatbot",
        "tasks": (
            "Résumer les dossiers de demande de logement (situation familiale, ressources, certificats "
            "médicaux) avant la commission d'attribution."
        ),
        "frequency": "weekly",
        "used_since": date(2026, 2, 1),
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["ordinary", "financial", "health"],
        "output_use": ["individual_decision"],
        "human_review": "sometimes",
        "time_saved_minutes": 240,
        "need": "Quarante dossiers à présenter par commission, sans renfort.",
        "triage": [
            ("dpo", 27.9, "start_analysis", {}),
            (
                "dpo",
                27.5,
                "assess_breach",
                {
                    "outcome": "breach_notified",
                    "notes": (
                        "Données de santé et ressources de demandeurs transmises à un service hors UE sans "
                        "contrat. Notifiée à la CNIL le jour même ; conversations supprimées."
                    ),
                },
            ),
            (
                "dpo",
                27.4,
                "ask_to_stop",
                {
                    "message": (
                        "Merci pour votre franchise, qui nous a permis d'agir vite. Les dossiers de logement "
                        "contiennent des données de santé : ils ne doivent plus être saisis dans ChatGPT. "
                        "Je vous propose un point avec le service pour alléger la préparation des commissions "
                        "avec des outils autorisés."
                    )
                },
            ),
        ],
    },
    {
        "key": "samir-albert-reponses-ccas",
        "author": "samir.haddad",
        "days_ago": 25,
        "tool": "Albert",
        "category": "general_chatbot",
        "tasks": "Préparer le premier jet des réponses aux courriers des usagers du CCAS.",
        "frequency": "daily",
        "used_since": date(2025, 2, 3),
        "device": "work_pc",
        "account": "professional",
        "data_entered": ["ordinary", "financial"],
        "output_use": ["sent_to_users"],
        "human_review": "always",
        "time_saved_minutes": 150,
        "need": "Répondre aux usagers en moins d'une semaine.",
        "triage": [
            (
                "dpo",
                24,
                "regularise",
                {
                    "use_case": "Préparation des réponses aux usagers du CCAS",
                    "message": (
                        "Votre usage correspond à l'usage déjà encadré « Préparation des réponses aux usagers "
                        "du CCAS » : vous pouvez continuer ainsi, sans saisir de données de santé."
                    ),
                },
            ),
        ],
    },
    {
        "key": "lea-chatgpt-courriers-usagers",
        "author": "agent",
        "days_ago": 21,
        "tool": CHATGPT_FREE,
        "category": "general_chatbot",
        "tasks": (
            "Reformuler les courriers aux usagers du CCAS (relances de pièces manquantes, réponses aux "
            "demandes d'aide) pour qu'ils soient plus simples à comprendre."
        ),
        "frequency": "weekly",
        "used_since": date(2026, 3, 2),
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["ordinary", "financial"],
        "output_use": ["sent_to_users"],
        "human_review": "always",
        "time_saved_minutes": 120,
        "need": "Les courriers types sont difficiles à lire pour beaucoup d'usagers.",
        "triage": [
            ("dpo", 20.5, "start_analysis", {}),
            (
                "dpo",
                20,
                "assess_breach",
                {
                    "outcome": "not_a_breach",
                    "notes": (
                        "Vérifié avec l'agente : seules des initiales et des montants arrondis ont été saisis, "
                        "aucun élément permettant d'identifier un usager. Historique supprimé."
                    ),
                },
            ),
            (
                "dpo",
                19.8,
                "offer_alternative",
                {
                    "alternative_tool": "Albert",
                    "message": (
                        "Bonne idée de simplifier nos courriers ! Faites-le avec Albert, approuvé jusqu'aux "
                        "données sensibles (C2) et hébergé en France : connectez-vous avec votre compte agent. "
                        "Évitez ChatGPT sur votre téléphone personnel, même avec des initiales."
                    ),
                },
            ),
        ],
    },
    {
        "key": "benoit-chatgpt-notes-discours",
        "author": "benoit.renaud",
        "days_ago": 19,
        "tool": CHATGPT_FREE,
        "category": "general_chatbot",
        "tasks": "Préparer des trames de notes de synthèse et de discours pour la direction générale.",
        "frequency": "weekly",
        "used_since": date(2025, 6, 1),
        "device": "work_pc",
        "account": "personal_free",
        "data_entered": ["public", "internal"],
        "output_use": ["internal"],
        "human_review": "always",
        "time_saved_minutes": 90,
        "need": "Des demandes de notes toujours plus nombreuses et urgentes.",
        "triage": [
            ("dpo", 18.5, "start_analysis", {}),
            (
                "dpo",
                18,
                "regularise",
                {
                    "use_case": "Aide à la rédaction des courriers, notes et comptes rendus avec Albert",
                    "message": (
                        "Votre besoin est couvert par l'usage « Aide à la rédaction des courriers, notes et "
                        "comptes rendus avec Albert », en production : utilisez Albert plutôt que votre "
                        "compte ChatGPT personnel."
                    ),
                },
            ),
        ],
    },
    {
        "key": "hugo-midjourney-magazine",
        "author": "hugo.lemoine",
        "days_ago": 17,
        "tool_name": "Midjourney",
        "category": "image",
        "tasks": "Créer des illustrations pour le magazine municipal et les affiches d'événements.",
        "frequency": "monthly",
        "used_since": date(2025, 12, 1),
        "device": "work_pc",
        "account": "personal_paid",
        "data_entered": ["public"],
        "output_use": ["published"],
        "human_review": "always",
        "time_saved_minutes": 60,
        "need": "Pas de banque d'images adaptée à nos sujets locaux.",
        "triage": [
            ("dpo", 16.5, "start_analysis", {}),
            (
                "dpo",
                16,
                "offer_alternative",
                {
                    "alternative_tool": "Adobe Firefly",
                    "message": (
                        "Adobe Firefly est autorisé pour la communication : il est couvert par l'usage "
                        "« Illustrations générées par IA pour le magazine municipal ». Gardez la mention "
                        "« image générée par IA » sous chaque visuel."
                    ),
                },
            ),
        ],
    },
    {
        "key": "manon-chatgpt-reseaux-sociaux",
        "author": "manon.chevalier",
        "days_ago": 15,
        "tool": CHATGPT_FREE,
        "category": "general_chatbot",
        "tasks": "Proposer des accroches et des textes courts pour les réseaux sociaux et la lettre d'information.",
        "frequency": "daily",
        "used_since": date(2025, 4, 1),
        "device": "work_mobile",
        "account": "personal_paid",
        "data_entered": ["public"],
        "output_use": ["published"],
        "human_review": "always",
        "time_saved_minutes": 200,
        "need": "Publier tous les jours avec une équipe de trois personnes.",
        "triage": [
            ("dpo", 14, "start_analysis", {}),
            (
                "dpo",
                5.5,
                "regularise",
                {
                    "use_case": DECLARATION_USE_CASES[0]["name"],
                    "message": (
                        "Votre usage devient un usage du registre, avec Le Chat Pro et un compte "
                        "professionnel : un accès vous est ouvert cette semaine. Merci d'avoir déclaré !"
                    ),
                },
            ),
        ],
    },
    {
        "key": "yanis-cursor-code",
        "author": "yanis.bernard",
        "days_ago": 13,
        "tool_name": "Cursor",
        "category": "code",
        "tasks": "Écrire et corriger les scripts d'exploitation et les applications internes.",
        "frequency": "daily",
        "used_since": date(2026, 5, 4),
        "device": "work_pc",
        "account": "personal_paid",
        "data_entered": ["credentials_or_code", "internal"],
        "output_use": ["internal"],
        "human_review": "always",
        "time_saved_minutes": 300,
        "need": "Un éditeur plus rapide que celui fourni.",
        "triage": [
            ("rssi", 12.5, "start_analysis", {}),
            (
                "rssi",
                12,
                "offer_alternative",
                {
                    "alternative_tool": "GitHub Copilot Business",
                    "message": (
                        "GitHub Copilot Business est autorisé à la DSI, sans réutilisation de notre code par "
                        "l'éditeur. Merci de désinstaller Cursor et de vérifier qu'aucun fichier .env n'a été "
                        "indexé."
                    ),
                },
            ),
        ],
    },
    {
        "key": "agnes-chatgpt-animations",
        "author": "agnes.colin",
        "days_ago": 12,
        "tool": CHATGPT_FREE,
        "category": "general_chatbot",
        "tasks": "Rédiger les textes de présentation des animations des médiathèques pour le site et les réseaux.",
        "frequency": "weekly",
        "used_since": date(2025, 10, 6),
        "device": "work_pc",
        "account": "personal_free",
        "data_entered": ["public"],
        "output_use": ["published"],
        "human_review": "always",
        "time_saved_minutes": 60,
        "need": "Annoncer chaque animation sans y passer la matinée.",
        "triage": [
            (
                "dpo",
                5.5,
                "regularise",
                {
                    "use_case": DECLARATION_USE_CASES[0]["name"],
                    "message": (
                        "Votre usage rejoint celui de la communication, désormais encadré avec Le Chat Pro : "
                        "un accès professionnel vous est ouvert. Plus besoin de votre compte personnel."
                    ),
                },
            ),
        ],
    },
    {
        "key": "nadia-merlin-courriels",
        "author": "nadia.cherif",
        "days_ago": 11,
        "tool_name": "Merlin (extension de navigateur)",
        "category": "browser_extension",
        "tasks": "Résumer les longs fils de courriels et proposer des réponses dans la messagerie.",
        "frequency": "daily",
        "used_since": date(2026, 6, 15),
        "device": "work_pc",
        "account": "personal_free",
        "data_entered": ["ordinary", "communications", "internal"],
        "output_use": ["personal_draft"],
        "human_review": "sometimes",
        "time_saved_minutes": 100,
        "need": "Plus de cent courriels par jour à l'accueil.",
        "triage": [
            ("rssi", 10.8, "start_analysis", {}),
            (
                "rssi",
                10.5,
                "ask_to_stop",
                {
                    "message": (
                        "Cette extension lit tout ce qui s'affiche dans votre navigateur, messagerie comprise, "
                        "et l'envoie à un service inconnu : merci de la désinstaller aujourd'hui. La DSI peut "
                        "vous aider à trier vos courriels avec les règles de la messagerie."
                    )
                },
            ),
            (
                "dpo",
                9.5,
                "assess_breach",
                {
                    "outcome": "breach_not_notified",
                    "notes": (
                        "Courriels de service avec coordonnées d'usagers, sans donnée sensible ; extension "
                        "désinstallée, compte supprimé. Inscrite au registre des violations, risque faible."
                    ),
                },
            ),
        ],
    },
    {
        "key": "romain-otter-reunions-chantier",
        "author": "romain.gauthier",
        "days_ago": 10,
        "tool_name": "Otter.ai",
        "category": "transcription",
        "tasks": "Enregistrer les réunions de chantier sur mon téléphone et en tirer le compte rendu.",
        "frequency": "weekly",
        "used_since": date(2026, 4, 7),
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["ordinary", "internal"],
        "output_use": ["internal"],
        "human_review": "always",
        "time_saved_minutes": 90,
        "need": "Pas le temps de prendre des notes en marchant sur le chantier.",
        "triage": [
            ("dpo", 9.8, "start_analysis", {}),
            (
                "dpo",
                9,
                "assess_breach",
                {
                    "outcome": "not_a_breach",
                    "notes": (
                        "Réunions entre agents et entreprises titulaires ; seuls les noms des participants. "
                        "Enregistrements et compte supprimés devant moi."
                    ),
                },
            ),
            (
                "dpo",
                8.8,
                "offer_alternative",
                {
                    "alternative_tool": "Scribe — transcription des réunions",
                    "message": (
                        "Scribe, installé sur nos serveurs, fait la même chose : enregistrez avec le "
                        "dictaphone du service et déposez le fichier. Pensez à prévenir les participants."
                    ),
                },
            ),
        ],
    },
    {
        "key": "marc-copilot-budget",
        "author": "marc.dubois",
        "days_ago": 9,
        "tool": "Microsoft 365 Copilot",
        "category": "office_suite_feature",
        "tasks": "Analyser les tableaux d'exécution budgétaire dans Excel et préparer les commentaires.",
        "frequency": "weekly",
        "used_since": date(2025, 10, 1),
        "device": "work_pc",
        "account": "professional",
        "data_entered": ["internal"],
        "output_use": ["internal"],
        "human_review": "always",
        "time_saved_minutes": 120,
        "need": "Préparer le rapport d'orientation budgétaire.",
        "triage": [
            (
                "rssi",
                8,
                "close",
                {
                    "message": (
                        "Usage conforme : Copilot est autorisé à la direction des finances pour les documents "
                        "internes. Rien à changer, merci d'avoir déclaré."
                    )
                },
            ),
        ],
    },
    {
        "key": "ines-albert-france-services",
        "author": "ines.lopez",
        "days_ago": 8,
        "tool": "Albert",
        "category": "general_chatbot",
        "tasks": "Retrouver les règles des démarches CAF, retraite et titres pendant les rendez-vous.",
        "frequency": "daily",
        "used_since": date(2025, 9, 1),
        "device": "work_pc",
        "account": "professional",
        "data_entered": ["public"],
        "output_use": ["personal_draft"],
        "human_review": "always",
        "time_saved_minutes": 150,
        "need": "Répondre aux usagers dès le premier rendez-vous.",
        "triage": [
            (
                "dpo",
                7,
                "regularise",
                {
                    "use_case": "Assistance aux conseillers France services avec Albert",
                    "message": (
                        "Votre usage fait partie de l'usage « Assistance aux conseillers France services avec "
                        "Albert » : continuez ainsi, en vérifiant la source officielle citée."
                    ),
                },
            ),
        ],
    },
    {
        "key": "pascal-chatgpt-cahiers-des-charges",
        "author": "pascal.fontaine",
        "days_ago": 7,
        "tool": CHATGPT_FREE,
        "category": "general_chatbot",
        "tasks": "Rédiger les cahiers des clauses techniques des marchés de travaux.",
        "frequency": "monthly",
        "used_since": date(2026, 1, 12),
        "device": "work_pc",
        "account": "personal_free",
        "data_entered": ["internal", "confidential"],
        "output_use": ["internal"],
        "human_review": "always",
        "time_saved_minutes": 240,
        "need": "Sortir les consultations à temps malgré deux postes vacants.",
        "triage": [
            ("dpo", 6.5, "start_analysis", {}),
            (
                "dpo",
                6,
                "offer_alternative",
                {
                    "alternative_tool": "Le Chat Pro",
                    "message": (
                        "Le Chat Pro, avec un compte professionnel, convient pour rédiger des clauses "
                        "techniques (documents internes, C1). Retirez avant toute saisie les estimations "
                        "financières et les éléments confidentiels de la consultation."
                    ),
                },
            ),
        ],
    },
    {
        "key": "julien-copilot-entretiens",
        "author": "julien.faure",
        "days_ago": 6,
        "tool": "Microsoft 365 Copilot",
        "category": "office_suite_feature",
        "tasks": "Résumer les fils de courriels et préparer les comptes rendus d'entretiens professionnels.",
        "frequency": "weekly",
        "used_since": date(2026, 9, 1),
        "device": "work_pc",
        "account": "professional",
        "data_entered": ["ordinary", "internal"],
        "output_use": ["internal"],
        "human_review": "always",
        "time_saved_minutes": 90,
        "need": "Rattraper le retard des entretiens annuels.",
        "triage": [("rssi", 5, "start_analysis", {})],
    },
    {
        "key": "kevin-chatgpt-bons-intervention",
        "author": "kevin.noel",
        "days_ago": 5,
        "tool": CHATGPT_FREE,
        "category": "general_chatbot",
        "tasks": "Décrire les dégradations de chaussée à partir de photos et rédiger les bons d'intervention.",
        "frequency": "weekly",
        "used_since": date(2026, 8, 24),
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["internal"],
        "output_use": ["internal"],
        "human_review": "always",
        "time_saved_minutes": 45,
        "need": "Saisir les bons depuis le terrain.",
        "triage": [],
    },
    {
        "key": "antoine-notebooklm-rythmes-scolaires",
        "author": "antoine.mercier",
        "days_ago": 4.5,
        "tool_name": "NotebookLM",
        "category": "general_chatbot",
        "tasks": "Synthétiser les études et rapports sur les rythmes scolaires pour la concertation.",
        "frequency": "occasional",
        "used_since": date(2026, 10, 1),
        "device": "work_pc",
        "account": "personal_free",
        "data_entered": ["public"],
        "output_use": ["internal"],
        "human_review": "always",
        "time_saved_minutes": 180,
        "need": "Préparer la concertation avec les familles et les enseignants.",
        "triage": [],
    },
    {
        "key": "celine-gemini-periscolaire",
        "author": "celine.robin",
        "days_ago": 4,
        "tool_name": "Gemini",
        "category": "general_chatbot",
        "tasks": "Trouver des idées d'animations périscolaires et rédiger les mots aux familles.",
        "frequency": "weekly",
        "used_since": date(2026, 9, 7),
        "device": "work_mobile",
        "account": "personal_free",
        "data_entered": ["public"],
        "output_use": ["sent_to_users"],
        "human_review": "always",
        "time_saved_minutes": 60,
        "need": "Renouveler les activités sans budget supplémentaire.",
        "triage": [],
    },
    {
        "key": "lea-deepl-famille-non-francophone",
        "author": "agent",
        "days_ago": 3.5,
        "tool_name": "DeepL gratuit",
        "category": "translation",
        "tasks": (
            "Traduire en arabe un courrier de convocation pour une famille qui ne lit pas le français "
            "(j'ai retiré le nom et l'adresse avant)."
        ),
        "frequency": "occasional",
        "used_since": date(2026, 11, 2),
        "device": "work_pc",
        "account": "personal_free",
        "data_entered": ["internal"],
        "output_use": ["sent_to_users"],
        "human_review": "never",
        "time_saved_minutes": 30,
        "need": "Aucun interprète disponible avant trois semaines.",
        "triage": [("dpo", 3, "start_analysis", {})],
    },
    {
        "key": "laurent-gemini-collecte",
        "author": "laurent.perrin",
        "days_ago": 3,
        "tool_name": "Gemini",
        "category": "general_chatbot",
        "tasks": "Préparer les plannings de collecte des jours fériés et les messages aux habitants.",
        "frequency": "monthly",
        "used_since": date(2026, 5, 1),
        "device": "work_mobile",
        "account": "personal_free",
        "data_entered": ["public"],
        "output_use": ["published"],
        "human_review": "always",
        "time_saved_minutes": 45,
        "need": "Prévenir les habitants plus tôt des changements de collecte.",
        "triage": [],
    },
    {
        "key": "amandine-gemini-portail",
        "author": "amandine.vidal",
        "days_ago": 2.5,
        "tool_name": "Gemini",
        "category": "general_chatbot",
        "tasks": "Écrire les résumés des nouveautés et les sélections thématiques du portail des médiathèques.",
        "frequency": "weekly",
        "used_since": date(2026, 6, 1),
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["public"],
        "output_use": ["published"],
        "human_review": "always",
        "time_saved_minutes": 60,
        "need": "Mettre en valeur plus de nouveautés chaque mois.",
        "triage": [],
    },
    {
        "key": "thierry-le-chat-consignes",
        "author": "thierry.leroy",
        "days_ago": 2,
        "tool": "Le Chat Pro",
        "category": "general_chatbot",
        "tasks": "Rédiger les fiches de consignes des équipes pour les marchés et les manifestations.",
        "frequency": "weekly",
        "used_since": date(2026, 10, 5),
        "device": "work_pc",
        "account": "professional",
        "data_entered": ["internal"],
        "output_use": ["internal"],
        "human_review": "always",
        "time_saved_minutes": 40,
        "need": "Des consignes claires et identiques pour toutes les équipes.",
        "triage": [],
    },
    {
        "key": "olivier-chatgpt-enterprise-offres",
        "author": "olivier.marchand",
        "days_ago": 1.5,
        "tool": "ChatGPT Enterprise",
        "category": "general_chatbot",
        "tasks": "Comparer les offres techniques des candidats aux marchés informatiques et préparer la grille.",
        "frequency": "monthly",
        "used_since": date(2026, 3, 16),
        "device": "work_pc",
        "account": "professional",
        "data_entered": ["internal", "confidential"],
        "output_use": ["internal"],
        "human_review": "always",
        "time_saved_minutes": 180,
        "need": "Analyser des offres de plusieurs centaines de pages.",
        "triage": [],
    },
    {
        "key": "sarah-chatgpt-dossiers-apa",
        "author": "sarah.klein",
        "days_ago": 1.2,
        "tool": CHATGPT_FREE,
        "category": "general_chatbot",
        "tasks": (
            "Résumer mes notes d'entretien et les certificats médicaux des personnes âgées pour préparer les "
            "dossiers d'aide à domicile."
        ),
        "frequency": "daily",
        "used_since": date(2026, 7, 1),
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["ordinary", "health", "minors_vulnerable"],
        "output_use": ["internal"],
        "human_review": "sometimes",
        "time_saved_minutes": 150,
        "need": "Vingt dossiers en attente, je ne m'en sors plus.",
        "triage": [("dpo", 1, "start_analysis", {})],
    },
    # Anonymous: nothing links them to who declared them.
    {
        "key": "anonyme-chatgpt-cv",
        "author": None,
        "days_ago": 16,
        "tool": CHATGPT_FREE,
        "category": "general_chatbot",
        "tasks": "Coller les CV des candidats pour qu'il les classe selon la fiche de poste.",
        "frequency": "monthly",
        "used_since": date(2026, 3, 1),
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["ordinary"],
        "output_use": ["individual_decision"],
        "human_review": "sometimes",
        "time_saved_minutes": 240,
        "need": "Trop de candidatures pour les postes d'animateurs l'été.",
        "triage": [
            ("dpo", 15.5, "start_analysis", {}),
            (
                "dpo",
                15,
                "assess_breach",
                {
                    "outcome": "breach_not_notified",
                    "notes": (
                        "CV sans donnée sensible, volume limité ; rappel de la règle à la DRH. Inscrite au "
                        "registre des violations, non notifiée."
                    ),
                },
            ),
            (
                "dpo",
                14.8,
                "ask_to_stop",
                {
                    "message": (
                        "Merci d'avoir osé le dire. Classer des candidatures avec une IA est un usage à haut "
                        "risque (AI Act, annexe III) qui ne peut pas se faire avec un compte personnel : "
                        "arrêtez, s'il vous plaît. Un usage encadré avec Albert est à l'étude à la DRH."
                    )
                },
            ),
        ],
    },
    {
        "key": "anonyme-perplexity-veille",
        "author": None,
        "days_ago": 14,
        "tool_name": "Perplexity",
        "category": "general_chatbot",
        "tasks": "Faire des recherches sur la réglementation des marchés publics et des subventions.",
        "frequency": "weekly",
        "used_since": date(2026, 1, 5),
        "device": "work_pc",
        "account": "personal_free",
        "data_entered": ["public"],
        "output_use": ["personal_draft"],
        "human_review": "always",
        "time_saved_minutes": 60,
        "need": "Trouver vite le bon texte.",
        "triage": [
            (
                "dpo",
                13,
                "offer_alternative",
                {
                    "alternative_tool": "Albert",
                    "message": (
                        "Pour des recherches sur des sources publiques, Albert cite les textes officiels et "
                        "s'utilise avec votre compte agent. Vérifiez toujours la source citée."
                    ),
                },
            ),
        ],
    },
    {
        "key": "anonyme-chatgpt-reclamations",
        "author": None,
        "days_ago": 4.6,
        "tool": CHATGPT_FREE,
        "category": "general_chatbot",
        "tasks": "Répondre aux réclamations des habitants en collant leur message, avec nom et adresse.",
        "frequency": "daily",
        "used_since": date(2026, 2, 15),
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["ordinary", "location"],
        "output_use": ["sent_to_users"],
        "human_review": "sometimes",
        "time_saved_minutes": 120,
        "need": "Répondre à toutes les réclamations dans la semaine.",
        "triage": [],
    },
    {
        "key": "anonyme-claude-courriels",
        "author": None,
        "days_ago": 1.8,
        "tool_name": "Claude",
        "category": "general_chatbot",
        "tasks": "Corriger l'orthographe et le ton de mes courriels aux partenaires.",
        "frequency": "daily",
        "used_since": date(2026, 9, 14),
        "device": "personal_device",
        "account": "personal_paid",
        "data_entered": ["internal"],
        "output_use": ["sent_to_users"],
        "human_review": "always",
        "time_saved_minutes": 30,
        "need": "Écrire des courriels plus clairs.",
        "triage": [],
    },
    {
        "key": "anonyme-chatgpt-traduction-accueil",
        "author": None,
        "days_ago": 0.3,
        "tool": CHATGPT_FREE,
        "category": "translation",
        "tasks": "Traduire à voix haute, à l'accueil, l'échange avec un usager qui ne parle pas français.",
        "frequency": "weekly",
        "used_since": date(2026, 10, 12),
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["ordinary"],
        "output_use": ["sent_to_users"],
        "human_review": "never",
        "time_saved_minutes": 20,
        "need": "Se faire comprendre sans attendre un interprète.",
        "triage": [],
    },
]

# Answers of the DPO / RSSI to the synthetic declarations, by the status they led to.
SYNTHETIC_ANSWERS = {
    "alternative_offered": (
        "Merci pour votre déclaration. Utilisez plutôt l'outil approuvé indiqué, avec votre compte professionnel."
    ),
    "to_stop": (
        "Merci pour votre déclaration. Cet usage fait sortir des données qui doivent rester chez nous : "
        "arrêtez-le, s'il vous plaît ; nous cherchons avec vous une solution autorisée."
    ),
    "regularised": "Votre usage est maintenant encadré par un usage du registre : continuez en suivant ses conditions.",
    "closed": "Votre usage respecte les règles de la collectivité : rien à changer. Merci d'avoir déclaré.",
}
# The approved tools offered instead, in the synthetic declarations.
SYNTHETIC_ALTERNATIVES = ("Albert", "Le Chat Pro")
SYNTHETIC_BREACH_NOTES = "Évaluation de la DPO (donnée synthétique)."


# Several collectivités in one installation (issue 9) ----------------------------------------------------------------
# The intercommunalité that mutualises the DPO and the IT security of its small member communes, and one of them.
# Bellerive-sur-Loire is a member too; its demo data above stays as it is.
STRUCTURE = {
    "slug": "cc-val-de-bellerive",
    "name": "Communauté de communes du Val de Bellerive",
    # Fictional, like Bellerive's (département 99); valid check digit (Luhn).
    "siren": "249900010",
    "kind": "epci",
    "population": 48210,
    "agents_count": 140,
    "dpo_name": "Sophie Marchand",
    "dpo_email": "dpo@cc-val-de-bellerive.example.org",
    "rssi_name": "Julien Roussel",
    "rssi_email": "rssi@cc-val-de-bellerive.example.org",
    "primary_colour": "#35505e",
}
SECOND_COMMUNE = {
    "slug": "saint-aubin-sur-loire",
    "name": "Commune de Saint-Aubin-sur-Loire",
    "siren": "219905130",
    # About 30 agents: under the CRPA L312-1-3 threshold, publishing the rules of its algorithms is not required.
    "kind": "commune",
    "population": 3480,
    "agents_count": 31,
    "dpo_name": "Sophie Marchand",
    "dpo_email": "dpo@cc-val-de-bellerive.example.org",
    "rssi_name": "Julien Roussel",
    "rssi_email": "rssi@cc-val-de-bellerive.example.org",
    "primary_colour": "#7a3b12",
}
SECOND_COMMUNE_SERVICES = [
    ("MAIRIE", "Secrétariat général de la mairie", None),
    ("ACC", "Accueil, état civil et élections", "MAIRIE"),
    ("TECH", "Services techniques", None),
    ("ECOLE", "Périscolaire et restauration scolaire", None),
]
STRUCTURE_SERVICES = [("DPO", "Service mutualisé protection des données et sécurité numérique", None)]
SHARED_DPO = "dpo.mutualise"
# roles per collectivité: {"structure" | "commune" | "bellerive": [(role, service code or None)]}
MUTUAL_USERS = [
    {
        "username": SHARED_DPO,
        "first_name": "Sophie",
        "last_name": "Marchand",
        "job_title": "Déléguée à la protection des données mutualisée",
        "email": "dpo@cc-val-de-bellerive.example.org",
        # Administrator of the intercommunalité's register too: she shares its reference content with the members.
        "roles": {
            "structure": [("dpo", None), ("admin", None)],
            "bellerive": [("dpo", None)],
            "commune": [("dpo", None)],
        },
    },
    {
        "username": "rssi.mutualise",
        "first_name": "Julien",
        "last_name": "Roussel",
        "job_title": "Responsable de la sécurité des systèmes d'information mutualisé",
        "email": "rssi@cc-val-de-bellerive.example.org",
        "roles": {"structure": [("rssi", None)], "commune": [("rssi", None)]},
    },
    {
        "username": "sg.saint-aubin",
        "first_name": "Nathalie",
        "last_name": "Perrin",
        "job_title": "Secrétaire générale de mairie",
        "email": "sg@saint-aubin-sur-loire.example.org",
        "roles": {"commune": [("dgs", None), ("admin", None)]},
    },
    {
        "username": "agent.saint-aubin",
        "first_name": "Hugo",
        "last_name": "Lemaire",
        "job_title": "Agent d'accueil et d'état civil",
        "email": "accueil@saint-aubin-sur-loire.example.org",
        "roles": {"commune": [("agent", "ACC")]},
    },
    {
        "username": "tech.saint-aubin",
        "first_name": "Maëlle",
        "last_name": "Fournier",
        "job_title": "Responsable des services techniques",
        "email": "technique@saint-aubin-sur-loire.example.org",
        "roles": {"commune": [("head_of_service", "TECH")]},
    },
]
SECOND_COMMUNE_TOOLS = [
    {
        "name": "Albert",
        "vendor": "DINUM",
        "category": "general_chatbot",
        "url": "https://albert.numerique.gouv.fr/",
        "hosting_zone": "fr",
        "hosting_qualification": "secnumcloud",
        "provider_reuse_disabled": True,
        "status": "approved",
        "max_data_classification": "C2",
        "description": "Assistant de l'État ouvert aux collectivités, proposé par la communauté de communes.",
        "conditions": "Relire chaque texte produit avant envoi.",
    },
    {
        "name": "ChatGPT (comptes gratuits ou personnels)",
        "vendor": "OpenAI",
        "category": "general_chatbot",
        "url": "https://chatgpt.com/",
        "hosting_zone": "non_eu",
        "hosting_qualification": "none",
        "provider_reuse_disabled": False,
        "status": "prohibited",
        "max_data_classification": "C0",
        "description": "Agent conversationnel généraliste utilisé avec un compte personnel.",
        "conditions": "Interdit pour tout usage professionnel : utiliser Albert.",
    },
]
# "story": submitted → the DPO's opinion → the RSSI's → in production; each step only once.
SECOND_COMMUNE_USE_CASES = [
    {
        "name": "Aide à la rédaction des courriers de la mairie",
        "service": "ACC",
        "owner": "agent.saint-aubin",
        "tool": "Albert",
        "story": ("submit", "dpo", "rssi", "production"),
        "summary": "Albert propose un premier jet des réponses aux courriers simples des habitants, relu par l'agent.",
        "purpose": "Répondre plus vite aux courriers, avec une seule personne à l'accueil.",
        "facts": plain_facts(produces_by=TEXT, affects="agents", policy_areas=["internal_work"]),
        "technique": "genai_text",
        "audience": "agents",
        "max_data_classification": "C1",
        "personal_data_categories": ["ordinary"],
        "lawful_basis": "Mission d'intérêt public (RGPD, art. 6(1)(e)).",
        "human_oversight": "Chaque courrier est relu et signé par l'agent ou la secrétaire générale.",
    },
    {
        "name": "Comptes rendus des conseils municipaux",
        "service": "MAIRIE",
        "owner": "sg.saint-aubin",
        "tool": "Albert",
        "story": ("submit", "dpo"),
        "summary": (
            "Transcription de l'enregistrement du conseil et proposition de compte rendu, relue par la "
            "secrétaire générale."
        ),
        "purpose": "Publier le compte rendu dans la semaine.",
        # It transcribes, then writes the draft minutes: generated text, proofread before publication.
        "facts": plain_facts(
            produces_by=["recognises_speech", "generates_text"], affects="agents", policy_areas=["internal_work"]
        ),
        "technique": "genai_text",
        "audience": "agents",
        "max_data_classification": "C1",
        "personal_data_categories": ["ordinary"],
    },
    {
        "name": "Détection des fuites sur le réseau d'eau des bâtiments",
        "service": "TECH",
        "owner": "tech.saint-aubin",
        "tool": None,
        "story": ("submit",),
        "summary": "Les compteurs communicants signalent les consommations anormales des bâtiments communaux.",
        "purpose": "Réparer les fuites avant la facture.",
        "facts": plain_facts(
            produces_by=LEARNED, affects="agents", policy_areas=["infrastructure_operations"], safety_component="no"
        ),
        "technique": "ml_predictive",
        "audience": "agents",
        "max_data_classification": "C1",
    },
    {
        "name": "Menus de la cantine adaptés aux allergies",
        "service": "ECOLE",
        "owner": "sg.saint-aubin",
        "tool": "Albert",
        "story": (),
        "summary": "Proposer des variantes des menus pour les enfants allergiques, validées par la diététicienne.",
        "purpose": "Gagner du temps sur la préparation des menus.",
        "facts": plain_facts(produces_by=TEXT, affects="agents", policy_areas=["internal_work"]),
        "technique": "genai_text",
        "audience": "agents",
        "max_data_classification": "C1",
    },
]
SECOND_COMMUNE_DECLARATIONS = [
    {
        "key": "saint-aubin-chatgpt-affiches",
        "author": "agent.saint-aubin",
        "tool": "ChatGPT (comptes gratuits ou personnels)",
        "category": "general_chatbot",
        "tasks": "Rédiger les affiches des manifestations et les messages du panneau lumineux.",
        "frequency": "monthly",
        "used_since": date(2025, 11, 1),
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["public"],
        "output_use": ["published"],
        "human_review": "always",
        "time_saved_minutes": 30,
        "need": "Des affiches plus lisibles sans graphiste.",
        "triage": ["start_analysis"],
    },
    {
        "key": "saint-aubin-chatgpt-etat-civil",
        "author": "agent.saint-aubin",
        "tool": "ChatGPT (comptes gratuits ou personnels)",
        "category": "general_chatbot",
        "tasks": "Vérifier l'orthographe des actes d'état civil avant signature.",
        "frequency": "weekly",
        "used_since": date(2026, 1, 5),
        "device": "work_pc",
        "account": "personal_free",
        "data_entered": ["ordinary"],
        "output_use": ["internal"],
        "human_review": "always",
        "time_saved_minutes": 15,
        "need": "",
        "triage": [],
    },
]
SECOND_COMMUNE_ATTESTATION = "Vingt courriers relus : aucune donnée superflue, réponses conformes."
