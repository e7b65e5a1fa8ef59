"""Demo reference content: a structure shares 3 tools, 2 checkpoint types and 2 charter sections; its first member
adopted some, adapted one, declined one, and an update waits for it. Called by `seed_demo` on a fresh demo."""

TOOLS = (
    {
        "name": "Assistant rédactionnel de l'agglomération",
        "vendor": "Éditeur public mutualisé",
        "category": "general_chatbot",
        "description": "Rédaction et reformulation de courriers, hébergé par l'agglomération.",
        "hosting_zone": "fr",
        "hosting_qualification": "secnumcloud",
        "provider_reuse_disabled": True,
        "status": "approved",
        "max_data_classification": "C2",
        "conditions": "Relire chaque texte avant envoi.",
    },
    {
        "name": "Transcripteur de réunions mutualisé",
        "vendor": "Éditeur FR",
        "category": "transcription",
        "description": "Comptes rendus de réunions internes.",
        "hosting_zone": "fr",
        "hosting_qualification": "none",
        "provider_reuse_disabled": True,
        "status": "restricted",
        "max_data_classification": "C1",
        "conditions": "Réunions internes seulement, jamais de données de santé.",
    },
    {
        "name": "Traducteur en ligne grand public",
        "vendor": "Éditeur US",
        "category": "translation",
        "description": "Traduction de documents publics.",
        "hosting_zone": "non_eu",
        "hosting_qualification": "none",
        "provider_reuse_disabled": False,
        "status": "restricted",
        "max_data_classification": "C0",
        "conditions": "Documents déjà publics uniquement.",
    },
)
CHECKPOINT_TYPES = (
    {
        "code": "revue-echantillon",
        "title": "Revue d'un échantillon de productions",
        "practice": "Chaque trimestre, relire dix productions tirées au hasard et noter les erreurs.",
        "legal_basis": "Charte IA de l'agglomération",
        "default_frequency": "quarterly",
        "evidence": "Grille de relecture remplie.",
    },
    {
        "code": "point-annuel-dpo",
        "title": "Point annuel avec le DPO mutualisé",
        "practice": "Une fois par an, passer en revue l'usage avec le DPO mutualisé.",
        "legal_basis": "RGPD art. 39",
        "default_frequency": "yearly",
        "evidence": "Compte rendu du point annuel.",
    },
)
SECTION_TEXTS = (
    ("Principes communs du territoire", "Les communes de l'agglomération utilisent l'IA au service des habitants."),
    ("Données partagées", "- Jamais de données de santé dans un outil non qualifié.\n- Le DPO mutualisé est consulté."),
)
