"""The demo collectivité as plain data: Ville de Bellerive-sur-Loire (fictional), its services, people,
AI tool catalogue and AI use cases drawn from situations real collectivités describe.

Loaded by `python manage.py seed_demo`. Names, summaries and purposes are data, in French. Use cases give
their fields as first declared; `edits` are later changes (actor, fields) recorded through
`services.use_case_update`, so the history panel shows before and after.
"""

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
        "status": "suspended",
        "start_date": date(2025, 5, 12),
        "summary": (
            "Les messages privés reçus sur les comptes de la ville recevaient une réponse automatique générée "
            "par IA. L'usage est suspendu."
        ),
        "purpose": "Répondre plus vite aux habitants sur les réseaux sociaux.",
        "description": (
            "Suspendu en octobre 2025 : réponses erronées sur les dates d'inscription scolaire, et messages "
            "contenant des données personnelles transmis à un outil autorisé seulement jusqu'au niveau C1."
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
