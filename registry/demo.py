"""The demo collectivité as plain data: Ville de Bellerive-sur-Loire (fictional), its services, people,
AI tool catalogue, AI use cases and the shadow-AI declarations of its agents, drawn from situations real
collectivités describe.

Loaded by `python manage.py seed_demo`. Names, summaries, purposes and answers are data, in French. Use
cases give their fields as first declared; `edits` are later changes (actor, fields) recorded through
`services.use_case_update`, so the history panel shows before and after. Declarations give what the agent
answered and the triage actions that followed.
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
        "job_title": "Juriste, membre du comité d'éthique du numérique",
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
        "description": "Logiciel métier du CCAS, avec un module d'aide à l'instruction par apprentissage automatique.",
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
]

INVENTORY_COMMENT = "Inventaire des usages existants, mené par la DPO."

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
        "technique": "genai_text",
        "audience": "agents",
        "personal_data_categories": ["ordinary", "financial"],
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
        "technique": "ml_predictive",
        "audience": "public",
        "annex_iii_point": "5a",
        "automation_level": "fully_automated",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary", "financial", "minors_vulnerable"],
        "profiling": True,
        "dataset_matching": True,
        "max_data_classification": "C2",
        "edits": [
            (
                "dpo",
                {
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
        "tool": "Albert",
        "status": "in_production",
        "start_date": date(2025, 1, 6),
        "summary": (
            "Avant une commission, Albert résume les comptes rendus d'entretien du dossier d'un usager "
            "accompagné. Le travailleur social vérifie le résumé avant de le présenter."
        ),
        "purpose": "Préparer plus vite les commissions sans perdre d'information utile.",
        "lawful_basis": (
            "Mission d'intérêt public ; RGPD, art. 9(2)(h) (prise en charge sociale) ; secret professionnel "
            "(CASF, art. L133-5)."
        ),
        "processing_record_ref": "RT-2023-004",
        "human_oversight": "Le travailleur social référent relit et corrige chaque synthèse.",
        "technique": "genai_text",
        "audience": "agents",
        "personal_data_categories": ["ordinary", "health", "minors_vulnerable"],
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
        "decisions_per_year": 900,
        "human_oversight": "Le jury consulte tous les dossiers, pas seulement les mieux classés.",
        "technique": "genai_text",
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
        "data_sources": "Nombre d'absences par semaine et par site (données agrégées, sans nom), calendrier.",
        "human_oversight": "La DRH ajuste le vivier à partir de la prévision ; aucune décision individuelle.",
        "technique": "ml_predictive",
        "audience": "agents",
        "hosting_zone": "on_premise",
        "provider_reuse_disabled": True,
        "max_data_classification": "C1",
    },
    {
        "name": "Baromètre de la qualité de vie au travail par analyse des émotions",
        "service": "DRH",
        "owner": "nathalie.roux",
        "tool": "MoodSense",
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
        "technique": "vision",
        "audience": "agents",
        "art5_practices": ["f"],
        "art50_features": ["emotion_or_biometric"],
        "personal_data_categories": ["ordinary", "biometric"],
        "max_data_classification": "C2",
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
        "technique": "ml_predictive",
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
        "technique": "vision",
        "audience": "public",
        "personal_data_categories": ["ordinary", "location"],
        "large_scale": True,
        "hosting_zone": "unknown",
        "max_data_classification": "C2",
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
        "technique": "speech",
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
        "technique": "speech",
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
        # In production until the DPO suspended it after a serious incident (see audits/demo.py).
        "status": "in_production",
        "start_date": date(2025, 5, 12),
        "summary": (
            "Les messages privés reçus sur les comptes de la ville recevaient une réponse automatique générée "
            "par IA. L'usage est suspendu."
        ),
        "purpose": "Répondre plus vite aux habitants sur les réseaux sociaux.",
        "description": (
            "Suspendu par la DPO après un incident grave : réponses erronées sur les dates d'inscription "
            "scolaire, et messages contenant des données personnelles transmis à un outil autorisé seulement "
            "jusqu'au niveau C1."
        ),
        "technique": "genai_text",
        "audience": "public",
        "art50_features": ["chatbot"],
        "personal_data_categories": ["ordinary"],
        "max_data_classification": "C2",
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
        "technique": "rules",
        "audience": "public",
        "annex_iii_point": "3a",
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
        "purpose": "Rendre la cotation des demandes transparente et homogène.",
        "data_sources": "Système national d'enregistrement des demandes de logement social, pièces du dossier.",
        "lawful_basis": "Code de la construction et de l'habitation, art. L441-2-8 (cotation de la demande).",
        "decisions_per_year": 350,
        "human_oversight": "La commission d'attribution examine chaque dossier présenté et peut déroger au score.",
        "technique": "ml_predictive",
        "audience": "public",
        "annex_iii_point": "5a",
        "automation_level": "determining",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary", "financial", "health"],
        "profiling": True,
        "dataset_matching": True,
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
        "end_date": date(2025, 6, 30),
        "summary": (
            "Le portail des médiathèques proposait à chaque abonné des suggestions de lecture calculées à "
            "partir de ses emprunts. Le service a été arrêté."
        ),
        "purpose": "Faire découvrir le fonds des médiathèques.",
        "description": "Arrêté à la fin du marché du portail ; remplacé par des sélections des bibliothécaires.",
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
        "technique": "genai_media",
        "audience": "public",
        "art50_features": ["deepfake"],
        "personal_data_categories": ["ordinary"],
        "hosting_zone": "non_eu",
        "max_data_classification": "C1",
    },
]

# --- Shadow-AI declarations -------------------------------------------------------------------------
# What agents told us of the AI tools they already use on their own, then what the DPO and the RSSI did
# with it. Each declaration goes through `services.declaration_submit` as its author (anonymous ones as
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
