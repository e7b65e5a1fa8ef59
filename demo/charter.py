"""The demo's charter (loaded by `manage.py seed_demo`): last year's edition published by the DGS and read by about
60 % of the people, unevenly across services; this year's edition a draft in which the DPO rewrote one section."""

# Last year's edition was published this many days ago at 10:00 (at the latest on this day of last year, month and
# day); acknowledgements followed over the next weeks.
PUBLISHED_DAYS_AGO = 330
PUBLISHED_AT_THE_LATEST = (12, 15)
PUBLISHED_BY = "dgs"
EDITOR = "dpo"

# Share of each service's people who acknowledged last year's edition (services not listed: none). The DPO, the
# RSSI, the DGS, administrators and the committee's chair (no service) read it; the demo agent did not yet, so
# the button waits for them.
ACKNOWLEDGED_SHARE = {
    "MINNOV": 1.0,
    "ASS": 1.0,
    "DSI": 1.0,
    "DRH": 1.0,
    "DFIN": 1.0,
    "DSOL": 1.0,
    "CCAS": 0.6,
    "LOG": 0.0,
    "DEEJ": 0.5,
    "DCOM": 1.0,
    "DEP": 1.0,
    "VOIR": 0.0,
    "PROP": 0.0,
    "ECL": 0.0,
    "PM": 0.5,
    "ACC": 0.5,
    "CULT": 0.0,
}
ACKNOWLEDGED_WITHOUT_SERVICE = ("dpo", "rssi", "dgs", "admin", "comite")
NOT_ACKNOWLEDGED = ("agent",)
# Days after the publication when each acknowledgement came, in turn.
ACKNOWLEDGED_AFTER_DAYS = (1, 1, 2, 3, 3, 5, 8, 9, 14, 21, 30, 45)

# This year's draft: the DPO rewrote the training section.
DRAFT_EDIT = {
    "key": "training",
    "title": "Formation et accompagnement",
    "body": """- Tout agent qui utilise un outil d'IA suit le module de sensibilisation de la collectivité (une heure, \
en ligne) avant d'y avoir accès, puis sa mise à jour chaque année (AI Act, art. 4).
- Nouveauté de cette édition : un atelier pratique d'une demi-journée, « Rédiger avec Albert », est proposé à \
chaque service ; les inscriptions passent par le service formation de la DRH.
- Les agents qui exercent le contrôle humain d'un usage inscrit au registre suivent une formation propre à cette \
mission (AI Act, art. 26), renouvelée tous les deux ans.
- Les encadrants veillent à ce que leurs équipes disposent du temps nécessaire pour se former.
- Le référent IA met à la disposition des agents des fiches pratiques et répond à leurs questions.""",
}
